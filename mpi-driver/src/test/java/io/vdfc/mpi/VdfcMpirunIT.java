package io.vdfc.mpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/vdfc-mpirun} as users run it, on the multicore device. A failsafe test (integration-test phase): the
 * script's class path is {@code plugin/target/lib}, which only {@code package} creates.
 */
class VdfcMpirunIT {
  private static final Duration LIMIT = Duration.ofSeconds(60);
  @TempDir Path work;

  private Launch mpirun(String... args) throws Exception {
    String[] command = new String[args.length + 1];
    command[0] = Launch.mpirun().toString();
    System.arraycopy(args, 0, command, 1, args.length);
    return Launch.run(work, LIMIT, Map.of(), command);
  }

  @Test
  void versionIsPrintedOnceByRankZero() throws Exception {
    Launch run = mpirun("-np", "2", "--version");
    assertEquals(0, run.exitCode(), run.err());
    assertEquals("vdfc 0.1.0\n", run.out());
    assertEquals("", run.err());
  }

  @Test
  void helpRunsOnFourRanks() throws Exception {
    Launch run = mpirun("-np", "4", "help");
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().startsWith("Usage: vdfc"), run.out());
    assertEquals(1, run.out().split("Usage: vdfc", -1).length - 1, "printed by rank 0 only:\n" + run.out());
  }

  @Test
  void anUnknownSubcommandFailsWithTheUsageExitCode() throws Exception {
    Launch run = mpirun("-np", "2", "no-such-command");
    assertEquals(2, run.exitCode(), run.err());
    assertTrue(run.err().startsWith("Unmatched argument at index 0: 'no-such-command'"), run.err());
    assertEquals(1, run.err().split("Unmatched argument", -1).length - 1, "printed once:\n" + run.err());
  }

  /**
   * RankMain fails before the command (a bad timeout property, given past the launcher's own check of --timeout);
   * MulticoreStarter would exit 0, the launcher must not.
   */
  @Test
  void aRankThatDiesBeforeTheCommandMakesTheLaunchFail() throws Exception {
    Launch run = Launch.run(work, LIMIT, Map.of("VDFC_JAVA_OPTS", "-Xmx1g -Dvdfc.mpi.timeout=-5"),
        Launch.mpirun().toString(), "-np", "2", "--version");
    assertEquals(1, run.exitCode(), run.err());
    assertTrue(run.err().matches("(?s)rank [01]: vdfc rank failed outside the command: IllegalArgumentException: "
        + "-Dvdfc.mpi.timeout must be positive, got '-5'\n.*"), run.err());
  }

  /**
   * The launcher adds the parallel collector only when VDFC_JAVA_OPTS names no collector: the JVM refuses to start with
   * two ("Multiple garbage collectors selected").
   */
  @Test
  void aCollectorNamedInTheOptionsIsTheOnlyOne() throws Exception {
    for (String gc : new String[] {"-XX:+UseSerialGC", "-XX:+UseG1GC", "-XX:+UseParallelGC"}) {
      Launch run = Launch.run(work, LIMIT, Map.of("VDFC_JAVA_OPTS", "-Xmx256m " + gc), Launch.mpirun().toString(),
          "-np", "2", "--version");
      assertEquals(0, run.exitCode(), gc + ": " + run.err());
      assertEquals("vdfc 0.1.0\n", run.out(), gc);
    }
  }

  @Test
  void badLauncherArgumentsAreUsageErrors() throws Exception {
    Launch run = mpirun("-np", "zero", "--version");
    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains("-np needs a positive whole number"), run.err());
    for (String t : new String[] {"abc", "0", "-5"}) { // were 34 lines of stack trace per rank and exit 1
      run = mpirun("-np", "2", "--timeout", t, "--version");
      assertEquals(2, run.exitCode(), run.err());
      assertEquals("vdfc-mpirun: --timeout needs a positive number of seconds, got '" + t + "'\n", run.err());
    }
  }
}
