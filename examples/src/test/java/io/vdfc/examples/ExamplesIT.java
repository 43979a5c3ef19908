package io.vdfc.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vdfc.testing.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every example under {@code examples/} and every {@code configs/*.cfg}, run the way the README says, as separate
 * processes from the checkout root after the modules are packaged: exit 0 and the output they promise.
 *
 * <p>Configs: each is copied with {@code restart_in} made absolute and {@code restart_out} pointed into a temporary
 * directory, then run by {@code bin/vdfc compress --config} and checked by {@code bin/vdfc verify}. With
 * {@code -Dvdfc.examples.full=false} the configs' settings run on the small real file instead of their restart.
 */
class ExamplesIT {
  @TempDir Path tmp;

  static final Path ROOT = root();
  static final long TIMEOUT_S = 600;

  record Result(int code, String output) {}

  private static Path root() {
    String p = System.getProperty("vdfc.root");
    Path dir = p != null ? Paths.get(p) : Paths.get("").toAbsolutePath().getParent();
    return dir.toAbsolutePath().normalize();
  }

  static Result run(List<String> cmd) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true);
    pb.environment().put("VDFC_JAVA_OPTS", "-Xmx1g");
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(cmd + " did not finish in " + TIMEOUT_S + " s");
    }
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  static Path small() {
    return SharedData.file("vlsvrs/fullf.0000001.vlsv");
  }

  @Test
  void javaApiCompressesOneCellOfTheRealRestart() throws Exception {
    Result r = run(List.of("bash", "examples/java-api/run.sh"));
    assertEquals(0, r.code(), r.output());
    assertTrue(r.output().contains("ratio") && r.output().strip().endsWith("OK"), r.output());
  }

  @Test
  void commandLineExampleWritesEveryOutput() throws Exception {
    Result r = run(List.of("bash", "examples/cli.sh", small().toString(), tmp.toString()));
    assertEquals(0, r.code(), r.output());
    assertTrue(r.output().contains("cli example: OK"), r.output());
    assertTrue(r.output().contains("non-VDF content identical: true"), r.output());
    for (String f : new String[] {"cli.vdfc.vlsv", "cli.restored.vlsv", "cli.h5", "cli.png"}) {
      assertTrue(Files.size(tmp.resolve(f)) > 0, f);
    }
    assertTrue(ImageIO.read(tmp.resolve("cli.png").toFile()).getWidth() > 400, "a real PNG");
  }

  @Test
  void mpirunExampleCompressesAndVerifiesOnTwoRanks() throws Exception {
    Result r = run(List.of("bash", "examples/mpirun.sh", small().toString(), tmp.toString()));
    assertEquals(0, r.code(), r.output());
    assertTrue(r.output().contains("non-VDF content identical: true") && r.output().contains("mpirun example: OK"),
        r.output());
  }

  @Test
  void cppHostExampleRunsTwoRanksWithTheInSituConfig() throws Exception {
    Path host = ROOT.resolve("cpp-adapter/target/vdfc-host");
    assumeTrue(Files.isExecutable(host), "cpp-adapter/target/vdfc-host is not built (mvn -B -pl cpp-adapter -am package;"
        + " needs Open MPI and g++): the C++ host example is skipped");
    assumeTrue(onPath("mpirun"), "mpirun not on the PATH (apt-get install openmpi-bin): the C++ host example is skipped");
    Result r = run(List.of("bash", "examples/cpp-host.sh", "2", tmp.toString()));
    assertEquals(0, r.code(), r.output());
    assertFalse(r.output().contains("FAILED"), r.output());
    assertTrue(r.output().contains("ALL CHECKS PASSED") && r.output().contains("cpp-host example: OK"), r.output());
    assertTrue(Files.size(tmp.resolve("cpp-host.restart.vdfcr")) > 0, "the host's compressed restart");
  }

  @TestFactory
  Stream<DynamicTest> everyConfigCompressesAndVerifies() throws IOException {
    List<Path> configs;
    try (Stream<Path> s = Files.list(ROOT.resolve("configs"))) {
      configs = s.filter(p -> p.toString().endsWith(".cfg")).sorted().toList();
    }
    assertTrue(configs.size() >= 3, "configs/: restart, in-situ and auto-budget configs");
    boolean full = Boolean.parseBoolean(System.getProperty("vdfc.examples.full", "true"));
    return configs.stream().map(cfg -> DynamicTest.dynamicTest(cfg.getFileName().toString(), () -> runConfig(cfg, full)));
  }

  private void runConfig(Path cfg, boolean full) throws Exception {
    String text = Files.readString(cfg);
    Path in = cfg.getParent().resolve(value(text, "restart_in")).normalize();
    assertTrue(Files.isRegularFile(in), cfg + ": restart_in " + in + " exists");
    Path out = tmp.resolve(cfg.getFileName() + ".vdfc.vlsv");
    Path copy = tmp.resolve(cfg.getFileName());
    Files.writeString(copy, text.replaceAll("(?m)^(\\s*restart_in\\s*=).*$", "$1 " + Matcher.quoteReplacement(in.toString()))
        .replaceAll("(?m)^(\\s*restart_out\\s*=).*$", "$1 " + Matcher.quoteReplacement(out.toString())));
    List<String> cmd = new ArrayList<>(List.of("bin/vdfc", "compress", "--config", copy.toString(), "-q"));
    Path original = in;
    if (!full) {
      original = small();
      cmd.addAll(List.of(original.toString(), out.toString()));
    }
    Result r = run(cmd);
    assertEquals(0, r.code(), cfg + ":\n" + r.output());
    assertTrue(Files.size(out) > 0 && Files.size(out) < Files.size(original), cfg + ": a smaller file\n" + r.output());
    r = run(List.of("bin/vdfc", "verify", original.toString(), out.toString()));
    assertEquals(0, r.code(), cfg + ": verify\n" + r.output());
    assertTrue(r.output().contains("non-VDF content identical: true"), r.output());
  }

  private static String value(String cfg, String key) {
    Matcher m = Pattern.compile("(?m)^\\s*" + key + "\\s*=\\s*(\\S+)").matcher(cfg);
    assertTrue(m.find(), "key " + key + " in the config");
    return m.group(1);
  }

  private static boolean onPath(String exe) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Paths.get(dir, exe))) {
        return true;
      }
    }
    return false;
  }
}
