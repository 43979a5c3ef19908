package io.vdfc.reliab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vdfc.budget.CodecChoice;
import io.vdfc.codec.CodecRegistry;
import io.vdfc.codec.Tolerance;
import io.vdfc.compress.CellCompressor;
import io.vdfc.compress.CompressionSettings;
import io.vdfc.metrics.ErrorMetrics;
import io.vdfc.parallel.SingleRank;
import io.vdfc.restart.CellPartition;
import io.vdfc.restart.CompressedFile;
import io.vdfc.restart.PopulationReport;
import io.vdfc.restart.VlsvCompressor;
import io.vdfc.testing.SharedData;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VlsvVdfSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-cell error budgets hold on every cell of the real restart, not only on the cells {@code codec = auto}
 * sampled: with a density budget between the sample's worst err_n and the population's, auto still chooses zfpb, and
 * the cells zfpb would leave over the budget are stored with zstd, on 1 rank and on 3 alike, and named in the report.
 */
class CellBudgetTest {
  @TempDir Path tmp;

  private static final CompressionSettings ZFPB =
      new CompressionSettings(CodecRegistry.get().byName("zfpb"), Tolerance.parse("1*minValue"), true);
  private static final CompressionSettings ZSTD =
      new CompressionSettings(CodecRegistry.get().byName("zstd"), Tolerance.parse("1*minValue"), true);

  @Test
  void everyCellMeetsTheDensityBudgetThatOnlyTheSampleMetWithTheChosenCodec() throws Exception {
    Path in = SharedData.realRestart();
    double[] errN;
    int[] sample;
    try (VlsvVdfSource src = VlsvVdfSource.open(in)) {
      double minValue = src.minValue("proton");
      sample = CodecChoice.sample(CellPartition.weights(src.index("proton").blocksPerCell()));
      errN = new double[src.cellIds("proton").length];
      CellCompressor zfpb = new CellCompressor(ZFPB);
      for (int i = 0; i < errN.length; i++) {
        CellVdf cell = src.cellAt("proton", i);
        errN[i] = ErrorMetrics.compare(cell, cell.withValues(zfpb.compressRestoring(cell, minValue).restored())).errN();
      }
    }
    double sampleMax = Arrays.stream(sample).mapToDouble(i -> errN[i]).max().orElseThrow();
    double allMax = Arrays.stream(errN).max().orElseThrow();
    assertTrue(allMax > 1.5 * sampleMax, "the real restart has cells worse than its sample: " + sampleMax + " vs " + allMax);
    double budget = (sampleMax + allMax) / 2;
    long over = Arrays.stream(errN).filter(e -> e > budget).count();

    VlsvCompressor.Auto auto = new VlsvCompressor.Auto(List.of(ZFPB, ZSTD), List.of("zfpb", "zstd"),
        new CodecChoice.Budgets(budget, Double.NaN, Double.NaN, 30)); // a target ratio the file cannot reach
    Path one = tmp.resolve("one.vlsv");
    List<PopulationReport> reports = new VlsvCompressor(pop -> ZFPB, Double.NaN, 2, true).withAuto(auto)
        .compress(in, one, SingleRank.INSTANCE);
    assertTrue(reports.get(0).notes().get(0).startsWith("auto chose zfpb"), reports.get(0).notes().toString());
    assertEquals(over, reports.get(0).specialCells(), "every cell over the budget is reported");
    List<String> notes = reports.get(0).notes();
    assertEquals(over, notes.stream().filter(n -> n.startsWith("cell ") && n.contains("over the budget")).count(),
        "and named: " + notes);
    assertTrue(notes.get(notes.size() - 1).startsWith("target_ratio 30.00 not reached: "), notes.toString());

    try (CompressedFile f = CompressedFile.open(one); VlsvVdfSource src = VlsvVdfSource.open(in)) {
      for (int i = 0; i < errN.length; i++) {
        CellVdf original = src.cellAt("proton", i);
        double e = ErrorMetrics.compare(original, f.cellAt("proton", i)).errN();
        assertTrue(e <= budget, "cell " + original.cellId() + ": err_n " + e + " over the budget " + budget);
        assertEquals(errN[i] > budget, f.recordTolerance("proton", i) == 0,
            "cell " + original.cellId() + " is stored losslessly exactly when zfpb left it over the budget");
      }
    }

    Path three = tmp.resolve("three.vlsv");
    List<List<PopulationReport>> byRank = ThreadRanks.run(3,
        c -> new VlsvCompressor(pop -> ZFPB, Double.NaN, 1, true).withAuto(auto).compress(in, three, c));
    assertEquals(-1L, Files.mismatch(one, three), "the same file on 3 ranks");
    for (List<PopulationReport> r : byRank) {
      // the cells over the budget lie on ranks 1 and 2 here; rank 0's report named none of them before
      assertEquals(notes.subList(1, notes.size()), r.get(0).notes().subList(1, r.get(0).notes().size()),
          "the same cells named on 3 ranks, on every rank");
    }
  }
}
