package io.vdfc.mpi.ranks;

import io.vdfc.mpi.MpjCollectives;
import io.vdfc.mpi.RankRunner;
import io.vdfc.parallel.Collectives;
import io.vdfc.parallel.RankContext;
import io.vdfc.restart.VlsvRewrite;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import mpi.MPI;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Runs a small test command line through {@link RankRunner} on each rank, with {@link RankContext} set as {@code
 * RankMain} sets it, and returns {@code [exit code, stdout, stderr, millis]} of this rank. Sub-commands: {@code sum}
 * (prints the sum of the ranks), {@code throw R} (ten allreduce steps; rank R sleeps 300 ms at step 3, while the others
 * wait inside it, then throws {@code IllegalStateException("boom")}), {@code error R} (rank R throws an {@code
 * AssertionError} before any collective), {@code exit R C} (rank R returns C, the others 0), {@code abort R} (rank R
 * calls {@code Collectives.abort("bad input on R")} itself, the others a barrier), {@code agree R} (rank R reports an
 * I/O error through {@link VlsvRewrite#agree}, as a failed write does; it throws an {@code IOException}, exit code 4,
 * and the others the agreement's {@code CollectiveFailure}, exit code 5).
 */
public final class CommandRank {
  private CommandRank() {}

  public static Object run(String[] mpiArgs) throws Exception {
    String[] app = MPI.Init(mpiArgs);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    long start = System.nanoTime();
    int code;
    try (MpjCollectives c =
        new MpjCollectives(MPI.COMM_WORLD, Duration.ofSeconds(60), MpjCollectives.TimeoutAction.INTERRUPT)) {
      RankContext.install(c);
      code =
          new RankRunner(c, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
              .execute(new CommandLine(new Root()).setExecutionExceptionHandler(CommandRank::codes), app);
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    MPI.Finalize();
    return List.of(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), millis);
  }

  /** vdfc's codes for the two exceptions {@code agree} throws; any other goes to picocli's default handler. */
  private static int codes(Exception ex, CommandLine where, CommandLine.ParseResult parsed) throws Exception {
    if (ex instanceof IOException) {
      where.getErr().println(ex.getMessage());
      return 4;
    }
    if (ex instanceof Collectives.CollectiveFailure) {
      where.getErr().println(ex.getMessage());
      return 5;
    }
    throw ex;
  }

  @Command(name = "test", mixinStandardHelpOptions = true, version = "test 1",
      subcommands = {Sum.class, Throw.class, Error.class, Exit.class, Abort.class, Agree.class})
  static final class Root implements Runnable {
    @Override
    public void run() {}
  }

  @Command(name = "sum")
  static final class Sum implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      Collectives c = RankContext.collectives();
      spec.commandLine().getOut().println("sum of ranks " + c.allreduceSum(new long[] {c.rank()})[0]);
      return 0;
    }
  }

  /** A scenario in which rank {@code failing} (the first parameter) does something the others do not. */
  abstract static class OneRankFails implements Callable<Integer> {
    @Parameters(index = "0") int failing;

    @Override
    public Integer call() throws Exception {
      Collectives c = RankContext.collectives();
      run(c, c.rank() == failing);
      return 0;
    }

    /** @param fails whether this rank is the failing one */
    abstract void run(Collectives c, boolean fails) throws Exception;
  }

  @Command(name = "throw")
  static final class Throw extends OneRankFails {
    @Override
    void run(Collectives c, boolean fails) throws InterruptedException {
      for (int step = 0; step < 10; step++) {
        if (step == 3 && fails) {
          Thread.sleep(300);
          throw new IllegalStateException("boom");
        }
        c.allreduceSum(new long[] {step});
      }
    }
  }

  @Command(name = "error")
  static final class Error extends OneRankFails {
    @Override
    void run(Collectives c, boolean fails) {
      if (fails) {
        throw new AssertionError("simulated error");
      }
      c.barrier();
    }
  }

  @Command(name = "exit")
  static final class Exit implements Callable<Integer> {
    @Parameters(index = "0") int rank;
    @Parameters(index = "1") int code;

    @Override
    public Integer call() {
      return RankContext.collectives().rank() == rank ? code : 0;
    }
  }

  @Command(name = "agree")
  static final class Agree extends OneRankFails {
    @Override
    void run(Collectives c, boolean fails) throws IOException {
      String mine = fails ? "rank " + failing + ": disk full" : null;
      try {
        VlsvRewrite.agree(mine, c);
      } catch (Collectives.CollectiveFailure f) {
        if (mine != null) {
          throw new IOException(f.getMessage()); // as VlsvRewrite.write rethrows its own I/O error
        }
        throw f;
      }
    }
  }

  @Command(name = "abort")
  static final class Abort extends OneRankFails {
    @Override
    void run(Collectives c, boolean fails) {
      if (fails) {
        c.abort("bad input on " + failing);
      }
      c.barrier();
    }
  }
}
