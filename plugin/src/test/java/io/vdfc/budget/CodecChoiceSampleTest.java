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

  /** The lossless trial's size from every k-th block, scaled, is within 3 % of zstd on the whole sampled cells. */
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
      }
    }
  }
}
