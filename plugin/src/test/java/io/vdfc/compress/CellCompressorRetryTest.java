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
}
