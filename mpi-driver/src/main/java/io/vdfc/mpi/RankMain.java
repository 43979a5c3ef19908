package io.vdfc.mpi;

import io.vdfc.cli.Vdfc;
import io.vdfc.parallel.RankContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import mpi.MPI;

/**
 * The main class of every MPJ Express rank ({@code bin/vdfc-mpirun} starts it): {@code MPI.Init}, install {@link
 * MpjCollectives} as {@link RankContext#collectives()}, run the vdfc command line ({@link #commandLine()}) through
 * {@link RankRunner} (rank 0 prints the report, a failing rank prints its error prefixed {@code rank N: } and stops the
 * others, all ranks agree on the exit code), {@code MPI.Finalize}.
 *
 * <p>Arguments after MPJ's own three ({@code rank np device}): an optional {@code --vdfc-status-file=PATH}, where rank 0
 * writes the agreed exit code as one decimal line (the launcher's answer to {@code MulticoreStarter} exiting 0 when a
 * rank throws), then the vdfc command line. When the agreed code is not 0, rank 0 ends the JVM with it (under the
 * multicore device that is every rank). {@code MPI.Finalize} runs under the same watchdog timeout as the collectives.
 */
public final class RankMain {
  /** The launcher's option naming the exit-status file; it must come first among the application arguments. */
  public static final String STATUS_FILE_OPTION = "--vdfc-status-file=";

  private RankMain() {
    throw new AssertionError("no instances");
  }

  /**
   * {@link #run} and end the JVM with the agreed code when it is not 0 (rank 0 only). Anything thrown outside the vdfc
   * command (MPI.Init, a bad {@code -Dvdfc.mpi.timeout}, the status file) is printed prefixed with the rank and ends the
   * JVM with status 1 at once: neither MPJ starter may swallow it (MulticoreStarter exits 0, niodev's daemon wrapper
   * waits forever), and the other ranks must not wait for a rank that is gone.
   */
  public static void main(String[] mpiArgs) {
    int[] rankAndCode;
    try {
      rankAndCode = runRank(mpiArgs);
    } catch (Throwable e) {
      String rank = mpiArgs.length > 0 ? mpiArgs[0] : "?";
      System.err.println("rank " + rank + ": vdfc rank failed outside the command: " + RankRunner.describe(e));
      e.printStackTrace();
      System.err.flush();
      Runtime.getRuntime().halt(1);
      return;
    }
    if (rankAndCode[0] == 0 && rankAndCode[1] != 0) {
      System.out.flush();
      System.err.flush();
      System.exit(rankAndCode[1]);
    }
  }

  /** One rank, start to end; returns the exit code every rank agreed on. Tests call it in process. */
  public static int run(String[] mpiArgs) throws IOException {
    return runRank(mpiArgs)[1];
  }

  private static int[] runRank(String[] mpiArgs) throws IOException {
    String[] app = MPI.Init(mpiArgs);
    Path statusFile = null;
    if (app.length > 0 && app[0].startsWith(STATUS_FILE_OPTION)) {
      statusFile = Path.of(app[0].substring(STATUS_FILE_OPTION.length()));
      app = Arrays.copyOfRange(app, 1, app.length);
    }
    Duration timeout = MpjCollectives.configuredTimeout();
    MpjCollectives collectives = new MpjCollectives(MPI.COMM_WORLD, timeout, MpjCollectives.TimeoutAction.HALT);
    int rank = collectives.rank();
    int code;
    try {
      RankContext.install(collectives);
      code = new RankRunner(collectives, System.out, System.err).execute(commandLine(), app);
    } finally {
      collectives.close();
    }
    finalizeWithin(timeout, rank);
    if (statusFile != null && rank == 0) {
      writeStatus(statusFile, code);
    }
    return new int[] {rank, code};
  }

  private static void finalizeWithin(Duration timeout, int rank) {
    Thread guard =
        new Thread(
            () -> {
              try {
                Thread.sleep(timeout.toMillis());
              } catch (InterruptedException done) {
                return;
              }
              MpjCollectives.TimeoutAction.HALT.timedOut(
                  "rank " + rank + ": MPI.Finalize did not complete within " + timeout.toMillis() / 1000.0 + " s",
                  Thread.currentThread());
            },
            "vdfc-mpi-finalize-guard-" + rank);
    guard.setDaemon(true);
    guard.start();
    try {
      MPI.Finalize();
    } finally {
      guard.interrupt();
    }
  }

  /**
   * The vdfc command line ({@link Vdfc#commandLine()}) plus the driver's hidden {@code scaling-passes} ({@link
   * ScalingPasses}), which only makes sense on ranks.
   */
  static picocli.CommandLine commandLine() {
    picocli.CommandLine cl = Vdfc.commandLine();
    cl.addSubcommand(new ScalingPasses());
    return cl;
  }

  /** Written to a sibling file and renamed, so the launcher never reads half a status. */
  private static void writeStatus(Path file, int code) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, code + "\n", StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
