package io.vdfc.budget;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vdfc.codec.CodecRegistry;
import io.vdfc.codec.Tolerance;
import io.vdfc.compress.CellCompressor;
import io.vdfc.compress.CompressionSettings;
import io.vdfc.restart.CellPartition;
import io.vdfc.vdf.CellVdf;
import io.vdfc.testing.SharedData;
import io.vdfc.vdf.VlsvVdfSource;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The auto decision's sample is spread by weight: fixed by the cells alone (so by no rank count), and shared out over
 * the ranks' block-balanced ranges, so that the trials run in parallel.
 */
class CodecChoiceSampleTest {
  @Test
  void givenTheRealRestart_whenSampled_thenEveryRankOfTwoTrialsOneCell() throws Exception {
    long[] w;
    try (VlsvVdfSource s = VlsvVdfSource.open(SharedData.realRestart())) {
      w = CellPartition.weights(s.index("proton").blocksPerCell());
    }
    int[] sample = CodecChoice.sample(w);
    assertEquals((int) Math.ceil(w.length * CodecChoice.SAMPLE_FRACTION), sample.length);
    for (int ranks : new int[] {1, 2}) {
      int[] b = CellPartition.balanced(w, ranks);
      for (int r = 0; r < ranks; r++) {
        int mine = 0;
        for (int i : sample) {
          mine += i >= b[r] && i < b[r + 1] ? 1 : 0;
        }
        assertEquals(sample.length / ranks, mine, "rank " + r + " of " + ranks + " trials its share of " + sample.length);
      }
    }
  }

  @Test
  void givenWeights_whenSampled_thenCentresOfEqualWeightSlicesAscendingAndDistinct() {
    assertArrayEquals(new int[] {0}, CodecChoice.sample(new long[] {5}));
    assertArrayEquals(new int[0], CodecChoice.sample(new long[0]));
    long[] even = new long[100]; // 2 samples of 100 equal cells: the centres of the two halves
    java.util.Arrays.fill(even, 9);
    assertArrayEquals(new int[] {25, 75}, CodecChoice.sample(even));
    long[] heavy = new long[60]; // one cell holds all the weight: sampled once
    heavy[7] = 1_000_000;
    assertArrayEquals(new int[] {7}, CodecChoice.sample(heavy));
    int[] s = CodecChoice.sample(new long[] {3, 0, 0, 8, 1, 200, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
        4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4});
    for (int i = 1; i < s.length; i++) {
      assertTrue(s[i] > s[i - 1]);
    }
  }

  /**
   * The lossless trial's size from every k-th block, scaled, is within 3 % of zstd on the whole sampled cells; the
   * coarse one (every 16th block), which stands only when it is twice the cell's smallest lossy record, within 10 %.
   */
  @Test
  void givenTheRealRestart_whenZstdTrialledOnEveryKthBlock_thenTheScaledSizeIsCloseToTheWholeCells() throws Exception {
    CellCompressor zstd = new CellCompressor(new CompressionSettings(CodecRegistry.get().byName("zstd"),
        Tolerance.parse("1*minValue"), false));
    try (VlsvVdfSource s = VlsvVdfSource.open(SharedData.realRestart())) {
      double minValue = s.minValue("proton");
      for (int i : CodecChoice.sample(CellPartition.weights(s.index("proton").blocksPerCell()))) {
        CellVdf cell = s.cellAt("proton", i);
        CellVdf thin = CodecChoice.everyKthBlock(cell, CodecChoice.LOSSLESS_BLOCK_STRIDE);
        int k = CodecChoice.LOSSLESS_BLOCK_STRIDE;
        assertEquals((cell.blockCount() + k - 1) / k, thin.blockCount());
        assertEquals(cell.blockIds()[k], thin.blockIds()[1]);
        assertEquals(cell.values()[k * 64 + 5], thin.values()[64 + 5]);
        double whole = zstd.compress(cell, minValue).record().length;
        double scaled = (double) zstd.compress(thin, minValue).record().length * cell.referenceBytes()
            / thin.referenceBytes();
        System.err.printf("cell %d: zstd whole %.0f B, estimate from every %d-th block %.0f B (%+.2f%%)%n", i, whole, k,
            scaled, 100 * (scaled / whole - 1));
        assertTrue(Math.abs(scaled / whole - 1) < 0.03, "cell " + i + ": whole " + whole + " B, estimate " + scaled);
        CellVdf coarse = CodecChoice.everyKthBlock(cell, CodecChoice.COARSE_BLOCK_STRIDE);
        double coarseScaled = (double) zstd.compress(coarse, minValue).record().length * cell.referenceBytes()
            / coarse.referenceBytes();
        System.err.printf("cell %d: estimate from every %d-th block %.0f B (%+.2f%%)%n", i,
            CodecChoice.COARSE_BLOCK_STRIDE, coarseScaled, 100 * (coarseScaled / whole - 1));
        // far from the margin: the coarse estimate stands only beyond COARSE_MARGIN times a lossy record
        assertTrue(Math.abs(coarseScaled / whole - 1) < 0.1, "cell " + i + ": whole " + whole + " B, coarse " + coarseScaled);
      }
    }
  }

  /**
   * The lossless size in the trials: the coarse estimate where it is far above the cell's lossy record (zfpb at
   * minValue, ~12x against ~1.2x), the finer one where a lossy candidate comes close (zfpb at 1e-30, all but lossless).
   */
  @Test
  void givenLossyRecordsFarOrNear_whenTrialled_thenTheLosslessSizeIsTheCoarseOrTheFineEstimate() throws Exception {
    try (VlsvVdfSource s = VlsvVdfSource.open(SharedData.realRestart())) {
      double minValue = s.minValue("proton");
      long[] w = CellPartition.weights(s.index("proton").blocksPerCell());
      CompressionSettings zstd = new CompressionSettings(CodecRegistry.get().byName("zstd"), Tolerance.parse("1"), false);
      CellCompressor lossless = new CellCompressor(zstd);
      for (String tol : new String[] {"1*minValue", "1e-30"}) {
        CompressionSettings zfpb = new CompressionSettings(CodecRegistry.get().byName("zfpb"), Tolerance.parse(tol), true);
        CodecChoice.LocalTrials t = CodecChoice.trial(s, "proton", List.of(zfpb, zstd), CodecChoice.Budgets.NONE, minValue, w, 0, w.length,
            null);
        int stride = tol.equals("1e-30") ? CodecChoice.LOSSLESS_BLOCK_STRIDE : CodecChoice.COARSE_BLOCK_STRIDE;
        long expected = 0;
        for (int i : CodecChoice.sample(w)) {
          CellVdf cell = s.cellAt("proton", i);
          CellVdf thin = CodecChoice.everyKthBlock(cell, stride);
          expected += Math.round((double) lossless.compress(thin, minValue).record().length * cell.referenceBytes()
              / thin.referenceBytes());
        }
        assertEquals(expected, t.sums()[3 + 1], "zfpb at " + tol + ": zstd estimated from every " + stride + "-th block");
      }
    }
  }
}
