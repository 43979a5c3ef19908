package io.vdfc.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code vdfc restart compress|decompress|verify}: the restart utilities. The same commands as at the top level,
 * grouped for restart files; each runs on one rank or, under {@code mpi-driver/bin/vdfc-mpirun -np N}, on N ranks that
 * share the cells and write one file together.
 */
@Command(name = "restart", mixinStandardHelpOptions = true,
    header = "Restart utilities (compress, decompress, verify) on one rank or under vdfc-mpirun.",
    description = {"Restart utilities: compress a Vlasiator restart (optionally with --config CFG and its [compression]",
        "section), decompress it back into a standard restart, verify a candidate against the original.",
        "Run alone or under mpi-driver/bin/vdfc-mpirun -np N."},
    subcommands = {CompressCommand.class, DecompressCommand.class, VerifyCommand.class, CommandLine.HelpCommand.class})
public final class RestartCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
