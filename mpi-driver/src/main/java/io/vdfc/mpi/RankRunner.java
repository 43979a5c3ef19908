package io.vdfc.mpi;

import io.vdfc.parallel.Collectives.CollectiveFailure;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import picocli.CommandLine;

/**
 * Runs one picocli command line on one rank and makes every rank end with the same exit code.
 *
 * <ul>
 *   <li><b>Output.</b> The command's normal output ({@code spec.commandLine().getOut()}) goes to {@code out} on rank 0
 *       and nowhere on the other ranks. A command that wants per-rank lines writes them to {@code System.out} itself,
 *       prefixed with its rank. Usage errors (the same on every rank) are printed by rank 0 only, unprefixed.
 *   <li><b>Errors.</b> A rank whose command throws prints the error through the command line's usual handler on {@code
 *       err}, every line prefixed {@code rank N: }, then {@linkplain MpjCollectives#abort(String, int) aborts}, so every
 *       other rank's pending or next collective fails with {@code rank N failed: <Type>: <message>}. Ranks stopped that
 *       way stay quiet, except rank 0, which prints one line {@code rank 0: stopped because rank N failed: ...} (also
 *       when a command called {@code abort} itself, which prints nothing else).
 *   <li><b>Exit code.</b> After the command every rank takes part in one {@code allreduceMax} of its exit code, which
 *       also catches a failure not yet seen (a rank that failed while this one ran no collective). When a rank failed,
 *       every rank returns the largest exit code of the ranks that announced a failure. A rank that only learnt of
 *       other ranks' failures from one of the command's own agreements (a {@link CollectiveFailure}, which vdfc maps to
 *       exit code 5) announces 1, so the code all return is that of a rank that failed itself.
 * </ul>
 */
public final class RankRunner {
  private final MpjCollectives collectives;
  private final PrintStream out;
  private final PrintStream err;
  private final int rank;
  private PrintWriter rankErr;
  /** Whether this rank printed its own error (then rank 0 adds no "stopped because" line). */
  private boolean reportedHere;

  public RankRunner(MpjCollectives collectives, PrintStream out, PrintStream err) {
    this.collectives = Objects.requireNonNull(collectives, "collectives");
    this.out = Objects.requireNonNull(out, "out");
    this.err = Objects.requireNonNull(err, "err");
    this.rank = collectives.rank();
  }

  /** Runs {@code commandLine} with {@code args} here; returns the exit code every rank agreed on. */
  public int execute(CommandLine commandLine, String... args) {
    rankErr = new PrintWriter(new LinePrefixWriter("rank " + rank + ": ", utf8(err)), true);
    PrintWriter plainErr = new PrintWriter(utf8(err), true);
    commandLine.setOut(rank == 0 ? new PrintWriter(utf8(out), true) : new PrintWriter(Writer.nullWriter()));
    commandLine.setErr(rankErr);
    CommandLine.IParameterExceptionHandler usage = commandLine.getParameterExceptionHandler();
    commandLine.setParameterExceptionHandler(
        (ex, badArgs) -> {
          if (rank != 0) {
            return ex.getCommandLine().getCommandSpec().exitCodeOnInvalidInput();
          }
          CommandLine where = ex.getCommandLine();
          where.setErr(plainErr);
          try {
            return usage.handleParseException(ex, badArgs);
          } finally {
            where.setErr(rankErr);
          }
        });
    CommandLine.IExecutionExceptionHandler failed = commandLine.getExecutionExceptionHandler();
    commandLine.setExecutionExceptionHandler(
        (ex, where, parsed) -> onFailure(ex, () -> failed.handleExecutionException(ex, where, parsed), where));
    int code;
    try {
      code = commandLine.execute(args);
    } catch (Throwable e) { // an Error, which picocli does not hand to the execution exception handler
      code = onFailure(e, () -> { throw e; }, commandLine);
    }
    int agreed = agree(code);
    rankErr.flush();
    return agreed;
  }

  @FunctionalInterface
  private interface Handler {
    int handle() throws Throwable;
  }

  private int onFailure(Throwable e, Handler usual, CommandLine where) {
    if (collectives.failure() != null && causedByCollectiveFailure(e)) {
      return collectives.failureExitCode(); // another rank's failure (or a mismatch): every rank already knows
    }
    int code;
    try {
      code = usual.handle();
    } catch (Throwable rethrown) { // picocli's default handler rethrows; print as picocli would
      rethrown.printStackTrace(rankErr);
      code = where.getCommandSpec().exitCodeOnExecutionException();
    }
    rankErr.flush();
    reportedHere = true;
    try {
      // a rank that only learnt of other ranks' failures from an agreement of the command's own (a CollectiveFailure it
      // did not cause) announces 1, so that the exit code is that of a rank that failed itself (an I/O error: 4, say)
      collectives.abort(describe(e), causedByCollectiveFailure(e) ? 1 : Math.max(1, code));
    } catch (CollectiveFailure expected) {
      // abort always ends in the failure it announced (or an earlier one)
    }
    return code;
  }

  private int agree(int code) {
    if (collectives.failure() == null) {
      try {
        return (int) collectives.allreduceMax(new long[] {code})[0];
      } catch (CollectiveFailure e) {
        // a rank failed while this one ran no collective; reported below
      }
    }
    if (rank == 0 && !reportedHere) {
      rankErr.println("stopped because " + collectives.failure().getMessage());
    }
    return Math.max(1, collectives.failureExitCode());
  }

  private static boolean causedByCollectiveFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CollectiveFailure) {
        return true;
      }
    }
    return false;
  }

  /** What travels to the other ranks: the exception's simple type and message. */
  static String describe(Throwable e) {
    String message = e.getMessage();
    String type = e.getClass().getSimpleName().isEmpty() ? e.getClass().getName() : e.getClass().getSimpleName();
    return message == null ? type : type + ": " + message;
  }

  private static Writer utf8(PrintStream stream) {
    return new OutputStreamWriter(stream, StandardCharsets.UTF_8);
  }
}
