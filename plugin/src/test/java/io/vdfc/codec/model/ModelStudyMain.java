package io.vdfc.codec.model;

import io.vdfc.codec.CodecOptions;
import io.vdfc.codec.CodecRegistry;
import io.vdfc.codec.VdfCodec;
import io.vdfc.metrics.ErrorMetrics;
import io.vdfc.testing.StudyVdf;
import io.vdfc.vdf.CellVdf;
import java.nio.ByteBuffer;

/**
 * Figures of a model codec on the study VDF: {@code ModelStudyMain CODEC OPTIONS TOLERANCE...}; prints bytes, ratio
 * against the study's 500,000 B, err_n, L1, L2, max_abs, encode and decode time (best of 3 decodes).
 */
public final class ModelStudyMain {
  private ModelStudyMain() {
    throw new AssertionError("no instances");
  }

  public static void main(String[] args) throws Exception {
    VdfCodec c = CodecRegistry.get().byName(args[0]).configure(CodecOptions.parse(args[1]));
    CellVdf cell = StudyVdf.cell();
    for (int t = 2; t < args.length; t++) {
      double tol = Double.parseDouble(args[t]);
      long t0 = System.nanoTime();
      byte[] p = c.encode(cell, tol);
      long t1 = System.nanoTime();
      float[] back = null;
      long best = Long.MAX_VALUE;
      for (int r = 0; r < 3; r++) {
        long d0 = System.nanoTime();
        back = c.decode(ByteBuffer.wrap(p), cell.mesh(), cell.blockIds(), c.version());
        best = Math.min(best, System.nanoTime() - d0);
      }
      ErrorMetrics e = ErrorMetrics.compare(cell, cell.withValues(back));
      System.out.printf("%s %s tol %.0e: %d B ratio %.1f err_n %.3g L1 %.3g L2 %.3g max_abs %.3g enc %.0f ms dec %.1f ms%n",
          args[0], args[1], tol, p.length, 500000.0 / p.length, e.errN(), e.l1(), e.l2(), e.maxAbs(), (t1 - t0) / 1e6,
          best / 1e6);
    }
  }
}
