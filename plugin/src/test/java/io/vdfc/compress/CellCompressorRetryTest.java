package io.vdfc.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vdfc.codec.CodecRegistry;
import io.vdfc.codec.Tolerance;
import io.vdfc.conserve.MomentConservation;
import io.vdfc.metrics.Moments;
import io.vdfc.testing.SharedData;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VlsvVdfSource;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * Retries sized by the miss: on the real restart at 10*minValue the capped correction leaves the bound in about half
 * the cells (by up to 2.2x); each must fit at its first retry, within the bound and with its moments conserved in what
 * the reader restores.
 */
class CellCompressorRetryTest {
  @Test
  void givenRealRestartAtTenTimesMinValue_whenCompressed_thenEveryCellFitsByItsFirstRetry() throws Exception {
    CellCompressor cc = new CellCompressor(new CompressionSettings(CodecRegistry.get().byName("zfpb"),
        Tolerance.parse("10*minValue"), true));
    int retried = 0;
    try (VlsvVdfSource s = VlsvVdfSource.open(SharedData.realRestart())) {
      double minValue = s.minValue("proton");
      for (int i = 0; i < s.cellIds("proton").length; i++) {
        CellVdf cell = s.cellAt("proton", i);
        EncodedCell e = cc.compress(cell, minValue);
        CellReport r = e.report();
        assertTrue(r.conserved(), "cell " + cell.cellId() + ": " + r.note());
        assertTrue(r.attempts() <= 2, "cell " + cell.cellId() + " took " + r.attempts() + " attempts");
        retried += r.attempts() - 1;
        CellVdf back = CellCompressor.decompress(ByteBuffer.wrap(e.record()), cell.mesh(), cell.cellId(),
            cell.blockCount());
        double worst = 0;
        for (int v = 0; v < cell.values().length; v++) {
          worst = Math.max(worst, Math.abs((double) back.values()[v] - cell.values()[v]));
        }
        assertTrue(worst <= 10 * minValue, "cell " + cell.cellId() + ": max_abs " + worst);
        assertEquals(worst, r.maxAbs(), 0, "cell " + cell.cellId() + ": the reported max_abs is the restored one's");
        double[] err = MomentConservation.residuals(Moments.of(cell), Moments.of(back));
        for (double x : err) {
          assertTrue(x <= MomentConservation.ACCURACY, "cell " + cell.cellId() + ": moment error " + x);
        }
      }
    }
    assertTrue(retried >= 10, "the capped correction leaves the bound in many cells here (measured: 28); retried " + retried);
  }

  /**
   * An absolute tolerance above a cell's values (1e-3 where the real restart's peaks are about 1e-11: a fraction of the
   * peak meant?) leaves the codec nothing to store and the correction nothing to scale; the cell's note says so, with
   * the bound and the peak, and the cell is stored as zeros within the bound asked for. A QA pass found, at 1e-9, where
   * the shock's cells peak at 1-2e-10, the bound tightened to 1e-10 instead: a few non-zero values per cell with
   * negatives of 40 % of the peak around them, and the file recording a bound 10x tighter than asked.
   */
  @Test
  void givenABoundAboveTheCellsValues_whenCompressed_thenTheyAreZerosAndTheNoteNamesTheBoundAndThePeak()
      throws Exception {
    try (VlsvVdfSource s = VlsvVdfSource.open(SharedData.realRestart())) {
      for (String bound : new String[] {"1e-3", "1e-9"}) {
        CellCompressor cc = new CellCompressor(new CompressionSettings(CodecRegistry.get().byName("zfpb"),
            Tolerance.parse(bound), true));
        for (int i : new int[] {0, 30, 59}) {
          CellVdf cell = s.cellAt("proton", i);
          EncodedCell e = cc.compress(cell, s.minValue("proton"));
          CellReport r = e.report();
          String codecBound = String.format(java.util.Locale.ROOT, "%.3e", 0.8 * Double.parseDouble(bound));
          assertEquals("moments not conserved (EMPTY: the codec's bound " + codecBound + " left no value above 0, the "
              + "cell's peak is " + String.format(java.util.Locale.ROOT, "%.3e", cell.peak()) + "): stored as zeros "
              + "within the bound", r.note());
          assertTrue(!r.conserved() && r.tolerance() == Double.parseDouble(bound) && r.maxAbs() == cell.peak(),
              r.toString());
          CellVdf back = CellCompressor.decompress(java.nio.ByteBuffer.wrap(e.record()), cell.mesh(), cell.cellId(),
              cell.blockCount());
          for (float v : back.values()) {
            assertEquals(0f, v, "cell " + cell.cellId() + " at " + bound);
          }
        }
      }
    }
  }

  /**
   * A looser tolerance must not give a much larger record: on the study VDF, where the correction misses by much at
   * tolerances of a few % of the peak, retries sized by the miss alone overshot (83x at 2.8 % of the peak, 43x at 7.2 %).
   * Where one more retry starts the ratio drops some (every retry scheme's sawtooth, up to 13 % here): at most 20 %.
   */
  @Test
  void givenTheStudyVdf_whenTheToleranceGrows_thenTheRatioDoesNotFall() {
    CellVdf cell = io.vdfc.bench.StudyVdf.cell(SharedData.file("study-vdf/vdfData.bin"));
    double peak = cell.peak();
    double previous = 0;
    for (double rel = 1e-2; rel < 0.25; rel *= 1.15) {
      CellCompressor cc = new CellCompressor(new CompressionSettings(CodecRegistry.get().byName("zfpb"),
          new Tolerance(Tolerance.Kind.ABSOLUTE, rel * peak), true));
      EncodedCell e = cc.compress(cell, Double.NaN);
      assertTrue(e.report().conserved() && e.report().maxAbs() <= rel * peak, "at " + rel + " of the peak: " + e.report());
      double ratio = (double) cell.referenceBytes() / e.record().length;
      assertTrue(ratio >= 0.8 * previous, String.format("%.3g of the peak: %.1fx after %.1fx", rel, ratio, previous));
      previous = Math.max(previous, ratio);
    }
  }
}
