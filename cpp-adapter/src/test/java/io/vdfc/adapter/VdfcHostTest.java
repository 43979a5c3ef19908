package io.vdfc.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
 * The C++ host {@code target/vdfc-host} under {@code mpirun}: one JVM per rank, the plugin's collectives over the
 * host's MPI, compress/decompress/restart checked on every cell. Skipped where the host was not built
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

  private static String config() {
    return Path.of("configs/host-placeholder.cfg").toAbsolutePath().toString();
  }

  private static void noCrash(Run run) {
    for (String sign : List.of("SIGSEGV", "hs_err_pid", "core dumped", "Segmentation fault", "terminate called")) {
      assertFalse(run.output().contains(sign), sign + " in:\n" + run.output());
    }
  }

  @ParameterizedTest(name = "np {0}")
  @ValueSource(ints = {1, 2, 4})
  void everyRankCompressesChecksAndRestarts(int np) throws Exception {
    Run run = mpirun(np, FAST_JVM, "--config", config(), "--cells", "8", "--restart",
        dir.resolve("restart.vdfcr").toString());
    String out = run.output();
    assertEquals(0, run.exitCode(), out);
    for (String check : List.of("collectives", "errors", "roundtrip", "restart")) {
      assertTrue(out.contains("CHECK " + check + " ok"), check + " missing in:\n" + out);
    }
    assertTrue(out.contains("RESULT ranks=" + np + " cells=8 "), out);
    assertTrue(out.contains("ALL CHECKS PASSED"), out);
    assertFalse(out.contains("FAILED"), out);
    noCrash(run);
  }

  @Test
  void aBadConfigPathIsAStatusCodeWithAMessageOnEveryRank() throws Exception {
    String bad = dir.resolve("no-such.cfg").toString();
    Run run = mpirun(2, FAST_JVM, "--config", bad, "--cells", "2", "--restart", dir.resolve("r").toString());
    assertNotEquals(0, run.exitCode(), run.output());
    for (int rank = 0; rank < 2; rank++) {
      assertTrue(run.output().contains("ERROR rank " + rank + ": vdfc_open status=VDFC_E_CONFIG code=2 message="),
          run.output());
    }
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

  @Test
  void aClassPathWithoutVdfcIsReportedNotCrashed() throws Exception {
    Run run = mpirun(1, Map.of("VDFC_CLASSPATH", dir.resolve("empty").toString()), "--config", config());
    assertEquals(2, run.exitCode(), run.output());
    assertTrue(run.output().contains("ERROR rank 0: JVM start: VDFC_E_NO_JVM"), run.output());
    noCrash(run);
  }
}
