package io.vdfc.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vdfc.codec.Tolerance;
import io.vdfc.testing.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompressionConfigTest {

  @Test
  void theRealConfigHasNoSectionSoCompressionIsOff() throws Exception {
    CompressionConfig c = CompressionConfig.from(VlasiatorConfig.parse(SharedData.file("ipshock/IPShock_1D_small.cfg")));
    assertFalse(c.enabled());
    assertEquals(CompressionConfig.disabled(), c);
  }

  @Test
  void readsEveryKeyAppendedToTheRealConfig(@TempDir Path dir) throws Exception {
    String real = Files.readString(SharedData.file("ipshock/IPShock_1D_small.cfg"));
    Path file = dir.resolve("IPShock.cfg");
    Files.writeString(file, real + """

        [compression]
        enabled = yes
        codec = auto            # let the planner choose
        tolerance = 0.5*minValue
        conserve = off
        codec_options = mode=accuracy,log=on
        candidates = zfpb, deflate ,dct
        max_err_n = 1e-3
        max_err_V = 1e-2
        max_err_P = 5e-3
        target_ratio = 50
        restart_in = restart.0000100.vlsv
        restart_out = out/restart.0000100.vdfc.vlsv
        jvm_heap = 256m
        """);
    VlasiatorConfig cfg = VlasiatorConfig.parse(file);
    CompressionConfig c = CompressionConfig.from(cfg);
    assertTrue(c.enabled());
    assertEquals("auto", c.codec());
    assertEquals(new Tolerance(Tolerance.Kind.MIN_VALUE, 0.5), c.tolerance());
    assertEquals(5e-17, c.tolerance().resolve(cfg.minValue("proton"), 1));
    assertFalse(c.conserve());
    assertEquals("accuracy", c.codecOptions().getString("mode", null));
    assertEquals(List.of("zfpb", "deflate", "dct"), c.candidates());
    assertEquals(1e-3, c.maxErrN().getAsDouble());
    assertEquals(1e-2, c.maxErrV().getAsDouble());
    assertEquals(5e-3, c.maxErrP().getAsDouble());
    assertEquals(50, c.targetRatio().getAsDouble());
    assertEquals(dir.toAbsolutePath().resolve("restart.0000100.vlsv"), c.restartIn());
    assertEquals(dir.toAbsolutePath().resolve("out/restart.0000100.vdfc.vlsv"), c.restartOut());
    assertEquals("256m", c.jvmHeap());
  }

  @Test
  void defaultsWhenTheSectionIsPresent() {
    CompressionConfig c = parse("codec = zfpb");
    assertTrue(c.enabled());
    assertEquals("zfpb", c.codec());
    assertEquals(Tolerance.parse("minValue"), c.tolerance());
    assertTrue(c.conserve());
    assertTrue(c.codecOptions().isEmpty());
    assertEquals(List.of(), c.candidates());
    assertTrue(c.maxErrN().isEmpty() && c.targetRatio().isEmpty());
    assertNull(c.restartIn());
    assertEquals(Path.of("a.vlsv"), parse("restart_in = a.vlsv").restartIn());
  }

  @Test
  void unknownKeyNamesFileLineAndAllowedKeys() {
    var e = assertThrows(ConfigException.class, () -> CompressionConfig.from(VlasiatorConfig.parse(
        "[proton_sparse]\nminValue = 1e-16\n\n[compression]\ncodec = auto\ntolerence = 1e-17\n", "IPShock.cfg")));
    assertEquals("IPShock.cfg:6: [compression] key 'tolerence' is unknown; allowed: enabled, codec, tolerance, conserve, "
        + "codec_options, candidates, max_err_n, max_err_V, max_err_P, target_ratio, restart_in, restart_out, jvm_heap",
        e.getMessage());
    assertEquals(6, e.line());
  }

  @Test
  void everyBadValueIsAnErrorNamingKeyAndLine() {
    assertError("enabled = maybe", "key 'enabled' = 'maybe' is not on/off; allowed: on, off");
    assertError("conserve = 2", "key 'conserve' = '2' is not on/off");
    assertError("codec = zfp b", "key 'codec' has 'zfp b', not a codec name");
    assertError("codec = ", "key 'codec' has '', not a codec name");
    assertError("tolerance = tiny", "value 'tiny' is not a tolerance");
    assertError("tolerance = -1e-16", "value '-1e-16' is not a tolerance");
    assertError("codec_options = mode", "value 'mode': codec option 'mode' is not of the form key=value");
    assertError("candidates = zfpb,,dct", "key 'candidates' has '', not a codec name");
    assertError("max_err_n = 0", "key 'max_err_n' = 0 must be a fraction in (0, 1]");
    assertError("max_err_V = 0", "key 'max_err_V' = 0 must be positive: a number of thermal speeds"); // 2 is allowed
    assertError("max_err_P = lots", "key 'max_err_P' = 'lots' is not a number");
    assertError("target_ratio = 0.5", "key 'target_ratio' = 0.5 must be a finite number >= 1");
    assertError("target_ratio = Infinity", "must be a finite number >= 1");
    assertError("restart_in = ", "key 'restart_in' is empty");
    assertError("jvm_heap = lots", "key 'jvm_heap' = 'lots' is not a heap size");
    assertError("jvm_heap = 256 m", "is not a heap size");
    assertError("jvm_heap = 99999999999999999999g", "is more than 16 TiB");
    assertEquals("16384g", parse("jvm_heap = 16384g").jvmHeap());
  }

  /** Found by a QA pass of configs as Vlasiator users write them; each is taken as Vlasiator's reader takes it. */
  @Test
  void vlasiatorsSyntaxAsVlasiatorReadsIt(@TempDir Path dir) throws Exception {
    // Java's number spellings, which Double.parseDouble took silently, and a tolerance without its number
    assertError("tolerance = 1e-16f", "value '1e-16f' is not a tolerance");
    assertError("tolerance = 0x1p-53", "value '0x1p-53' is not a tolerance");
    assertError("tolerance = *minValue", "a number is missing before '*'");
    assertError("max_err_n = 1e-8d", "key 'max_err_n' = '1e-8d' is not a number");
    assertEquals(Tolerance.parse("1e-16"), parse("tolerance = 1.e-16").tolerance());
    assertEquals(Tolerance.parse("0.5*minValue"), parse("tolerance = .5*minValue").tolerance());
    // an empty section is the defaults, compression on (it read as 'enabled = false')
    CompressionConfig empty = CompressionConfig.from(VlasiatorConfig.parse("[compression]\n# nothing yet\n", "t.cfg"));
    assertTrue(empty.enabled());
    assertEquals(CompressionConfig.AUTO, empty.codec());
    // a dotted global key is the section's key, with or without a [compression] header
    assertEquals("zstd", CompressionConfig.from(VlasiatorConfig.parse("compression.codec = zstd\n", "t.cfg")).codec());
    assertTrue(VlasiatorConfig.parse("compression.codec = zstd\n", "t.cfg").hasSection(CompressionConfig.SECTION));
    // a Latin-1 name in a comment (not UTF-8): read, as Vlasiator reads bytes
    Path latin = dir.resolve("latin1.cfg");
    Files.write(latin, "# run by J\u00e4rvinen\n[compression]\ncodec = zfpb\n".getBytes(
        java.nio.charset.StandardCharsets.ISO_8859_1));
    assertEquals("zfpb", CompressionConfig.from(VlasiatorConfig.parse(latin)).codec());
    // a byte-order mark: refused, as Vlasiator refuses it, and said so
    Path bom = dir.resolve("bom.cfg");
    Files.writeString(bom, "\uFEFF[compression]\ncodec = zfpb\n");
    var e = assertThrows(ConfigException.class, () -> VlasiatorConfig.parse(bom));
    assertTrue(e.getMessage().startsWith(bom + ":1: the file starts with a byte-order mark"), e.getMessage());
  }

  @Test
  void conflictsAndRepeatsAreErrors() {
    assertError("codec = zfpb\ncandidates = zfpb,dct", "t.cfg:3: [compression] key 'candidates' needs codec = auto, but codec = zfpb (line 2)");
    assertError("candidates = auto,dct", "key 'candidates' lists 'auto'");
    assertError("restart_in = r.vlsv\nrestart_out = ./r.vlsv", "t.cfg:3: [compression] key 'restart_out' names the same file as restart_in");
    assertError("codec = zfpb\ncodec = dct", "t.cfg:3: [compression] key 'codec' is given again (first on line 2)");
  }

  @Test
  void otherSectionsBelongToVlasiator() {
    CompressionConfig c = CompressionConfig.from(VlasiatorConfig.parse(
        "[io]\nwhatever = 1\n[compressionx]\nfoo = 2\n[compression]\ncodec = dct\n", "t.cfg"));
    assertEquals("dct", c.codec());
  }

  private static CompressionConfig parse(String body) {
    return CompressionConfig.from(VlasiatorConfig.parse("[compression]\n" + body + "\n", "t.cfg"));
  }

  private static void assertError(String body, String expected) {
    var e = assertThrows(ConfigException.class, () -> parse(body));
    assertTrue(e.getMessage().startsWith("t.cfg:") && e.getMessage().contains(expected), e.getMessage());
  }
}
