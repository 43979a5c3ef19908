package io.vdfc.conserve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vdfc.conserve.MomentConservation.Failure;
import io.vdfc.conserve.MomentConservation.Result;
import io.vdfc.metrics.ErrorMetrics;
import io.vdfc.testing.SharedData;
import io.vdfc.vdf.CellVdf;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Moment conservation on the study VDF, a synthetic core + beam cell and real IPShock cells, perturbed the way an
 * error-bounded codec would (uniform noise within +-tol, values below tol zeroed). The measurements that chose the
 * default form are printed by {@link ConservationStudy}.
 */
class MomentConservationTest {
  private static final double FLOAT_RESULT = 1e-6;
  private static final double DOUBLE_RESULT = 1e-10;

  private static CellVdf study;
  private static CellVdf beam;
  private static List<CellVdf> real;

  @BeforeAll
  static void load() throws Exception {
    study = TestCells.studyCell();
    beam = TestCells.maxwellianBeam();
    // downstream (hot), shock, foreshock (core + beams) and pristine solar wind cells of the real bulk file
    real = BulkCells.read(SharedData.realBulk(), 5, 19, 25, 40, 70);
  }

  @Test
  void studyVdfIsConservedByEveryFormAtCodecTolerances() {
    for (double tol : new double[] {1e-14, 1e-15, 1e-16}) {
      CellVdf g = TestCells.perturb(study, tol, 1);
      for (CorrectionForm form : CorrectionForm.values()) {
        if (form == CorrectionForm.CAPPED && tol == 1e-14) {
          // 4 % of the peak: the loss below tol is too large to restore through weights capped at tol
          assertEquals(Failure.NEGATIVE, MomentConservation.apply(g, MomentTargets.of(study, form, tol)).failure());
          continue;
        }
        assertConserved(study, g, MomentTargets.of(study, form, tol), "study tol " + tol);
      }
    }
  }

  @Test
  void coreWithBeamFarFromTheOriginIsConserved() {
    for (double tol : new double[] {1e-15, 1e-16}) {
      CellVdf g = TestCells.perturb(beam, tol, 2);
      for (CorrectionForm form : CorrectionForm.values()) {
        assertConserved(beam, g, MomentTargets.of(beam, form, tol), "beam tol " + tol);
      }
    }
  }

  @Test
  void realIpShockCellsAreConservedAtTheSparsityThreshold() {
    for (CellVdf c : real) {
      CellVdf g = TestCells.perturb(c, 1e-16, c.cellId());
      for (CorrectionForm form : new CorrectionForm[] {CorrectionForm.MULTIPLICATIVE, CorrectionForm.EXPONENTIAL}) {
        assertConserved(c, g, MomentTargets.of(c, form), "real cell " + c.cellId());
      }
      Result capped = MomentConservation.apply(g, MomentTargets.of(c, CorrectionForm.CAPPED, 1e-16));
      assertTrue(capped.ok() || capped.failure() == Failure.NEGATIVE, "cell " + c.cellId() + ": " + capped.detail());
      Result cappedExp = MomentConservation.apply(g, MomentTargets.of(c, CorrectionForm.CAPPED_EXPONENTIAL, 1e-16));
      assertTrue(cappedExp.ok() || cappedExp.failure() == Failure.NOT_CONVERGED, "cell " + c.cellId() + ": " + cappedExp.detail());
    }
  }

  /**
   * Every form sets negatives to 0, so an original value below -bound cannot be kept within the bound: encode says so
   * at the first form that fails, instead of trying the others (which took 0.7-0.9 s on a large real cell).
   */
  @Test
  void aValueBelowMinusTheBoundEndsTheSearchAtOnce() {
    double tol = 1e-16;
    CellVdf c = real.get(0);
    float[] v = c.values().clone();
    v[v.length / 2] = -1e-10f;
    CellVdf bad = c.withValues(v);
    MomentConservation.Encoded e = MomentConservation.encode(bad, TestCells.perturb(bad, tol, 3), tol, 6 * tol);
    assertEquals(null, e.targets());
    assertEquals(Failure.OUT_OF_BOUND, e.result().failure());
    assertTrue(e.result().detail().contains("values below -bound"), e.result().detail());
    assertEquals(CorrectionForm.CAPPED, e.result().form(), "no form after the first");
  }

  @Test
  void aCodecAtASixthOfTheBoundLeavesRoomForTheCorrection() {
    // the recommended safety factor: codec tolerance = bound / 6, cap = codec tolerance
    double tol = 1e-16;
    for (CellVdf c : real) {
      CellVdf g = TestCells.perturb(c, tol, 7 + c.cellId());
      MomentConservation.Encoded e = MomentConservation.encode(c, g, tol, 6 * tol);
      assertNotNull(e.targets(), "cell " + c.cellId() + ": " + e.result().detail());
      assertTrue(e.result().form().capped(), "cell " + c.cellId() + " needed " + e.result().form());
      ErrorMetrics m = ErrorMetrics.compare(c, g.withValues(e.result().values()));
      assertTrue(m.maxAbs() <= 6 * tol && m.errN() <= FLOAT_RESULT && m.errP() <= FLOAT_RESULT, "cell " + c.cellId());
    }
  }

  @Test
  void aCorrectionTooLargeForTheMultiplicativeFormIsReportedNotApplied() {
    // tol 1e-13 is 38 % of the peak: most values are zeroed and n drops by ~80 %
    CellVdf g = TestCells.perturb(study, 1e-13, 3);
    Result r = MomentConservation.apply(g, MomentTargets.of(study, CorrectionForm.MULTIPLICATIVE));
    assertEquals(Failure.NEGATIVE, r.failure(), r.detail());
    assertNull(r.values());
  }

  @Test
  void tinyNegativesAreClampedToZeroAndStayZero() {
    float[] v = TestCells.perturb(study, 1e-16, 4).values().clone();
    int negatives = 0;
    for (int i = 0; i < v.length; i += 97) {
      if (v[i] == 0) {
        v[i] = -1e-19f;
        negatives++;
      }
    }
    assertTrue(negatives > 10);
    CellVdf g = study.withValues(v);
    Result r = MomentConservation.apply(g, MomentTargets.of(study, CorrectionForm.MULTIPLICATIVE));
    assertTrue(r.ok(), r.detail());
    for (int i = 0; i < v.length; i++) {
      if (v[i] <= 0) {
        assertEquals(0f, r.values()[i], "value " + i);
      }
    }
  }

  @Test
  void degenerateCellsReportWhy() {
    var mesh = study.mesh();
    float[] none = new float[study.values().length];
    CellVdf empty = study.withValues(none);
    assertEquals(Failure.EMPTY, MomentConservation.apply(empty, MomentTargets.of(empty, CorrectionForm.MULTIPLICATIVE)).failure());
    assertEquals(Failure.EMPTY, MomentConservation.apply(empty, MomentTargets.of(study, CorrectionForm.MULTIPLICATIVE)).failure());
    CellVdf noBlocks = new CellVdf(1, mesh, new int[0], new float[0]);
    assertEquals(Failure.EMPTY, MomentConservation.apply(noBlocks, MomentTargets.of(noBlocks, CorrectionForm.EXPONENTIAL)).failure());

    float[] one = none.clone();
    one[1000] = 1e-13f;
    CellVdf single = study.withValues(one);
    assertEquals(Failure.DEGENERATE_TARGETS,
        MomentConservation.apply(single, MomentTargets.of(single, CorrectionForm.MULTIPLICATIVE)).failure());
    assertEquals(Failure.TOO_FEW_VALUES,
        MomentConservation.apply(single, MomentTargets.of(study, CorrectionForm.MULTIPLICATIVE)).failure());

    // every positive value in one vz plane: the vz moments cannot be moved
    float[] plane = none.clone();
    for (int b = 0; b < study.blockCount(); b++) {
      if (mesh.blockK(study.blockIds()[b]) == 6) {
        for (int l = 0; l < 16; l++) {
          plane[b * 64 + l] = study.values()[b * 64 + l];
        }
      }
    }
    for (CorrectionForm form : CorrectionForm.values()) {
      Result r = MomentConservation.apply(study.withValues(plane), MomentTargets.of(study, form, 1e-15));
      assertEquals(Failure.SINGULAR, r.failure(), form + ": " + r.detail());
    }

    float[] nan = study.values().clone();
    nan[5] = Float.NaN;
    assertEquals(Failure.NON_FINITE,
        MomentConservation.apply(study.withValues(nan), MomentTargets.of(study, CorrectionForm.MULTIPLICATIVE)).failure());
  }

  @Test
  void subnormalCellsNeverClaimAccuracyTheyCannotHave() {
    for (float scale : new float[] {4e-28f, 4e-30f, 4e-32f}) {
      float[] v = study.values().clone();
      for (int i = 0; i < v.length; i++) {
        v[i] *= scale;
      }
      CellVdf tiny = study.withValues(v);
      for (CorrectionForm form : CorrectionForm.values()) {
        Result r = MomentConservation.apply(TestCells.perturb(tiny, 1e-3 * tiny.peak(), 8), MomentTargets.of(tiny, form, 1e-3 * tiny.peak()));
        if (r.ok()) {
          ErrorMetrics m = ErrorMetrics.compare(tiny, tiny.withValues(r.values()));
          assertTrue(m.errN() <= FLOAT_RESULT && m.errV() <= FLOAT_RESULT && m.errP() <= FLOAT_RESULT, scale + " " + form);
        } else {
          assertEquals(Failure.INACCURATE, r.failure(), scale + " " + form + ": " + r.detail());
        }
      }
    }
  }

  @Test
  void decoderReproducesTheEncoderBitForBit() throws Exception {
    CellVdf g = TestCells.perturb(beam, 1e-15, 5);
    MomentConservation.Encoded e = MomentConservation.encode(beam, g, 1e-15, 4e-15);
    assertNotNull(e.targets(), e.result().detail());
    assertEquals(CorrectionForm.CAPPED, e.result().form());
    Result decoded = MomentConservation.apply(g, ByteBuffer.wrap(e.targets()));
    assertArrayEquals(e.result().values(), decoded.values());
    Result again = MomentConservation.apply(g, ByteBuffer.wrap(e.targets()));
    assertArrayEquals(decoded.values(), again.values());
    assertTrue(ErrorMetrics.compare(beam, g.withValues(decoded.values())).maxAbs() <= 4e-15);
  }

  @Test
  void encoderFallsBackOrGivesUpWhenTheBoundCannotBeMet() {
    CellVdf g = TestCells.perturb(study, 1e-15, 6);
    // a bound the capped form cannot meet (it moves the peak by ~1 tol) but the others may not either: nothing stored
    MomentConservation.Encoded tight = MomentConservation.encode(study, g, 1e-15, 1.0001e-15);
    if (tight.targets() == null) {
      assertEquals(Failure.OUT_OF_BOUND, tight.result().failure());
    }
    // no pointwise bound: the capped form succeeds first
    MomentConservation.Encoded loose = MomentConservation.encode(study, g, 1e-15, Double.POSITIVE_INFINITY);
    assertEquals(CorrectionForm.CAPPED, loose.result().form(), loose.result().detail());
    // no cap: the multiplicative form
    MomentConservation.Encoded plain = MomentConservation.encode(study, g, 0, Double.POSITIVE_INFINITY);
    assertEquals(CorrectionForm.MULTIPLICATIVE, plain.result().form());
    assertEquals(MomentTargets.FLOAT_PRESSURE_LENGTH, plain.targets().length);
  }

  /** Conservation to 1e-10 in double and 1e-6 after float32 rounding, zeros kept, no negatives, blocks unchanged. */
  private static void assertConserved(CellVdf original, CellVdf g, MomentTargets t, String what) {
    Result r = MomentConservation.apply(g, t);
    String label = what + " " + t.form();
    assertTrue(r.ok(), label + ": " + r.failure() + " " + r.detail());
    float[] out = r.values();
    assertEquals(g.values().length, out.length);
    for (int i = 0; i < out.length; i++) {
      if (g.values()[i] <= 0) {
        assertEquals(0f, out[i], label + ": value " + i + " was " + g.values()[i]);
      }
      assertTrue(out[i] >= 0, label + ": negative value at " + i);
    }
    ErrorMetrics before = ErrorMetrics.compare(original, g);
    ErrorMetrics after = ErrorMetrics.compare(original, g.withValues(out));
    assertTrue(after.errN() <= FLOAT_RESULT && after.errV() <= FLOAT_RESULT && after.errP() <= FLOAT_RESULT,
        label + String.format(": float32 err_n %.2e err_V %.2e err_P %.2e", after.errN(), after.errV(), after.errP()));
    assertTrue(before.errN() > 100 * after.errN() || before.errN() < FLOAT_RESULT, label + ": n was not corrected");
    // in double, before rounding: the normalised residual of the solver's own factors
    MomentProblem p = MomentProblem.build(g, t.moments());
    Outcome o = switch (t.form()) {
      case MULTIPLICATIVE -> MultiplicativeCorrection.solve(p);
      case EXPONENTIAL -> ExponentialCorrection.solve(p);
      case CAPPED -> MultiplicativeCorrection.solve(p, MomentConservation.shares(p, g.values(), t.cap()));
      case CAPPED_EXPONENTIAL -> ExponentialCorrection.solve(p, MomentConservation.shares(p, g.values(), t.cap()));
    };
    double[] a = new double[MomentProblem.K];
    p.accumulate(o.factors(), a, null);
    assertTrue(p.residual(a) <= DOUBLE_RESULT, label + ": double residual " + p.residual(a));
  }
}
