package io.vdfc.reliab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vdfc.cli.Vdfc;
import io.vdfc.testing.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad {@code [compression]} configurations through {@code vdfc compress --config}: exit code 2, one line naming the
 * file, the offending key's line, the key and what is allowed, and nothing written under the output name.
 */
class BadConfigTest {
  @TempDir Path tmp;

  /** {name, the [compression] lines after restart_in/restart_out (line 4 on), key, text the message must hold}. */
  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("unknown key", List.of("codek = zfpb"), "codek", "allowed: enabled, codec"),
        Arguments.of("repeated key", List.of("codec = zfpb", "codec = zstd"), "codec", "give it once"),
        Arguments.of("bad tolerance", List.of("tolerance = abc"), "tolerance", "not a tolerance"),
        Arguments.of("bad on/off", List.of("conserve = maybe"), "conserve", "allowed: on, off"),
        Arguments.of("budget out of range", List.of("max_err_n = 2"), "max_err_n", "fraction in (0, 1]"),
        Arguments.of("ratio below 1", List.of("target_ratio = 0.5"), "target_ratio", ">= 1"),
        Arguments.of("candidates without auto", List.of("codec = zfpb", "candidates = zfpb,zstd"), "candidates",
            "needs codec = auto"),
        Arguments.of("unknown codec", List.of("codec = nosuch"), "codec", "available: "),
        Arguments.of("codec options with auto", List.of("codec = auto", "codec_options = entropy=on"), "codec_options",
            "give a fixed codec"),
        Arguments.of("unknown codec option", List.of("codec = zfpb", "codec_options = frobnicate=1"), "codec_options",
            "frobnicate"),
        Arguments.of("unknown candidate", List.of("codec = auto", "candidates = zstd,nosuch"), "candidates", "available: "),
        Arguments.of("repeated candidate", List.of("codec = auto", "candidates = zfpb,zfpb"), "candidates", "once"),
        Arguments.of("repeated codec option", List.of("codec = zfpb", "codec_options = entropy=on,entropy=off"),
            "codec_options", "give it once"),
        Arguments.of("velocity budget not positive", List.of("max_err_V = -1"), "max_err_V", "thermal speeds"),
        Arguments.of("bad heap", List.of("jvm_heap = lots"), "jvm_heap", "allowed: digits"),
        Arguments.of("output is input", List.of("restart_out = " + SharedData.file("vlsvrs/fullf.0000001.vlsv")),
            "restart_out", "same file as restart_in"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aBadConfigIsOneClearLineAndWritesNothing(String name, List<String> lines, String key, String allowed) throws Exception {
    Path in = SharedData.file("vlsvrs/fullf.0000001.vlsv");
    Path out = tmp.resolve("out.vlsv");
    StringBuilder cfg = new StringBuilder("# a Vlasiator config\n[compression]\nrestart_in = " + in + "\n");
    boolean overridesOut = lines.stream().anyMatch(l -> l.startsWith("restart_out"));
    if (!overridesOut) {
      cfg.append("restart_out = ").append(out).append('\n');
    } else {
      cfg.append("tolerance = minValue\n");
    }
    int keyLine = -1;
    for (int i = 0; i < lines.size(); i++) {
      cfg.append(lines.get(i)).append('\n');
      if (lines.get(i).startsWith(key + " ")) {
        keyLine = 5 + i; // keep the last: a repeated key is reported where it repeats
      }
    }
    cfg.append("[proton_sparse]\nminValue = 1e-16\n");
    Path file = tmp.resolve("bad.cfg");
    Files.writeString(file, cfg);
    List<String> before = List.of(tmp.toFile().list()).stream().sorted().toList();
    Object[] r = IntegrityCheckTest.vdfc("compress", "--config", file.toString(), "-q");
    String err = ((String) r[2]).strip();
    assertEquals(Vdfc.EXIT_USAGE, r[0], name + ": " + r[1] + err);
    assertEquals(1, err.lines().count(), "one line: " + err);
    assertTrue(err.contains("bad.cfg:" + keyLine + ": "), "names the file and line " + keyLine + ": " + err);
    assertTrue(err.contains("'" + key + "'"), "names the key: " + err);
    assertTrue(err.contains(allowed), "says what is allowed (" + allowed + "): " + err);
    assertEquals(before, List.of(tmp.toFile().list()).stream().sorted().toList(), "nothing written");
  }

  @org.junit.jupiter.api.Test
  void aConfigWithoutTheSectionIsRefusedAndADisabledOneIsNoted() throws Exception {
    Path in = SharedData.file("vlsvrs/fullf.0000001.vlsv");
    Path out = tmp.resolve("out.vlsv");
    Path stock = Files.writeString(tmp.resolve("stock.cfg"), "# a stock Vlasiator config\n[proton_sparse]\nminValue = 1e-16\n");
    Object[] r = IntegrityCheckTest.vdfc("compress", in.toString(), out.toString(), "--config", stock.toString(), "-q");
    assertEquals(Vdfc.EXIT_USAGE, r[0], (String) r[2]);
    assertTrue(((String) r[2]).contains("stock.cfg: no [compression] section"), (String) r[2]);
    assertTrue(Files.notExists(out), "nothing written");

    Path off = Files.writeString(tmp.resolve("off.cfg"), "[compression]\nenabled = false\ncodec = zstd\n");
    r = IntegrityCheckTest.vdfc("compress", in.toString(), out.toString(), "--config", off.toString(), "-q");
    assertEquals(0, r[0], (String) r[2]);
    assertTrue(((String) r[2]).contains("off.cfg:2: [compression] enabled = false"), (String) r[2]);
    assertTrue(((String) r[1]).contains("[zstd"), "the section's settings: " + r[1]);

    // an empty section is there: the config's defaults (codec = auto), not "no [compression] section"
    Path empty = Files.writeString(tmp.resolve("empty.cfg"), "[compression]\n[proton_sparse]\nminValue = 1e-16\n");
    r = IntegrityCheckTest.vdfc("compress", in.toString(), out.toString(), "--config", empty.toString(), "-q");
    assertEquals(0, r[0], (String) r[2]);
    assertTrue(((String) r[1]).contains("[auto among"), "the config's defaults: " + r[1]);
  }
}
