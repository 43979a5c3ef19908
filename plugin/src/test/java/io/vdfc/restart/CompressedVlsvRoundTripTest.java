package io.vdfc.restart;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vdfc.compress.CompressionSettings;
import io.vdfc.codec.CodecRegistry;
import io.vdfc.codec.Tolerance;
import io.vdfc.metrics.ErrorMetrics;
import io.vdfc.parallel.SingleRank;
import io.vdfc.testing.SharedData;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VdfSource;
import io.vdfc.vdf.VlsvVdfSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Compress and decompress every real file with VDFs: lossless codecs byte-identical, zfpb within bound and conserving. */
class CompressedVlsvRoundTripTest {
  static final List<String> VDF_FILES = List.of("ipshock/restart.0000100.vlsv", "ipshock/bulk.0000004.vlsv",
      "vlsvrs/fullf.0000001.vlsv", "vlsv_data/bulk.1d.vlsv");

  @TempDir Path tmp;

  static Stream<Arguments> losslessCases() {
    return Stream.of("raw", "deflate", "zstd").flatMap(c -> VDF_FILES.stream()
        .filter(f -> !c.equals("deflate") || !f.startsWith("ipshock/bulk")) // keep the suite short: deflate is the slowest
        .map(f -> Arguments.of(c, f)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("losslessCases")
  void losslessCodecsRestoreTheFileByteForByte(String codec, String file) throws Exception {
    Path in = SharedData.file(file);
    Path z = tmp.resolve("z.vlsv");
    Path back = tmp.resolve("back.vlsv");
    compressor(CompressionSettings.lossless(codec)).compress(in, z, SingleRank.INSTANCE);
    new VlsvDecompressor(true).decompress(z, back, SingleRank.INSTANCE);
    assertEquals(-1L, Files.mismatch(in, back), "restored file differs from " + file);
    assertTrue(Files.size(z) < Files.size(in) * 1.01, "a lossless file is no bigger than the original");
  }

  @ParameterizedTest(name = "zfpb {0}")
  @MethodSource("vdfFiles")
  void zfpbHoldsTheBoundAndConservesMomentsInEveryCell(String file) throws Exception {
    Path in = SharedData.file(file);
    Path z = tmp.resolve("z.vlsv");
    Tolerance tol = Tolerance.parse("1e-16");
    List<PopulationReport> reports = compressor(new CompressionSettings(CodecRegistry.get().byName("zfpb"), tol, true))
        .compress(in, z, SingleRank.INSTANCE);
    try (VdfSource a = VlsvVdfSource.open(in); CompressedFile b = CompressedFile.open(z)) {
      for (String pop : a.populations()) {
        long[] ids = a.cellIds(pop);
        for (int i = 0; i < ids.length; i++) {
          CellVdf orig = a.cellAt(pop, i);
          CellVdf dec = b.cell(pop, ids[i]);
          assertArrayEquals(orig.blockIds(), dec.blockIds(), "same blocks in the same order");
          ErrorMetrics m = ErrorMetrics.compare(orig, dec);
          String where = file + " " + pop + " cell " + ids[i];
          assertTrue(m.maxAbs() <= 1e-16, where + ": max_abs " + m.maxAbs());
          assertTrue(m.maxAbs() <= b.recordTolerance(pop, i) || b.recordTolerance(pop, i) == 0, where + ": over its record's bound");
          if (m.original().n() > 0 && orig.blockCount() >= 4) {
            assertTrue(m.errN() <= 1e-6 && m.errV() <= 1e-6 && m.errP() <= 1e-6,
                where + ": moments not conserved: err_n " + m.errN() + " err_V " + m.errV() + " err_P " + m.errP());
          }
        }
      }
    }
    for (PopulationReport r : reports) {
      assertTrue(r.ratio() > 1, r.name() + " ratio " + r.ratio());
    }
  }

  static Stream<String> vdfFiles() {
    return VDF_FILES.stream();
  }

  @Test
  void theRealRestartCompressesAtLeastAsWellAsTheRealZfpAtTheSameTolerance() throws Exception {
    Path z = tmp.resolve("z.vlsv");
    List<PopulationReport> r = compressor(new CompressionSettings(CodecRegistry.get().byName("zfpb"),
        Tolerance.parse("1*minValue"), true)).compress(SharedData.realRestart(), z, SingleRank.INSTANCE);
    long zfpBytes = 0;
    try (VlsvVdfSource src = VlsvVdfSource.open(SharedData.realRestart())) {
      double tol = src.minValue("proton");
      for (int i = 0; i < src.cellIds("proton").length; i++) {
        CellVdf c = src.cellAt("proton", i);
        zfpBytes += 4L * c.blockCount()
            + (c.blockCount() == 0 ? 0 : io.vdfc.peer.zfp.ZfpPeer.compress(c.values(), c.blockCount(), tol).length);
      }
    }
    assertTrue(r.get(0).compressedBytes() <= zfpBytes,
        "zfpb+conservation " + r.get(0).compressedBytes() + " B vs libzfp + block IDs " + zfpBytes + " B");
    assertEquals(r.get(0).cells(), r.get(0).conservedCells(), "every cell conserved");
  }

  private static VlsvCompressor compressor(CompressionSettings s) {
    return new VlsvCompressor(pop -> s, Double.NaN, 2, true);
  }
}
