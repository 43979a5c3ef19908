package io.vdfc.cli;

import io.vdfc.parallel.Collectives;
import io.vdfc.vlsv.VlsvFormatException;
import java.io.IOException;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code vdfc} command line. Exit codes: 0 success, 1 a check failed (verify found errors over the bound), 2 bad
 * usage or configuration, 3 bad input data or a corrupt file, 4 an I/O error, 5 another rank failed.
 */
@Command(
    name = "vdfc",
    mixinStandardHelpOptions = true,
    version = "vdfc 0.1.0",
    description = "Compress Vlasiator velocity distribution functions with stated, verified error bounds.",
    footer = {"", "Exit codes: 0 ok, 1 a check failed, 2 bad usage or configuration,",
        "3 bad or corrupt input, 4 I/O error or out of memory, 5 another rank failed."},
    subcommands = {
      CommandLine.HelpCommand.class,
      InspectCommand.class,
      CompressCommand.class,
      DecompressCommand.class,
      VerifyCommand.class,
      CodecsCommand.class,
      BenchCommand.class,
      RestartCommand.class,
      ExportCommand.class,
      PlotCommand.class,
    })
public final class Vdfc implements Runnable {
  public static final int EXIT_OK = 0;
  public static final int EXIT_CHECK_FAILED = 1;
  public static final int EXIT_USAGE = 2;
  public static final int EXIT_BAD_INPUT = 3;
  public static final int EXIT_IO = 4;
  public static final int EXIT_OTHER_RANK = 5;

  static final String[] EXIT_CODES = {"", "Exit codes: 0 ok, 1 a check failed, 2 bad usage or configuration,",
      "3 bad or corrupt input, 4 I/O error or out of memory, 5 another rank failed."};

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line (shared by main, tests and the MPI driver). */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Vdfc());
    exitCodesInHelp(cl);
    cl.setUsageHelpWidth(120); // descriptions are written as lines of up to ~115 characters; 80 breaks each in two
    CommandLine.IExecutionStrategy usual = cl.getExecutionStrategy();
    cl.setExecutionStrategy(parsed -> {
      try {
        return usual.execute(parsed);
      } catch (OutOfMemoryError e) { // an Error, which picocli hands to no handler: a message and exit 4 instead
        List<CommandLine> chain = parsed.asCommandLineList();
        throw new CommandLine.ExecutionException(chain.get(chain.size() - 1), "out of memory",
            new OutOfMemory(e, Runtime.getRuntime().maxMemory()));
      }
    });
    cl.setExecutionExceptionHandler((e, line, parse) -> {
      // the whole command, 'vdfc restart compress' (it said 'vdfc compress' for both)
      line.getErr().println(line.getCommandSpec().qualifiedName(" ") + ": " + message(e));
      if (System.getenv("VDFC_DEBUG") != null) {
        e.printStackTrace(line.getErr());
      }
      return exitCode(e);
    });
    return cl;
  }

  /**
   * Every subcommand's --help ends with the exit codes, as the root's does, and its -V prints the root's version (a
   * subcommand's own version is empty, so {@code vdfc compress -V} printed nothing).
   */
  private static void exitCodesInHelp(CommandLine cl) {
    for (CommandLine sub : cl.getSubcommands().values()) {
      if (sub.getCommandSpec().usageMessage().footer().length == 0 && !(sub.getCommand() instanceof CommandLine.HelpCommand)) {
        sub.getCommandSpec().usageMessage().footer(EXIT_CODES);
      }
      if (sub.getCommandSpec().version().length == 0) {
        sub.getCommandSpec().version(cl.getCommandSpec().version());
      }
      exitCodesInHelp(sub);
    }
  }

  /** The exit code for an exception that ended a command. */
  public static int exitCode(Throwable e) {
    if (e instanceof Collectives.CollectiveFailure) {
      return EXIT_OTHER_RANK;
    }
    if (e instanceof io.vdfc.verify.ContentMismatch) {
      return EXIT_CHECK_FAILED;
    }
    if (e instanceof VlsvFormatException || e instanceof io.vdfc.compress.BadVdfException
        || e instanceof io.vdfc.codec.CorruptRecordException || e instanceof io.vdfc.vdf.NoVdfException) {
      return EXIT_BAD_INPUT;
    }
    if (e instanceof IOException) {
      return EXIT_IO;
    }
    if (e instanceof IllegalArgumentException) {
      return EXIT_USAGE;
    }
    return EXIT_IO;
  }

  private static String message(Throwable e) {
    return io.vdfc.vlsv.IoErrors.describe(e);
  }
}
