package io.vdfc.mpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vdfc.mpi.ranks.CommandRank;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A command line run on several ranks: who prints, what a failing rank tells the others, which exit code all agree on. */
class RankRunnerTest {
  private static List<List<?>> run(int np, String... args) throws Exception {
    return MpjHarness.runRanks(np, CommandRank.class.getName(), args, Duration.ofSeconds(20)).values().stream()
        .<List<?>>map(v -> (List<?>) v).toList();
  }

  @Test
  void onlyRankZeroPrintsTheReport() throws Exception {
    List<List<?>> ranks = run(3, "sum");
    assertEquals("sum of ranks 3\n", ranks.get(0).get(1));
    for (int r = 0; r < 3; r++) {
      assertEquals(0, ranks.get(r).get(0));
      assertEquals("", ranks.get(r).get(2), "rank " + r + " stderr");
      if (r > 0) {
        assertEquals("", ranks.get(r).get(1), "rank " + r + " stdout");
      }
    }
  }

  @Test
  void aRankThatThrowsMidCollectiveStopsEveryRankWithItsMessage() throws Exception {
    List<List<?>> ranks = run(4, "throw", "2");
    for (int r = 0; r < 4; r++) {
      assertEquals(1, ranks.get(r).get(0), "rank " + r + " exit code");
      assertTrue((Long) ranks.get(r).get(3) < 5_000, "rank " + r + " took " + ranks.get(r).get(3) + " ms (timeout 60 s)");
    }
    String failed = (String) ranks.get(2).get(2);
    assertTrue(failed.startsWith("rank 2: java.lang.IllegalStateException: boom\n"), failed);
    assertTrue(failed.lines().allMatch(line -> line.startsWith("rank 2: ")), failed);
    assertEquals("rank 0: stopped because rank 2 failed: IllegalStateException: boom\n", ranks.get(0).get(2));
    assertEquals("", ranks.get(1).get(2));
    assertEquals("", ranks.get(3).get(2));
  }

  @Test
  void anErrorOutsideAnyCollectiveStillStopsTheOthers() throws Exception {
    List<List<?>> ranks = run(3, "error", "0");
    for (List<?> rank : ranks) {
      assertEquals(1, rank.get(0));
    }
    assertTrue(((String) ranks.get(0).get(2)).startsWith("rank 0: java.lang.AssertionError: simulated error\n"));
    assertEquals("", ranks.get(1).get(2));
  }

  @Test
  void everyRankEndsWithTheLargestExitCode() throws Exception {
    for (List<?> rank : run(3, "exit", "1", "3")) {
      assertEquals(3, rank.get(0));
    }
  }

  @Test
  void theFailingRanksOwnExitCodeWinsOverTheOthersCollectiveFailure() throws Exception {
    for (int failing : new int[] {0, 2}) {
      List<List<?>> ranks = run(3, "agree", Integer.toString(failing));
      for (int r = 0; r < 3; r++) {
        assertEquals(4, ranks.get(r).get(0), "rank " + r + " exit code (an I/O error on rank " + failing + ", not 5)");
      }
      assertEquals("rank " + failing + ": rank " + failing + ": disk full\n", ranks.get(failing).get(2));
    }
  }

  @Test
  void usageErrorsArePrintedOnceByRankZeroWithoutPrefix() throws Exception {
    List<List<?>> ranks = run(2, "no-such-command");
    String err = (String) ranks.get(0).get(2);
    assertTrue(err.startsWith("Unmatched argument at index 0: 'no-such-command'"), err);
    assertEquals("", ranks.get(1).get(2));
    assertEquals(2, ranks.get(0).get(0));
    assertEquals(2, ranks.get(1).get(0));
  }

  @Test
  void aCommandsOwnAbortIsReportedOnceByRankZero() throws Exception {
    for (int failing : new int[] {0, 1}) {
      List<List<?>> ranks = run(2, "abort", Integer.toString(failing));
      assertEquals("rank 0: stopped because rank " + failing + " failed: bad input on " + failing + "\n",
          ranks.get(0).get(2));
      assertEquals("", ranks.get(1).get(2));
      assertEquals(1, ranks.get(0).get(0));
      assertEquals(1, ranks.get(1).get(0));
    }
  }
}
