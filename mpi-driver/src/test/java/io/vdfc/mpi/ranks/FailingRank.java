package io.vdfc.mpi.ranks;

import io.vdfc.mpi.MpjCollectives;
import io.vdfc.parallel.Collectives.CollectiveFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import mpi.MPI;

/**
 * Ranks that run ten {@code allreduceSum} steps while one rank goes wrong at step 3. App args: {@code mode failingRank
 * timeoutSeconds}. Modes: {@code abort} (the failing rank sleeps 300 ms, so the others are already waiting inside step
 * 3, then aborts), {@code mismatch} (it calls step 3 with a different length), {@code vanish} (it returns at step 3 without
 * a word; only the watchdog can notice). Every rank returns {@code [exit code or "ok", message, millis from step 3 to the
 * failure]}; a timeout interrupts the waiting ranks ({@code TimeoutAction.INTERRUPT}).
 */
public final class FailingRank {
  private FailingRank() {}

  public static Object run(String[] mpiArgs) throws Exception {
    String[] app = MPI.Init(mpiArgs);
    String mode = app[0];
    int failing = Integer.parseInt(app[1]);
    Duration timeout = Duration.ofMillis((long) (Double.parseDouble(app[2]) * 1000));
    List<Object> out = new ArrayList<>();
    MpjCollectives c = new MpjCollectives(MPI.COMM_WORLD, timeout, MpjCollectives.TimeoutAction.INTERRUPT);
    int rank = c.rank();
    long stepThree = 0;
    try {
      for (int step = 0; step < 10; step++) {
        if (step == 3) {
          stepThree = System.nanoTime();
        }
        if (step == 3 && rank == failing) {
          switch (mode) {
            case "abort" -> {
              Thread.sleep(300);
              c.abort("boom from rank " + rank, 3);
            }
            case "mismatch" -> c.allreduceSum(new long[2]);
            case "vanish" -> {
              return List.of("vanished", "", 0L);
            }
            default -> throw new IllegalArgumentException(mode);
          }
        }
        c.allreduceSum(new long[] {step, rank, 1});
      }
      out.add("ok");
      out.add("");
    } catch (CollectiveFailure e) {
      out.add(c.failureExitCode());
      out.add(e.getMessage());
    } finally {
      c.close();
    }
    out.add((System.nanoTime() - stepThree) / 1_000_000);
    Thread.interrupted(); // clear a watchdog's interrupt before MPJ's Finalize waits
    if (!mode.equals("vanish")) {
      // Every rank knows of the failure: the poisoned object answers at once, without a message exchange.
      try {
        c.barrier();
        throw new AssertionError("a poisoned MpjCollectives let a barrier through");
      } catch (CollectiveFailure expected) {
        // fine
      }
      MPI.Finalize();
    }
    return out;
  }
}
