package io.vdfc.reliab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vdfc.cli.Vdfc;
import io.vdfc.codec.CodecRegistry;
import io.vdfc.codec.Tolerance;
import io.vdfc.compress.CompressionSettings;
import io.vdfc.parallel.Collectives;
import io.vdfc.parallel.SingleRank;
import io.vdfc.restart.CompressedFile;
import io.vdfc.restart.VlsvCompressor;
import io.vdfc.testing.SharedData;
import io.vdfc.vdf.VlsvVdfSource;
import io.vdfc.verify.CellProfile;
import io.vdfc.verify.MetricSummary;
import io.vdfc.verify.VdfComparison;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vdfc verify --png}: the real restart's errors cell by cell, the same on 1 and 2 ranks, consistent with the
 * summary verify prints, every cell within the bound recorded with it; and the picture is written.
 */
class ErrorMapTest {
  @TempDir Path tmp;

  private static Map<String, CellProfile> profiles(Path original, Path candidate, Collectives c,
      Map<String, MetricSummary> summaries) throws Exception {
    Map<String, CellProfile> out = new LinkedHashMap<>();
    try (VlsvVdfSource a = VlsvVdfSource.open(original); CompressedFile b = CompressedFile.open(candidate)) {
      summaries.putAll(VdfComparison.compare(a, b, c, out));
    }
    return out;
  }

  @Test
  void everyCellsErrorsAgreeWithTheSummaryOnAnyNumberOfRanksAndArePictured() throws Exception {
    Path in = SharedData.realRestart();
    Path z = tmp.resolve("z.vlsv");
    CompressionSettings s = new CompressionSettings(CodecRegistry.get().byName("zfpb"), Tolerance.parse("1*minValue"), true);
    new VlsvCompressor(pop -> s, Double.NaN, 2, true).compress(in, z, SingleRank.INSTANCE);

    Map<String, MetricSummary> summary = new LinkedHashMap<>();
    CellProfile one = profiles(in, z, SingleRank.INSTANCE, summary).get("proton");
    assertEquals(60, one.cellIds().length);
    MetricSummary proton = summary.get("proton");
    assertEquals(proton.max(0), Arrays.stream(one.errN()).max().orElseThrow(), "err_n: the summary's maximum is a cell's");
    assertEquals(proton.max(1), Arrays.stream(one.errV()).max().orElseThrow());
    assertEquals(proton.max(2), Arrays.stream(one.errP()).max().orElseThrow());
    assertEquals(proton.max(5), Arrays.stream(one.maxAbs()).max().orElseThrow());
    for (int i = 0; i < 60; i++) {
      assertTrue(one.bound()[i] > 0 && one.maxAbs()[i] <= one.bound()[i], "cell " + one.cellIds()[i]);
    }

    List<CellProfile> two = ThreadRanks.run(2, c -> profiles(in, z, c, new LinkedHashMap<>()).get("proton"));
    for (CellProfile p : two) {
      assertArrayEquals(one.cellIds(), p.cellIds());
      assertArrayEquals(one.errN(), p.errN(), "exactly, whatever rank held the cell");
      assertArrayEquals(one.maxAbs(), p.maxAbs());
      assertArrayEquals(one.bound(), p.bound());
    }

    Path png = tmp.resolve("maps").resolve("errors.png");
    Object[] r = IntegrityCheckTest.vdfc("verify", in.toString(), z.toString(), "--png", png.toString());
    assertEquals(Vdfc.EXIT_OK, r[0], (String) r[2]);
    assertTrue(((String) r[1]).contains("error map: " + png), (String) r[1]);
    r = IntegrityCheckTest.vdfc("verify", in.toString(), z.toString(), "--png", png.toString(), "--json");
    assertTrue(((String) r[1]).contains("\"error_map\": \"" + png + "\""), (String) r[1]);
    BufferedImage image = ImageIO.read(png.toFile());
    assertEquals(1200, image.getWidth());
    assertTrue(image.getHeight() >= 420);
  }
}
