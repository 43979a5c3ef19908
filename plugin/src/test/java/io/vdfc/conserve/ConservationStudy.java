package io.vdfc.conserve;

import io.vdfc.metrics.ErrorMetrics;
import io.vdfc.testing.SharedData;
import io.vdfc.vdf.CellVdf;
import java.util.ArrayList;
import java.util.List;

/**
 * The measurements behind {@link MomentConservation#DEFAULT_FORM} and the recommended safety factor: run by hand
 * ({@code java -cp plugin/target/classes:plugin/target/test-classes:DEPS -Dvdfc.shared=../shared
 * io.vdfc.conserve.ConservationStudy}), prints one line per cell, tolerance and form: status, iterations,
 * {@code max|f'-g|/tol}, {@code max|f'-f|/tol} (fin), the float32 residuals, the uncorrected err_n and err_P, time.
 * Cells: the study VDF, the synthetic core + beam, 20 real cells of the bulk file; tolerances 0.38 to 3.8e-5 of the
 * peak, then 1e-15 and 1e-16 absolute. Not a test (it asserts nothing and takes a few seconds).
 */
public final class ConservationStudy {
  private ConservationStudy() {}

  public static void main(String[] args) throws Exception {
    List<CellVdf> cells = new ArrayList<>();
    cells.add(TestCells.studyCell());
    cells.add(TestCells.maxwellianBeam());
    int[] positions = new int[20];
    for (int i = 0; i < positions.length; i++) {
      positions[i] = i * 5;
    }
    cells.addAll(BulkCells.read(SharedData.realBulk(), positions));
    double[] tols = {0.38, 0.038, 3.8e-3, 3.8e-4, 3.8e-5, -1e-15, -1e-16};
    System.out.println("cell blocks peak relTol form ok/why it maxChange/tol errN errV errP  uncorrected(errN errP) ms");
    for (CellVdf c : cells) {
      double peak = c.peak();
      for (double r : tols) {
        double tol = r > 0 ? r * peak : -r;
        CellVdf g = TestCells.perturb(c, tol, 42);
        ErrorMetrics before = ErrorMetrics.compare(c, g);
        for (CorrectionForm form : CorrectionForm.values()) {
          MomentTargets t = MomentTargets.of(c, form, tol);
          long t0 = System.nanoTime();
          MomentConservation.Result res = MomentConservation.apply(g, t);
          double ms = (System.nanoTime() - t0) / 1e6;
          double change = Double.NaN;
          long neg = 0;
          double fin = Double.NaN;
          if (res.ok()) {
            fin = ErrorMetrics.compare(c, g.withValues(res.values())).maxAbs() / tol;
            change = 0;
            for (int i = 0; i < g.values().length; i++) {
              change = Math.max(change, Math.abs(res.values()[i] - g.values()[i]));
              neg += res.values()[i] < 0 ? 1 : 0;
            }
          }
          System.out.printf("%d %d %.2e %.1e %s %s %d %.3g fin=%.3g %.1e %.1e %.1e  (%.1e %.1e) %.1f neg=%d%n",
              c.cellId(), c.blockCount(), peak, tol / peak, form.name(),
              res.ok() ? "ok" : res.failure(), res.iterations(), change / tol, fin, res.errN(), res.errV(), res.errP(),
              before.errN(), before.errP(), ms, neg);
        }
      }
    }
  }
}
