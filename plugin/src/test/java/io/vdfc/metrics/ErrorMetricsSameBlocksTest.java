package io.vdfc.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vdfc.testing.SharedData;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VlsvVdfSource;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link ErrorMetrics#compare} pairs blocks by position when the reconstruction has the original's block list, and by
 * ID otherwise: both must give the same figures (a real cell, a perturbed reconstruction, given in the same and in a
 * reversed block order).
 */
class ErrorMetricsSameBlocksTest {
  @Test
  void givenARealCell_whenTheReconstructionsBlocksAreReordered_thenTheMetricsAreTheSame() throws Exception {
    try (VlsvVdfSource s = VlsvVdfSource.open(SharedData.realRestart())) {
      CellVdf cell = s.cellAt("proton", 20);
      int per = cell.mesh().cellsPerBlock();
      int n = cell.blockCount();
      Random rnd = new Random(3);
      float[] g = cell.values().clone();
      for (int i = 0; i < g.length; i++) {
        g[i] += (float) (rnd.nextGaussian() * 1e-17);
      }
      int[] reversedIds = new int[n];
      float[] reversed = new float[g.length];
      for (int b = 0; b < n; b++) {
        reversedIds[b] = cell.blockIds()[n - 1 - b];
        System.arraycopy(g, (n - 1 - b) * per, reversed, b * per, per);
      }
      ErrorMetrics same = ErrorMetrics.compare(cell, cell.withValues(g));
      ErrorMetrics byId = ErrorMetrics.compare(cell, new CellVdf(cell.cellId(), cell.mesh(), reversedIds, reversed));
      assertEquals(byId.l1(), same.l1());
      assertEquals(byId.l2(), same.l2());
      assertEquals(byId.maxAbs(), same.maxAbs());
      assertEquals(byId.neg(), same.neg());
      // moments are summed in another block order: the relative errors (~1e-8 here) agree to rounding, not bit for bit
      assertEquals(byId.errN(), same.errN(), 1e-13);
      assertEquals(byId.errV(), same.errV(), 1e-13);
      assertEquals(byId.errP(), same.errP(), 1e-13);
    }
  }
}
