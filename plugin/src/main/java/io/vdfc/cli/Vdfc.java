package io.vdfc.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code vdfc} command line. Exit codes: 0 success, 1 a check failed (verify found errors over the bound), 2 bad
 * usage or configuration, 3 bad input data or a corrupt file, 4 an I/O error.
 */
@Command(
    name = "vdfc",
    mixinStandardHelpOptions = true,
    version = "vdfc 0.1.0",
    description = "Compress Vlasiator velocity distribution functions with stated, verified error bounds.",
    subcommands = {CommandLine.HelpCommand.class})
public final class Vdfc implements Runnable {
  public static final int EXIT_OK = 0;
  public static final int EXIT_CHECK_FAILED = 1;
  public static final int EXIT_USAGE = 2;
  public static final int EXIT_BAD_INPUT = 3;
  public static final int EXIT_IO = 4;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line (shared by main, tests and the MPI driver). */
  public static CommandLine commandLine() {
    return new CommandLine(new Vdfc());
  }
}
