package io.vdfc.mpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vdfc.mpi.ranks.StallingRankMain;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default timeout action in a real multicore JVM: a rank that stops calling collectives ends the whole run with
 * {@link MpjCollectives#EXIT_TIMEOUT} and a message naming the waiting rank and the operation, about one timeout after.
 */
class WatchdogHaltIT {
  @TempDir Path work;

  @Test
  void aStalledRankEndsTheRunWith124AfterTheTimeout() throws Exception {
    Path lib = MpjHarness.mpjLib();
    String device = Arrays.stream(new String[] {"smpdev", "xdev", "mpjbuf", "loader2", "starter", "mpiExp"})
        .map(name -> lib.resolve(name + ".jar").toString())
        .collect(Collectors.joining(File.pathSeparator)) + File.pathSeparator + "/usr/share/java/log4j-1.2.jar";
    String app = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> !entry.isEmpty() && !MpjHarness.isMpjJar(entry))
        .collect(Collectors.joining(File.pathSeparator));
    Launch run = Launch.run(work, Duration.ofSeconds(60), Map.of(), "java", "-Dvdfc.mpi.timeout=1", "-cp", device,
        "runtime.starter.MulticoreStarter", work.toString(), "3", "smpdev", "useLocalLoader", app,
        StallingRankMain.class.getName());
    assertEquals(MpjCollectives.EXIT_TIMEOUT, run.exitCode(), run.out() + run.err());
    assertEquals("", run.out());
    assertTrue(run.err().matches("(?s)rank [02]: collective barrier\\(\\) #1 did not complete within 1\\.0 s; .*"),
        run.err());
    assertTrue(run.elapsed().toMillis() < 15_000, "halted after " + run.elapsed());
  }
}
