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

  /**
   * Blocks with no positive value are skipped by the block solve: the corrected cell must be bit for bit the correction
   * of the same cell without those blocks (which add only zeros to every sum), with zeros in their place.
   */
  @Test
  void emptyBlocksChangeNothingButTheirOwnZeros() {
    int withEmpty = 0;
    for (CellVdf original : cells) {
      int per = original.mesh().cellsPerBlock();
      int nb = original.blockCount();
      float[] g = TestCells.perturb(original, 1e-4 * original.peak(), 3).values();
      List<Integer> kept = new ArrayList<>();
      for (int b = 0; b < nb; b++) {
        boolean empty = b % 3 == 1; // every third block emptied: zeros, -0 and small negatives
        for (int i = b * per; empty && i < (b + 1) * per; i++) {
          g[i] = i % 5 == 0 ? -1e-30f : i % 5 == 1 ? -0f : 0f;
        }
        boolean positive = false;
        for (int i = b * per; i < (b + 1) * per; i++) {
          positive |= g[i] > 0;
        }
        if (positive) {
          kept.add(b);
        } else {
          withEmpty++;
        }
      }
      int[] ids = new int[kept.size()];
      float[] dense = new float[kept.size() * per];
      for (int k = 0; k < ids.length; k++) {
        ids[k] = original.blockIds()[kept.get(k)];
        System.arraycopy(g, kept.get(k) * per, dense, k * per, per);
      }
      for (CorrectionForm form : new CorrectionForm[] {CorrectionForm.MULTIPLICATIVE, CorrectionForm.CAPPED}) {
        MomentTargets t = MomentTargets.of(original, form, 1e-4 * original.peak());
        Result all = MomentConservation.apply(original.withValues(g), t);
        Result some = MomentConservation.apply(new CellVdf(original.cellId(), original.mesh(), ids, dense), t);
        String label = "cell " + original.cellId() + " " + form;
        assertEquals(some.ok(), all.ok(), label);
        if (!all.ok()) {
          continue;
        }
        float[] expected = new float[g.length];
        for (int k = 0; k < ids.length; k++) {
          System.arraycopy(some.values(), k * per, expected, kept.get(k) * per, per);
        }
        for (int i = 0; i < g.length; i++) {
          assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(all.values()[i]),
              label + ": value " + i + " is " + all.values()[i] + ", without the empty blocks " + expected[i]);
        }
        assertEquals(some.errN(), all.errN(), label);
        assertEquals(some.errP(), all.errP(), label);
      }
    }
    assertTrue(withEmpty > cells.size(), withEmpty + " empty blocks");
  }

  private static double maxNegative(float[] v) {
    double m = 0;
    for (float x : v) {
      m = Math.max(m, -(double) x);
    }
    return m;
  }
}
