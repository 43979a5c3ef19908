package io.vdfc.mpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vdfc.mpi.ranks.FailingRank;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A rank that aborts, miscalls or vanishes: every other rank stops with a message naming it, never hangs. */
class MpjFailureTest {

  @Test
  void anAbortStopsEveryRankWithTheFailedRanksMessage() throws Exception {
    MpjHarness.Run run = MpjHarness.runRanks(4, FailingRank.class.getName(), new String[] {"abort", "1", "60"},
        Duration.ofSeconds(20));
    List<Object> values = run.values();
    for (int r = 0; r < 4; r++) {
      List<?> got = (List<?>) values.get(r);
      assertEquals(3, got.get(0), "rank " + r + " agrees on the failed rank's exit code: " + got);
      assertEquals("rank 1 failed: boom from rank 1", got.get(1), "rank " + r);
      assertTrue((Long) got.get(2) < 5_000, "rank " + r + " stopped " + got.get(2) + " ms after step 3 (timeout 60 s)");
    }
  }

  @Test
  void ranksCallingDifferentLengthsAllFailNamingWhatEachCalled() throws Exception {
    MpjHarness.Run run = MpjHarness.runRanks(3, FailingRank.class.getName(), new String[] {"mismatch", "2", "60"},
        Duration.ofSeconds(20));
    for (Object value : run.values()) {
      String message = (String) ((List<?>) value).get(1);
      assertTrue(message.contains("rank 0 called allreduceSum(long[3])"), message);
      assertTrue(message.contains("rank 2 called allreduceSum(long[2])"), message);
    }
  }

  @Test
  void aVanishedRankTripsTheWatchdogOnTheOthers() throws Exception {
    MpjHarness.Run run = MpjHarness.runRanks(3, FailingRank.class.getName(), new String[] {"vanish", "1", "1.0"},
        Duration.ofSeconds(15));
    for (int r : new int[] {0, 2}) {
      List<?> got = (List<?>) run.values().get(r);
      assertEquals(MpjCollectives.EXIT_TIMEOUT, got.get(0), "rank " + r + ": " + got);
      assertEquals("rank " + r + ": collective allreduceSum(long[3]) #4 did not complete within 1.0 s; a rank died or"
          + " stopped calling collectives (-Dvdfc.mpi.timeout sets the limit)", got.get(1));
      long millis = (Long) got.get(2);
      assertTrue(millis >= 1000 && millis < 4000, "watchdog fired after " + millis + " ms for a 1 s timeout");
    }
  }

  @Test
  void theHarnessReportsRanksStillRunningAtItsDeadlineAsHung() throws Exception {
    MpjHarness.Run run = MpjHarness.runRanks(2, SleepingRank.class.getName(), new String[0], Duration.ofMillis(500));
    assertTrue(run.rank(0).succeeded(), run.outcomes().toString());
    assertTrue(run.rank(1).hung(), run.outcomes().toString());
    AssertionError error = assertThrows(AssertionError.class, run::values);
    assertEquals("rank 1 hung", error.getMessage());
  }

  /** Rank 1 sleeps past the harness deadline; rank 0 returns at once. */
  public static final class SleepingRank {
    public static Object run(String[] mpiArgs) throws InterruptedException {
      if (mpiArgs[0].equals("1")) {
        Thread.sleep(5_000);
      }
      return mpiArgs[0];
    }
  }
}
