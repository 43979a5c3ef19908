package io.vdfc.mpi.ranks;

import io.vdfc.mpi.MpjCollectives;
import mpi.MPI;

/**
 * A main class for {@code MulticoreStarter}: rank 1 stops calling collectives (sleeps 30 s) while the others enter a
 * barrier, which only the watchdog (with its default {@code HALT} action) can end.
 */
public final class StallingRankMain {
  private StallingRankMain() {}

  public static void main(String[] args) throws InterruptedException {
    MPI.Init(args);
    MpjCollectives c = MpjCollectives.world();
    if (c.rank() == 1) {
      Thread.sleep(30_000);
      return;
    }
    c.barrier();
    System.out.println("rank " + c.rank() + " passed a barrier that rank 1 never entered");
  }
}
