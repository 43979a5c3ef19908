package io.vdfc.mpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vdfc.testing.SharedData;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/vdfc-scaling} end to end on the real restart with the shortest protocol (1 and 2 ranks, one launch each,
 * 2 warm-up and 5 timed passes): it runs, and what it prints holds together. The figures themselves are the
 * benchmark's to report, not a test's to assert.
 */
class ScalingBenchmarkIT {
  private static final Duration LIMIT = Duration.ofSeconds(240);
  @TempDir Path work;

  @Test
  void shortRunPrintsEveryFigureWithTheWarmUpApart() throws Exception {
    Path script = Launch.moduleDir().resolve("bin/vdfc-scaling");
    Launch run = Launch.run(work, LIMIT, Map.of("VDFC_JAVA_OPTS", "-Xmx1g"), script.toString(), "--restart",
        SharedData.realRestart().toString(), "--work", work.resolve("files").toString(), "--warmup", "2",
        "--other-warmup", "0", "--passes", "5", "--launches", "1");
    String out = run.out();
    assertEquals(0, run.exitCode(), out + run.err());
    assertTrue(out.contains("per launch 2 untimed warm-up passes, then 5 timed passes"), out);
    assertTrue(out.contains("(0 warm-ups before the fixed codec's and the decompression's)"), out);
    // the flags the ranks' JVM ran with, as the launcher passed them (one set: both rank counts, one launcher), with
    // the collector the launcher adds when VDFC_JAVA_OPTS names none
    assertTrue(out.contains("the ranks' JVM flags: -XX:+UseParallelGC -Xmx1g (vdfc-mpirun"), out);
    Matcher eff = Pattern.compile("parallel efficiency T1/\\(2\\*T2\\): ([0-9.]+) / \\(2 \\* ([0-9.]+)\\) = ([0-9.]+)")
        .matcher(out);
    assertTrue(eff.find(), out);
    double t1 = Double.parseDouble(eff.group(1)), t2 = Double.parseDouble(eff.group(2));
    assertTrue(t1 > 0 && t2 > 0, out);
    assertEquals(t1 / (2 * t2), Double.parseDouble(eff.group(3)), 0.006, out);
    Matcher ceiling = Pattern.compile("the machine's ceiling, .*: ([0-9.]+) / \\(2 \\* ([0-9.]+)\\) = ([0-9.]+) \\(per"
        + " launch: [0-9.]+\\); vdfc's efficiency is ([0-9.]+) of it").matcher(out);
    assertTrue(ceiling.find(), out);
    double c1 = Double.parseDouble(ceiling.group(1)), c2 = Double.parseDouble(ceiling.group(2));
    double ce = Double.parseDouble(ceiling.group(3));
    assertTrue(c1 > 0 && c2 > 0, out);
    // the times are printed to 3 decimals (~0.12 s: 0.4 % each) and the efficiency to 2, so they agree to ~0.01
    assertEquals(c1 / (2 * c2), ce, 0.012, out);
    assertEquals(Double.parseDouble(eff.group(3)) / ce, Double.parseDouble(ceiling.group(4)), 0.02, out);
    for (String ranks : new String[] {"1 rank", "2 ranks"}) {
      Matcher warm = Pattern.compile("warm-up, one-time and in no figure above, " + ranks + ": the 2 untimed passes took"
          + " ([0-9.]+) s").matcher(out);
      assertTrue(warm.find(), out);
      assertTrue(Double.parseDouble(warm.group(1)) > 0, out);
      assertTrue(out.contains("decision phase share, " + ranks + ": median "), out);
      assertTrue(out.contains("compressed file, " + ranks), out);
      assertTrue(out.contains("restored restart, " + ranks), out);
    }
    assertTrue(out.contains("decision: auto chose "), out);
    assertTrue(run.err().contains("launch 1 of 1, 2 ranks"), run.err());
  }
}
