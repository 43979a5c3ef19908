package io.vdfc.adapter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vdfc.restart.CompressedFile;
import io.vdfc.testing.SharedData;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VlsvVdfSource;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The C++ host {@code target/vdfc-host} under {@code mpirun} on the real restart with {@code configs/insitu.cfg}: one
 * JVM per rank, the plugin's collectives over the host's MPI, load/compress/decompress/restart checked on every cell
 * by the host, and the compressed restart it wrote checked again here by the plugin's reader. Skipped where the host was not built
 * ({@code -Dvdfc.host.skip=true}) or there is no {@code mpirun}.
 */
class VdfcHostTest {
  @TempDir Path dir;

  /** C1 only: these runs are too short for C2 to pay off, and 2 cores are shared by up to 4 JVMs. */
  private static final Map<String, String> FAST_JVM = Map.of("VDFC_JVM_OPTIONS", "-XX:TieredStopAtLevel=1");

  record Run(int exitCode, String output) {}

  private static Path host() {
    Path host = Path.of(System.getProperty("vdfc.host", "target/vdfc-host"));
    assumeTrue(Files.isExecutable(host), "vdfc-host not built: " + host);
    assumeTrue(onPath("mpirun"), "no mpirun on PATH");
    return host;
  }

  private static boolean onPath(String tool) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(d, tool))) {
        return true;
      }
    }
    return false;
  }

  /** The integer after {@code key=} on the host's RESULT lines. */
  private static long figure(String out, String key) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\b" + key + "=(\\d+)").matcher(out);
    assertTrue(m.find(), key + " missing in:\n" + out);
    return Long.parseLong(m.group(1));
  }

  private Run mpirun(int np, Map<String, String> env, String... hostArgs) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("mpirun", "--oversubscribe"));
    if ("root".equals(System.getProperty("user.name"))) {
      cmd.add("--allow-run-as-root");
    }
    for (String name : env.keySet()) {
      cmd.add("-x");
      cmd.add(name);
    }
    cmd.addAll(List.of("-np", Integer.toString(np), host().toString()));
    cmd.addAll(List.of(hostArgs));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(dir.resolve("out-" + np + ".txt").toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new AssertionError("mpirun -np " + np + " did not finish in 120 s: "
          + Files.readString(dir.resolve("out-" + np + ".txt")));
    }
    return new Run(p.exitValue(), Files.readString(dir.resolve("out-" + np + ".txt"), StandardCharsets.UTF_8));
  }

  /**
   * The repository's in-situ config (configs/insitu.cfg, the real restart's run config with [compression]) copied into
   * the test's directory, with restart_in pointing at the real restart and restart_out into the directory.
   */
  private Path config() throws IOException {
    Path source = Path.of(System.getProperty("vdfc.insitu.config", "../configs/insitu.cfg"));
    StringBuilder sb = new StringBuilder();
    for (String line : Files.readAllLines(source, StandardCharsets.UTF_8)) {
      if (line.startsWith("restart_in")) {
        line = "restart_in = " + SharedData.realRestart();
      } else if (line.startsWith("restart_out")) {
        line = "restart_out = " + dir.resolve("insitu.restart.vdfc.vlsv");
      }
      sb.append(line).append('\n');
    }
    return Files.writeString(dir.resolve("insitu.cfg"), sb.toString());
  }

  private static void noCrash(Run run) {
    for (String sign : List.of("SIGSEGV", "hs_err_pid", "core dumped", "Segmentation fault", "terminate called")) {
      assertFalse(run.output().contains(sign), sign + " in:\n" + run.output());
    }
  }

  @ParameterizedTest(name = "np {0}")
  @ValueSource(ints = {1, 2, 4})
  void everyRankLoadsCompressesChecksWritesAndRestartsTheRealRestart(int np) throws Exception {
    Run run = mpirun(np, FAST_JVM, "--config", config().toString(), "--warm-up", "1");
    String out = run.output();
    assertEquals(0, run.exitCode(), out);
    for (String check : List.of("load", "collectives", "errors", "bound", "moments", "restart")) {
      assertTrue(out.contains("CHECK " + check + " ok"), check + " missing in:\n" + out);
    }
    assertTrue(out.contains("RESULT ranks=" + np + " cells=60 blocks=141275 "), out);
    for (String target : List.of("TARGET memory:", "TARGET overhead:", "TARGET heap: -Xmx256m")) {
      assertTrue(out.contains(target), target + " missing in:\n" + out);
    }
    // The VDF memory is counted, not read off VmRSS: the freed containers leave nothing, and the compressed cells take
    // their records' bytes and little more, so memory shrinks by about the ratio whatever the JIT does meanwhile.
    long compressed = figure(out, "compressed_bytes");
    long after = figure(out, "vdf_bytes_after");
    assertTrue(after >= compressed && after < 1.1 * compressed, "VDF bytes after " + after + " for " + compressed
        + " compressed bytes:\n" + out);
    assertTrue(figure(out, "vdf_bytes_before") > figure(out, "reference_bytes"), "the containers hold the data and more");
    assertTrue(out.contains("of the ratio (target >= 0.9): met"), out);
    assertTrue(out.contains("ALL CHECKS PASSED"), out);
    assertFalse(out.contains("FAILED"), out);
    noCrash(run);
    // The written file, read by the plugin's own reader: every cell of the real restart within its recorded bound.
    Path written = dir.resolve("insitu.restart.vdfc.vlsv");
    try (CompressedFile f = CompressedFile.open(written); VlsvVdfSource original = VlsvVdfSource.open(SharedData.realRestart())) {
      long[] ids = original.cellIds("proton");
      assertArrayEquals(ids, f.cellIds("proton"));
      for (int p = 0; p < ids.length; p++) {
        CellVdf want = original.cellAt("proton", p);
        CellVdf got = f.cellAt("proton", p);
        double bound = f.recordTolerance("proton", p);
        assertEquals(1e-16, bound, 1e-16 * 1e-6, "tolerance = minValue, recorded as float32");
        assertArrayEquals(want.blockIds(), got.blockIds());
        for (int i = 0; i < want.values().length; i++) {
          assertTrue(Math.abs((double) got.values()[i] - want.values()[i]) <= bound, "cell " + ids[p] + " value " + i);
        }
      }
    }
  }

  @Test
  void anUnknownCompressionKeyIsAConfigErrorOnEveryRank() throws Exception {
    Path cfg = Files.writeString(dir.resolve("bad.cfg"),
        Files.readString(config()) + "deflate_level = 1\n");
    Run run = mpirun(2, FAST_JVM, "--config", cfg.toString());
    assertEquals(2, run.exitCode(), run.output());
    for (int rank = 0; rank < 2; rank++) {
      assertTrue(run.output().contains("ERROR rank " + rank + ": vdfc_open status=VDFC_E_CONFIG code=2 message="),
          run.output());
    }
    assertTrue(run.output().contains("bad.cfg") && run.output().contains("'deflate_level' is unknown"),
        "the message names the file and the key:\n" + run.output());
    noCrash(run);
  }

  /** One rank given a config it cannot read, the others a good one: every rank stops, and each names rank 1's file. */
  @Test
  void aConfigOneRankCannotReadStopsEveryRankNamingThatRank() throws Exception {
    Path missing = dir.resolve("no-such.cfg");
    Run run = mpirun(2, FAST_JVM, "--config", config().toString(), "--config-on-rank", "1=" + missing);
    assertEquals(2, run.exitCode(), run.output());
    for (int rank = 0; rank < 2; rank++) {
      String line = errorLine(run, rank);
      assertTrue(line.contains("vdfc_open status=VDFC_E_CONFIG code=2 message="), line);
      assertTrue(line.contains(missing.toString()), "rank " + rank + " names rank 1's file: " + line);
    }
    assertTrue(errorLine(run, 0).contains("rank 1: cannot read config"), run.output());
    noCrash(run);
  }

  /** One rank writing its parts elsewhere would leave holes in the file: every rank refuses, naming both paths. */
  @Test
  void aRankGivingAnotherRestartPathStopsEveryRankAndWritesNothing() throws Exception {
    Path elsewhere = dir.resolve("elsewhere.vlsv");
    Run run = mpirun(2, FAST_JVM, "--config", config().toString(), "--warm-up", "0", "--restart-on-rank",
        "1=" + elsewhere);
    assertEquals(3, run.exitCode(), run.output());
    for (int rank = 0; rank < 2; rank++) {
      String line = errorLine(run, rank);
      assertTrue(line.contains("vdfc_write_restart status=VDFC_E_ARGUMENT"), line);
      assertTrue(line.contains("rank 1 writes populations [proton] to " + elsewhere), line);
    }
    assertFalse(Files.exists(elsewhere), "nothing written at rank 1's path");
    assertFalse(Files.exists(dir.resolve("insitu.restart.vdfc.vlsv")), "nothing written at the others' path");
    assertNoPartials();
    noCrash(run);
  }

  /**
   * Rank 1 fails after writing its parts, before the ranks agree to rename (test-only fault injection): every rank
   * returns the error through the host's MPI, none hangs or needs MPI_Abort, and the earlier restart at the path stays.
   */
  @Test
  void aRankFailingMidWriteStopsEveryRankAndKeepsTheEarlierRestart() throws Exception {
    Path cfg = config();
    Path out = dir.resolve("insitu.restart.vdfc.vlsv");
    byte[] earlier = "an earlier restart".getBytes(StandardCharsets.UTF_8);
    Files.write(out, earlier);
    Run run = mpirun(2, Map.of("VDFC_JVM_OPTIONS", FAST_JVM.get("VDFC_JVM_OPTIONS")
        + " -Dvdfc.fault.rank=1 -Dvdfc.fault.at=write"), "--config", cfg.toString(), "--warm-up", "0");
    assertEquals(3, run.exitCode(), run.output());
    for (int rank = 0; rank < 2; rank++) {
      String line = errorLine(run, rank);
      assertTrue(line.contains("vdfc_write_restart status=VDFC_E_COLLECTIVE"), line);
      assertTrue(line.contains("rank 1: writing its parts of " + out + ".vdfc-partial: injected fault"), line);
    }
    assertArrayEquals(earlier, Files.readAllBytes(out), "the earlier restart is kept");
    assertNoPartials();
    noCrash(run);
  }

  /** The host's one {@code ERROR rank R:} line. */
  private static String errorLine(Run run, int rank) {
    List<String> lines = run.output().lines().filter(l -> l.startsWith("ERROR rank " + rank + ": ")).toList();
    assertEquals(1, lines.size(), "one ERROR line of rank " + rank + " in:\n" + run.output());
    return lines.get(0);
  }

  private void assertNoPartials() throws IOException {
    try (var files = Files.list(dir)) {
      List<Path> partials = files.filter(p -> p.getFileName().toString().endsWith(".vdfc-partial")).toList();
      assertTrue(partials.isEmpty(), "temporary files left: " + partials);
    }
  }

  @Test
  void aMissingConfigIsAStatusCodeWithAMessage() throws Exception {
    Run run = mpirun(1, FAST_JVM, "--config", dir.resolve("no-such.cfg").toString());
    assertEquals(2, run.exitCode(), run.output());
    assertTrue(run.output().contains("ERROR rank 0: vdfc_open status=VDFC_E_CONFIG code=2 message="), run.output());
    assertTrue(run.output().contains("no-such.cfg"), "the message names the file:\n" + run.output());
    noCrash(run);
  }

  @Test
  void withoutAJvmCallsReturnNoJvmNotAFalseOk() throws Exception {
    Path check = Path.of(System.getProperty("vdfc.nojvm", "target/vdfc-nojvm-check"));
    assumeTrue(Files.isExecutable(check), "vdfc-nojvm-check not built: " + check);
    Process p = new ProcessBuilder(check.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.startsWith("NOJVM OK: VDFC_E_NO_JVM: vdfc_open: no JVM is running"), out);
  }

  /** After JavaCPP_uninit has ended the JVM, calls return VDFC_E_NO_JVM again; they had returned a false VDFC_OK. */
  @Test
  void afterTheJvmHasEndedCallsReturnNoJvmNotAFalseOk() throws Exception {
    Path check = Path.of(System.getProperty("vdfc.nojvm", "target/vdfc-nojvm-check"));
    assumeTrue(Files.isExecutable(check), "vdfc-nojvm-check not built: " + check);
    Path cpFile = Path.of(System.getProperty("vdfc.classpath.file", "target/vdfc-classpath.txt"));
    String cp = cpFile.resolveSibling("classes") + ":" + Files.readString(cpFile).strip();
    Process p = new ProcessBuilder(check.toString(), cp).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("NOJVM OK: VDFC_E_NO_JVM: vdfc_block_count: no JVM is running"), out);
  }

  @Test
  void aClassPathWithoutVdfcIsReportedNotCrashed() throws Exception {
    Run run = mpirun(1, Map.of("VDFC_CLASSPATH", dir.resolve("empty").toString()), "--config", config().toString());
    assertEquals(2, run.exitCode(), run.output());
    assertTrue(run.output().contains("ERROR rank 0: JVM start: VDFC_E_NO_JVM"), run.output());
    noCrash(run);
  }
}
