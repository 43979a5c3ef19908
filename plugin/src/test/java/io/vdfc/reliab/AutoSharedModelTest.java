package io.vdfc.reliab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vdfc.budget.CodecChoice;
import io.vdfc.codec.CodecRegistry;
import io.vdfc.codec.Tolerance;
import io.vdfc.compress.CompressionSettings;
import io.vdfc.parallel.SingleRank;
import io.vdfc.restart.CompressedFile;
import io.vdfc.restart.IntegrityCheck;
import io.vdfc.restart.PopulationReport;
import io.vdfc.restart.VlsvCompressor;
import io.vdfc.testing.SharedData;
import io.vdfc.vdf.VlsvVdfSource;
import io.vdfc.verify.MetricSummary;
import io.vdfc.verify.VdfComparison;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code codec = auto} with a shared-model candidate (vq) among the others, on the real restart: the candidates'
 * models are trained before the trials (it used to fail with "vq needs its model"), the decision is the same on 1 and
 * 2 ranks and so is the file, and every cell decodes within its bound.
 */
class AutoSharedModelTest {
  @TempDir Path tmp;

  @Test
  void autoTrialsASharedModelCodecWithItsModelAndWritesTheSameFileOnAnyNumberOfRanks() throws Exception {
    Path in = SharedData.realRestart();
    Tolerance tol = Tolerance.parse("1*minValue");
    List<CompressionSettings> candidates = List.of(
        new CompressionSettings(CodecRegistry.get().byName("vq"), tol, true),
        new CompressionSettings(CodecRegistry.get().byName("zfpb"), tol, true),
        new CompressionSettings(CodecRegistry.get().byName("zstd"), tol, true));
    VlsvCompressor.Auto auto = new VlsvCompressor.Auto(candidates, List.of("vq", "zfpb", "zstd"), CodecChoice.Budgets.NONE);

    Path one = tmp.resolve("one.vlsv");
    List<PopulationReport> reports = new VlsvCompressor(pop -> candidates.get(0), Double.NaN, 2, true).withAuto(auto)
        .compress(in, one, SingleRank.INSTANCE);
    String decision = reports.get(0).notes().get(0);
    assertTrue(decision.startsWith("auto chose ") && decision.contains("trials: vq "), decision);

    Path two = tmp.resolve("two.vlsv");
    ThreadRanks.run(2, c -> new VlsvCompressor(pop -> candidates.get(0), Double.NaN, 1, true).withAuto(auto)
        .compress(in, two, c));
    assertEquals(-1L, Files.mismatch(one, two), "the same decision and file on 2 ranks");

    assertTrue(IntegrityCheck.run(one, null).ok());
    try (VlsvVdfSource a = VlsvVdfSource.open(in); CompressedFile b = CompressedFile.open(one)) {
      MetricSummary s = VdfComparison.compare(a, b, SingleRank.INSTANCE).get("proton");
      assertEquals(60, s.cells());
      assertEquals(0, s.boundViolations(), "every cell within the bound recorded with it");
      boolean vqChosen = decision.startsWith("auto chose vq");
      assertEquals(vqChosen, b.population("proton").model() != null, "the model is stored exactly when vq was chosen");
    }
  }
}
