package io.vdfc.conserve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vdfc.conserve.MomentConservation.Failure;
import io.vdfc.conserve.MomentConservation.Result;
import io.vdfc.metrics.ErrorMetrics;
import io.vdfc.testing.SharedData;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VelocityMesh;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The block-layout solve of the linear forms against the point-list solve with iterative refinement
 * ({@link MultiplicativeCorrection}): the same corrected values to float32 rounding, on the study VDF, a core + beam cell,
 * real IPShock cells (block width 4, the unrolled rows) and a cell on a mesh of block width 2 (the general loop).
 */
class BlockCorrectionTest {
  private static final List<CellVdf> cells = new ArrayList<>();

  @BeforeAll
  static void load() throws Exception {
    cells.add(TestCells.studyCell());
    cells.add(TestCells.maxwellianBeam());
    cells.addAll(BulkCells.read(SharedData.realBulk(), 5, 25, 70));
    VelocityMesh narrow = new VelocityMesh("proton", 24, 24, 24, 2, -24, -24, -24, 1, 1, 1);
    cells.add(TestCells.fromDense(7, narrow, (x, y, z) -> {
      double vx = -24 + x + 0.5 - 6, vy = -24 + y + 0.5 + 2, vz = -24 + z + 0.5;
      double f = 1e-12 * Math.exp(-(vx * vx + 0.5 * vy * vy + vz * vz) / 18);
      return f < 1e-19 ? 0 : f;
    }));
  }

  @Test
  void blockSolveMatchesTheRefinedPointSolve() {
    int compared = 0;
    int negative = 0;
    for (CellVdf original : cells) {
      for (double relTol : new double[] {1e-3, 1e-5}) {
        double tol = relTol * original.peak();
        CellVdf g = TestCells.perturb(original, tol, 5);
        for (CorrectionForm form : new CorrectionForm[] {CorrectionForm.MULTIPLICATIVE, CorrectionForm.CAPPED}) {
          MomentTargets t = MomentTargets.of(original, form, tol);
          String label = "cell " + original.cellId() + " wid " + original.mesh().wid() + " tol " + tol + " " + form;
          Result fast = BlockCorrection.apply(g, t, maxNegative(g.values()));
          assertNotNull(fast, label + ": one solve missed the accuracy");
          MomentProblem p = MomentProblem.build(g, t.moments());
          double[] share = null;
          if (form == CorrectionForm.CAPPED) {
            share = new double[p.size()];
            for (int j = 0; j < share.length; j++) {
              share[j] = Math.min(1, t.cap() / g.values()[p.index[j]]);
            }
          }
          Outcome ref = MultiplicativeCorrection.solve(p, share);
          if (ref.failure() == Failure.NEGATIVE) {
            // a correction too large for the form: both solves must say so
            assertEquals(Failure.NEGATIVE, fast.failure(), label);
            negative++;
            continue;
          }
          assertTrue(fast.ok(), label + ": " + fast.detail());
          assertEquals(1, fast.iterations(), label);
          ErrorMetrics after = ErrorMetrics.compare(original, g.withValues(fast.values()));
          assertTrue(after.errN() <= MomentConservation.ACCURACY && after.errV() <= MomentConservation.ACCURACY
              && after.errP() <= MomentConservation.ACCURACY, label + ": " + after);

          assertTrue(ref.failure() == null, label + ": " + ref.detail());
          float[] want = new float[g.values().length];
          for (int j = 0; j < p.size(); j++) {
            want[p.index[j]] = (float) (g.values()[p.index[j]] * ref.factors()[j]);
          }
          for (int i = 0; i < want.length; i++) {
            assertTrue(Math.abs(fast.values()[i] - want[i]) <= 2 * Math.ulp(want[i]),
                label + ": value " + i + " is " + fast.values()[i] + ", the refined solve gives " + want[i]);
          }
          compared++;
        }
      }
    }
    assertTrue(compared >= 3 * cells.size(), compared + " compared, " + negative + " negative");
  }

  private static double maxNegative(float[] v) {
    double m = 0;
    for (float x : v) {
      m = Math.max(m, -(double) x);
    }
    return m;
  }
}
