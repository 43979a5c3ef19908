package io.vdfc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vdfc.restart.CompressedFile;
import io.vdfc.restart.CompressedVlsv;
import io.vdfc.testing.SharedData;
import io.vdfc.vlsv.VlsvArray;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line end to end on real files: outputs, JSON fields, exit codes and one-line errors. */
class CliTest {
  @TempDir Path tmp;

  /** Runs vdfc in-process; returns {exit code, stdout, stderr}. */
  static Object[] run(String... args) {
    return io.vdfc.testing.InProcessVdfc.run(args);
  }

  /**
   * The codec options a file was written with are in its report and its settings text, from the command line or from a
   * config: the two reports and the file had said "zfpb tolerance ..." whatever the options.
   */
  @Test
  void codecOptionsAreReportedAndRecordedInTheFile() throws Exception {
    Path in = SharedData.file("vlsvrs/fullf.0000001.vlsv");
    Path z = tmp.resolve("z.vlsv");
    Object[] r = run("compress", in.toString(), z.toString(), "--options", "entropy=on, trim=on");
    assertEquals(0, r[0], (String) r[2]);
    assertTrue(((String) r[1]).contains("[zfpb entropy=on,trim=on tolerance 1.0*minValue, moments conserved]"),
        (String) r[1]);
    r = run("inspect", z.toString());
    assertTrue(((String) r[1]).contains("codec_options=entropy=on,trim=on"), (String) r[1]);
    Path cfg = tmp.resolve("c.cfg");
    Files.writeString(cfg, "[compression]\ncodec = zfpb\ncodec_options = entropy=on\n");
    Path y = tmp.resolve("y.vlsv");
    r = run("compress", in.toString(), y.toString(), "--config", cfg.toString(), "--json");
    assertEquals(0, r[0], (String) r[2]);
    assertTrue(((String) r[1]).contains("zfpb entropy=on tolerance"), (String) r[1]);
    r = run("inspect", y.toString());
    assertTrue(((String) r[1]).contains("codec_options=entropy=on"), (String) r[1]);
    Path plain = tmp.resolve("plain.vlsv");
    run("compress", in.toString(), plain.toString(), "-q");
    r = run("inspect", plain.toString());
    assertTrue(!((String) r[1]).contains("codec_options"), (String) r[1]);
  }

  @Test
  void compressVerifyDecompressOnTheRealBulkFile() throws Exception {
    Path in = SharedData.file("vlsvrs/fullf.0000001.vlsv");
    Path z = tmp.resolve("z.vlsv");
    Object[] r = run("compress", in.toString(), z.toString(), "--codec", "zfpb", "--tolerance", "0.5*minValue", "--json", "-q");
    assertEquals(0, r[0], (String) r[2]);
    String json = (String) r[1];
    for (String key : new String[] {"\"populations\"", "\"name\": \"proton\"", "\"name\": \"antiproton\"", "\"ref_bytes\"",
        "\"compressed_bytes\"", "\"ratio\""}) {
      assertTrue(json.contains(key), key + " in " + json);
    }
    r = run("verify", in.toString(), z.toString(), "--json", "--max-abs", "5e-17");
    assertEquals(0, r[0], r[1] + " " + r[2]);
    json = (String) r[1];
    for (String key : new String[] {"\"non_vdf_identical\": true", "\"err_n_max\"", "\"err_V_max\"", "\"err_P_max\"",
        "\"L1_max\"", "\"L2_max\"", "\"max_abs\"", "\"blocks\"", "\"cells\"", "\"ref_bytes\""}) {
      assertTrue(json.contains(key), key + " in " + json);
    }
    assertTrue(json.contains("\"failed_checks\": []"), json);
    r = run("verify", in.toString(), z.toString(), "--max-abs", "1e-30");
    assertEquals(Vdfc.EXIT_CHECK_FAILED, r[0], "a bound tighter than achieved fails verify");
    assertTrue(((String) r[1]).contains("FAILED: proton: max_abs ") && ((String) r[1]).contains(" exceeds --max-abs 1.000e-30"),
        "and says which check failed: " + r[1]);
    for (String budget : new String[] {"--max-err-n", "--max-err-V", "--max-err-P"}) {
      r = run("verify", in.toString(), z.toString(), budget, "1e-15", "--json");
      assertEquals(Vdfc.EXIT_CHECK_FAILED, r[0], budget);
      assertTrue(((String) r[1]).contains("exceeds " + budget + " 1.000e-15"), (String) r[1]);
      assertEquals(0, run("verify", in.toString(), z.toString(), budget, "1e-3")[0], budget);
    }
    for (String[] bad : new String[][] {{"--max-abs", "NaN"}, {"--max-err-n", "-1"}, {"--max-abs", "0"}}) {
      r = run("verify", in.toString(), z.toString(), bad[0], bad[1]);
      assertEquals(Vdfc.EXIT_USAGE, r[0], "a limit that no error can meet is the user's error: " + r[1] + r[2]);
    }
    r = run("verify", "--integrity", "--json", z.toString());
    assertEquals(Vdfc.EXIT_USAGE, r[0], "--integrity has no JSON: refused, not ignored");
    r = run("verify", "--integrity", in.toString());
    assertEquals(Vdfc.EXIT_USAGE, r[0], "a plain file is not corrupt: " + r[1]);
    assertTrue(((String) r[2]).contains("is a plain VLSV file") && !((String) r[1]).contains("CORRUPT"), r[1] + " " + r[2]);
    // two vdfc files: the candidate's recorded bounds are against the true original, not against the other file
    Path z2 = tmp.resolve("z2.vlsv");
    assertEquals(0, run("compress", in.toString(), z2.toString(), "--tolerance", "0.5*minValue", "--conserve", "off",
        "-q")[0]);
    r = run("verify", z.toString(), z2.toString());
    assertEquals(0, r[0], r[1] + " " + r[2]);
    assertTrue(((String) r[1]).contains("ORIGINAL is vdfc-compressed"), (String) r[1]);
    Path back = tmp.resolve("back.vlsv");
    r = run("decompress", z.toString(), back.toString(), "-q");
    assertEquals(0, r[0], (String) r[2]);
    r = run("verify", in.toString(), back.toString(), "--json");
    assertEquals(0, r[0]);
    assertTrue(((String) r[1]).contains("\"non_vdf_identical\": true"));
  }

  @Test
  void verifyOfAFileAgainstItselfReportsZeroError() {
    Path in = SharedData.realRestart();
    Object[] r = run("verify", in.toString(), in.toString(), "--json");
    assertEquals(0, r[0]);
    String json = (String) r[1];
    assertTrue(json.contains("\"max_abs\": 0.0") && json.contains("\"err_n_max\": 0.0") && json.contains("\"L2_max\": 0.0"), json);
    assertTrue(json.contains("\"non_vdf_identical\": true"));
  }

  @Test
  void inspectDescribesTheRealRestart() {
    Object[] r = run("inspect", SharedData.realRestart().toString(), "--json");
    assertEquals(0, r[0], (String) r[2]);
    String json = (String) r[1];
    assertTrue(json.contains("\"blocks\": 141275"), json);
    assertTrue(json.contains("\"cells\": 60"), json);
    assertTrue(json.contains("\"min_value\": 1.0E-16"), json);
    assertTrue(json.contains("\"ref_bytes\": 36731500"), json);
  }

  @Test
  void aCorruptRecordNamesTheCellAndOffsetAndExitsNonZero() throws Exception {
    Path in = SharedData.file("vlsvrs/fullf.0000001.vlsv");
    Path z = tmp.resolve("z.vlsv");
    assertEquals(0, run("compress", in.toString(), z.toString(), "--codec", "zfpb", "-q")[0]);
    long at;
    try (CompressedFile cf = CompressedFile.open(z)) {
      VlsvArray recs = cf.population("proton").records();
      at = recs.offset() + recs.byteSize() / 2;
    }
    try (FileChannel ch = FileChannel.open(z, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.allocate(1);
      ch.read(b, at);
      b.put(0, (byte) (b.get(0) ^ 0x10)).rewind();
      ch.write(b, at);
    }
    Object[] r = run("verify", in.toString(), z.toString());
    assertEquals(Vdfc.EXIT_BAD_INPUT, r[0]);
    String err = ((String) r[2]).strip();
    assertEquals(1, err.lines().count(), "one line: " + err);
    assertTrue(err.contains("z.vlsv") && err.contains("proton cell 1") && err.contains("byte ") && err.contains("checksum"), err);
  }

  /**
   * The public 2013 sample (vlasiator-legacy) holds no VDFs: every command that works on VDFs says so, naming the file,
   * as bad input, and writes nothing; inspect and verify, which also describe the rest of a file, say there are none.
   */
  @Test
  void aFileWithoutVdfsIsNamedAndNothingIsWritten() {
    Path in = SharedData.file("vlasiator-legacy/Fluctuations_small.grid.0000010.vlsv");
    Path out = tmp.resolve("out.vlsv");
    String[][] commands = {{"compress", in.toString(), out.toString(), "-q"}, {"bench", in.toString(), "--repeats", "1"},
        {"export", in.toString(), tmp.resolve("out.h5").toString()},
        {"plot", in.toString(), "--cell", "1", "--out", tmp.resolve("out.png").toString()},
        {"restart", "compress", in.toString(), out.toString()}};
    for (String[] command : commands) {
      Object[] r = run(command);
      assertEquals(Vdfc.EXIT_BAD_INPUT, r[0], String.join(" ", command) + ": " + r[2]);
      assertTrue(((String) r[2]).contains(in + " holds no velocity distribution functions"), (String) r[2]);
    }
    assertEquals(java.util.List.of(), java.util.Arrays.asList(tmp.toFile().list()), "nothing written");
    Object[] r = run("inspect", in.toString());
    assertEquals(0, r[0], (String) r[2]);
    assertTrue(((String) r[1]).contains("populations: none"), (String) r[1]);
    r = run("verify", in.toString(), in.toString());
    assertEquals(0, r[0], (String) r[2]);
    assertTrue(((String) r[1]).contains("no VDFs in either file"), (String) r[1]);
  }

  /** -V prints the version on every subcommand, as its help says (it printed nothing but on the root). */
  @Test
  void everySubcommandPrintsTheVersion() {
    for (String[] args : new String[][] {{"-V"}, {"compress", "-V"}, {"verify", "--version"}, {"restart", "compress",
        "-V"}}) {
      Object[] r = run(args);
      assertEquals(0, r[0], String.join(" ", args));
      assertEquals("vdfc 0.1.0", ((String) r[1]).strip(), String.join(" ", args));
    }
  }

  /** A cell compared with one on another velocity mesh gives numbers that mean nothing: refused, naming both files. */
  @Test
  void filesOnDifferentVelocityMeshesAreNotCompared() {
    String a = SharedData.file("vlsvrs/fullf.0000001.vlsv").toString(); // 50^3 blocks, dv 20 km/s
    String b = SharedData.realRestart().toString(); // 67^3 blocks, dv 60 km/s
    String[][] commands = {{"verify", a, b}, {"plot", a, b, "--cell", "1", "--out", tmp.resolve("p.png").toString()},
        {"export", b, tmp.resolve("e.h5").toString(), "--cells", "1", "--original", a}};
    for (String[] command : commands) {
      Object[] r = run(command);
      assertEquals(Vdfc.EXIT_USAGE, r[0], String.join(" ", command) + ": " + r[1] + r[2]);
      assertTrue(((String) r[2]).contains("have different velocity meshes of proton (50x50x50 blocks")
          || ((String) r[2]).contains("have different velocity meshes of proton (67x67x67 blocks"), (String) r[2]);
    }
    assertFalse(Files.exists(tmp.resolve("p.png")) || Files.exists(tmp.resolve("e.h5")), "nothing written");
  }

  /** A shared-model codec that cannot train (no minValue for a relative tolerance) is a usage error, as for zfpb. */
  @Test
  void aModelThatCannotBeTrainedIsTheUsersError() {
    Path in = SharedData.file("vlsv_data/bulk.1d.vlsv"); // its CONFIG has no minValue
    for (String codec : new String[] {"zfpb", "vq"}) {
      Object[] r = run("compress", in.toString(), tmp.resolve(codec + ".vlsv").toString(), "--codec", codec, "-q");
      assertEquals(Vdfc.EXIT_USAGE, r[0], codec + ": " + r[2]);
      assertTrue(((String) r[2]).contains(in + ": proton: tolerance 1.0*minValue needs the sparsity threshold"),
          (String) r[2]);
      assertTrue(!((String) r[2]).contains("rank 0"), "one rank names no rank: " + r[2]);
    }
    Object[] r = run("inspect", in.toString(), "--json"); // unknown, not NaN and -1
    assertTrue(((String) r[1]).contains("\"min_value\": null") && ((String) r[1]).contains("\"values_below_min_value\": null"),
        (String) r[1]);
  }

  @Test
  void badUsageAndBadFilesGiveOneLineErrors() throws Exception {
    Object[] r = run("compress", SharedData.realRestart().toString(), tmp.resolve("x").toString(), "--codec", "nope");
    assertEquals(Vdfc.EXIT_USAGE, r[0]);
    assertTrue(((String) r[2]).contains("unknown codec 'nope', available:") && ((String) r[2]).contains(", or auto"),
        (String) r[2]);
    r = run("compress", SharedData.realRestart().toString(), tmp.resolve("x").toString(), "--tolerance", "small");
    assertEquals(Vdfc.EXIT_USAGE, r[0]);
    Path cut = tmp.resolve("cut.vlsv");
    Files.write(cut, java.util.Arrays.copyOf(Files.readAllBytes(SharedData.file("vlsvrs/fullf.0000001.vlsv")), 100000));
    r = run("inspect", cut.toString());
    assertEquals(Vdfc.EXIT_BAD_INPUT, r[0]);
    assertTrue(((String) r[2]).contains("cut.vlsv") && ((String) r[2]).contains("byte"), (String) r[2]);
    assertTrue(Files.notExists(tmp.resolve("x")), "nothing written on bad usage");
    r = run("inspect", tmp.resolve("missing.vlsv").toString());
    assertEquals(Vdfc.EXIT_IO, r[0]);
    assertTrue(((String) r[2]).contains("missing.vlsv"));
    r = run("verify", SharedData.realBulk().toString(), SharedData.realRestart().toString());
    assertEquals(Vdfc.EXIT_CHECK_FAILED, r[0]); // the candidate lacks the original's cells: they differ (it was 2)
    assertTrue(((String) r[2]).contains("restart.0000100.vlsv: no stored VDF of proton for cell "), (String) r[2]);
    r = run("inspect", tmp.toString()); // a directory opens for reading on Linux; its first read named no path
    assertEquals(Vdfc.EXIT_IO, r[0]);
    assertTrue(((String) r[2]).contains(tmp + ": is a directory, not a VLSV file"), (String) r[2]);
    r = run("compress", SharedData.realRestart().toString(), tmp.resolve("x").toString(), "--config", tmp.toString());
    assertTrue(((String) r[2]).contains(tmp + ": is a directory, not a config file"), (String) r[2]);
    Path own = Files.copy(SharedData.file("vlsvrs/fullf.0000001.vlsv"), tmp.resolve("own.vlsv"));
    r = run("restart", "compress", own.toString(), own.toString(), "-q");
    assertEquals(Vdfc.EXIT_USAGE, r[0]);
    assertEquals(1, ((String) r[2]).strip().lines().count(), (String) r[2]);
    assertTrue(((String) r[2]).contains("own.vlsv is the input file itself"), (String) r[2]);
    assertEquals(-1L, Files.mismatch(own, SharedData.file("vlsvrs/fullf.0000001.vlsv")), "the input is kept");
    for (String[] bad : new String[][] {
        {"compress", own.toString(), tmp.resolve("y").toString(), "--threads", "0"},
        {"compress", own.toString(), tmp.resolve("y").toString(), "--threads", "100000"},
        {"compress", own.toString(), tmp.resolve("y").toString(), "--min-value", "-1.0"},
        {"bench", own.toString(), "--repeats", "0"},
        {"bench", own.toString(), "--repeats", "1", "--conserve", "maybe"},
        {"bench", own.toString(), "--repeats", "1", "--stride", "-1"},
        {"bench", own.toString(), "--repeats", "1", "--codecs", "bogus"},
        {"export", own.toString(), tmp.resolve("y.h5").toString(), "--cells", "1,1"},
        {"plot", own.toString(), "--cell", "1", "--out", "y.vlsv"}}) {
      r = run(bad);
      assertEquals(Vdfc.EXIT_USAGE, r[0], String.join(" ", bad) + ": " + r[2]);
      assertTrue(((String) r[2]).contains(bad[bad.length - 2] + " " + bad[bad.length - 1] + ": "), (String) r[2]);
    }
    r = run("compress", own.toString(), tmp.resolve("y").toString(), "--codec", "auto", "--options", "entropy=on");
    assertEquals(Vdfc.EXIT_USAGE, r[0], (String) r[2]);
    assertTrue(((String) r[2]).contains("codec = auto does not pass them to its candidates"), (String) r[2]);
    r = run("compress", own.toString(), tmp.resolve("y").toString(), "--codec", "zfpb", "--candidates", "zfpb,zstd");
    assertEquals(Vdfc.EXIT_USAGE, r[0], (String) r[2]);
    assertTrue(((String) r[2]).contains("--candidates needs --codec auto"), (String) r[2]);
    assertTrue(Files.notExists(tmp.resolve("y")), "nothing written on bad usage");
    Path other = Files.copy(own, tmp.resolve("own.vdfcr")); // a VLSV file without the .vlsv name
    for (String[] bad : new String[][] {
        {"plot", own.toString(), "--out", own.toString(), "--cell", "1"},
        {"export", other.toString(), other.toString()}}) {
      r = run(bad);
      assertEquals(Vdfc.EXIT_USAGE, r[0], String.join(" ", bad) + ": " + r[2]);
      assertTrue(((String) r[2]).contains("is the input file"), (String) r[2]);
    }
    // a directory the file system refuses is an I/O error here too, as for the restart commands
    r = run("plot", own.toString(), "--cell", "1", "--out", "/proc/vdfc-cli-test/x.png");
    assertEquals(Vdfc.EXIT_IO, r[0], (String) r[2]);
    assertTrue(((String) r[2]).contains("cannot create its directory"), (String) r[2]);
    assertEquals(-1L, Files.mismatch(own, SharedData.file("vlsvrs/fullf.0000001.vlsv")), "plot kept its input");
    assertEquals(-1L, Files.mismatch(other, SharedData.file("vlsvrs/fullf.0000001.vlsv")), "export kept its input");
  }

  /**
   * A bad command-line value is the command line's error, not the config's: '--tolerance -1' with a config that lists
   * candidates was reported as "[compression] key 'candidates' = 'zstd': ...". A restart_in that is not there names
   * its key, line and the path it resolved to (the config's directory).
   */
  @Test
  void commandLineAndConfigErrorsNameTheirOwnSource() throws Exception {
    Path cfg = tmp.resolve("run.cfg");
    Files.writeString(cfg, "[compression]\ncodec = auto\ncandidates = zstd\nrestart_in = nosuch/r.vlsv\n");
    for (String[] bad : new String[][] {{"--tolerance", "-1"}, {"--conserve", "maybe"}}) {
      Object[] r = run("compress", "--config", cfg.toString(), SharedData.realRestart().toString(),
          tmp.resolve("x.vlsv").toString(), bad[0], bad[1], "-q");
      assertEquals(Vdfc.EXIT_USAGE, r[0], (String) r[2]);
      assertTrue(!((String) r[2]).contains("candidates") && !((String) r[2]).contains("run.cfg"), (String) r[2]);
    }
    Object[] r = run("compress", "--config", "", "-q");
    assertEquals(Vdfc.EXIT_USAGE, r[0], (String) r[2]);
    assertTrue(((String) r[2]).contains("an empty path names no config file"), (String) r[2]);
    r = run("compress", "--config", cfg.toString(), "-q");
    assertEquals(Vdfc.EXIT_USAGE, r[0], (String) r[2]);
    assertTrue(((String) r[2]).contains(cfg + ":4: [compression] key 'restart_in' = 'nosuch/r.vlsv' (relative paths "
        + "are taken from the config's directory: " + tmp.resolve("nosuch/r.vlsv") + "): no such file"), (String) r[2]);
  }

  @Test
  void aCompressedFileCarriesItsFormatVersionAndNoStockBlockArrays() throws Exception {
    Path z = tmp.resolve("z.vlsv");
    assertEquals(0, run("compress", SharedData.file("vlsvrs/fullf.0000001.vlsv").toString(), z.toString(), "-q")[0]);
    try (var f = io.vdfc.vlsv.VlsvFile.open(z)) {
      assertEquals(CompressedVlsv.FORMAT_VERSION, f.parameter(CompressedVlsv.VERSION_PARAMETER).orElseThrow());
      assertTrue(f.find("BLOCKVARIABLE", Map.of()).isEmpty() && f.find("BLOCKIDS", Map.of()).isEmpty());
      assertTrue(f.find("PARAMETER", Map.of("name", "COMPRESSION")).isEmpty());
    }
  }
}
