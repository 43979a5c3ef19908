package io.vdfc.conserve;

import io.vdfc.codec.CorruptRecordException;
import io.vdfc.metrics.Moments;
import io.vdfc.vdf.CellVdf;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Exact conservation of a cell's density, momentum and full pressure tensor after lossy decoding (prior-art.md §2,
 * K = 10 constraints {@code phi = 1, v_x, v_y, v_z, v_x^2, v_y^2, v_z^2, v_x v_y, v_x v_z, v_y v_z}).
 *
 * <p>The encoder stores targets of the original cell (57 bytes, 61 for the capped forms; layout in
 * {@link MomentTargets}); the decoder calls {@link #apply} on its reconstruction {@code g}. Every positive value is
 * multiplied by a smooth factor ({@link CorrectionForm}) chosen so that the moments of the result equal the targets;
 * values that are zero stay zero, so the block list and the sparsity pattern never change. Values below zero
 * (Vlasiator stores tiny negatives, about -1e-19, and lossy codecs make more) are clamped to zero first and stay zero:
 * the correction never needs a negative value and a multiplicative factor cannot give one a sensible sign. The system
 * is solved in {@code u = (v - V)/v_th} of the targets, where every matrix entry is of order one.
 *
 * <p>After rounding to float32 the relative residuals {@code err_n}, {@code err_V} (thermal speeds) and {@code err_P}
 * (Frobenius) of the result against the targets are at most {@link #ACCURACY} (measured: 1e-10 to 4e-9); otherwise
 * (cells of subnormal values) the result is a failure. The computation is deterministic: pure Java arithmetic, EJML's
 * Cholesky and {@link StrictMath#exp}, so the encoder, running this same code on the same reconstruction, sees bit for
 * bit what the decoder will produce and can check the pointwise bound on the corrected values ({@link #encode}).
 *
 * <p>How far values move: the moment error of an error-bounded codec is mostly bias (values below the tolerance
 * dropped), so restoring it in proportion to {@code g} ({@link CorrectionForm#MULTIPLICATIVE},
 * {@link CorrectionForm#EXPONENTIAL}) pushes the peak by 3 to 20 tolerances on smooth cells and by ~1000 on real
 * IPShock cells at tolerance 1e-16. The capped forms move every value by at most a few tolerances (max 5.1 on those
 * cells) and are what the pipeline should use, through {@link #encode}.
 *
 * <p>A failure (see {@link Failure}) returns no values: the caller keeps the uncorrected reconstruction.
 *
 * @since 0.1
 */
public final class MomentConservation {
  /**
   * The form {@link #targets(CellVdf)} selects when no cap is known. Multiplicative and exponential conserve equally
   * well (float32 residuals 1e-10 to 4e-9) and move values by the same amount when corrections are small; the
   * multiplicative form needs one solve instead of 3 to 8 Newton steps (about 2x faster: 2 to 6 ms vs 5 to 10 ms for a
   * 2,300-block cell) and fails loudly (NEGATIVE) where the exponential one would reshape a cell heavily. The pipeline
   * should prefer {@link #encode} with a cap, which tries {@link CorrectionForm#CAPPED} and
   * {@link CorrectionForm#CAPPED_EXPONENTIAL} first (figures in the class comment; {@code ConservationStudy} in the
   * tests prints them).
   */
  public static final CorrectionForm DEFAULT_FORM = CorrectionForm.MULTIPLICATIVE;
  /** Bound on the float32 result's {@code err_n}, {@code err_V}, {@code err_P} against the targets. */
  public static final double ACCURACY = 1e-6;
  /** Fewest positive values that can carry 10 constraints. */
  public static final int MIN_VALUES = MomentProblem.K;

  /** A capped correction out of the bound by at most this factor is tried again with a smaller cap. */
  static final double NARROW_MISS = 1.05;
  /** The smaller cap's factor on the cap ({@link #smallerCap}). */
  static final double SMALLER_CAP = 0.25;

  private static final CorrectionForm[] ENCODER_ORDER = {
    CorrectionForm.CAPPED, CorrectionForm.CAPPED_EXPONENTIAL, CorrectionForm.MULTIPLICATIVE, CorrectionForm.EXPONENTIAL
  };

  /** Why a cell could not be corrected. */
  public enum Failure {
    /** The reconstruction has no positive value (nothing to scale), or the original is empty. */
    EMPTY,
    /** Fewer than {@link #MIN_VALUES} positive values. */
    TOO_FEW_VALUES,
    /** The targets have {@code n <= 0} or zero temperature (one velocity cell), so u cannot be formed. */
    DEGENERATE_TARGETS,
    /** NaN or infinity in the reconstruction, or a non-finite corrected value. */
    NON_FINITE,
    /** The positive values do not determine all ten moments (e.g. all on one plane). */
    SINGULAR,
    /** The exponential form's Newton iteration did not converge. */
    NOT_CONVERGED,
    /** The multiplicative correction is so large that some value would turn negative. */
    NEGATIVE,
    /** After float32 rounding a moment residual exceeds {@link #ACCURACY}. */
    INACCURATE,
    /** Encoder only ({@link #encode}): the corrected values leave the user's pointwise bound. */
    OUT_OF_BOUND
  }

  /**
   * A corrected cell or why there is none.
   *
   * @param values corrected values, same length and blocks as the reconstruction; null on failure
   * @param failure null on success
   * @param detail what went wrong, in words; null on success
   * @param form the form that was applied
   * @param iterations linear solves after the first (multiplicative: refinement steps) or Newton steps (exponential)
   * @param maxChange {@code max |f' - g|} over all values (the clamped negatives included); NaN on failure
   * @param errN {@code |n' - n| / n} of the float32 result against the targets; NaN on failure before rounding
   * @param errV {@code |V' - V| / v_th}
   * @param errP {@code |P' - P|_F / |P|_F}
   */
  public record Result(
      float[] values, Failure failure, String detail, CorrectionForm form, int iterations, double maxChange,
      double errN, double errV, double errP) {

    public boolean ok() {
      return failure == null;
    }

    static Result fail(Failure failure, CorrectionForm form, int iterations, String detail) {
      return new Result(null, failure, detail, form, iterations, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
  }

  /**
   * What the encoder keeps for one cell: the targets bytes to store and the result the decoder will compute.
   *
   * @param targets bytes to store (see {@link MomentTargets}), null when no form succeeded within the bound
   * @param result the correction of the reconstruction with those targets
   * @param maxDifference {@code max |f' - f|} of the corrected values against the original when {@code targets} is not
   *     null; else the largest such difference of a form that solved but left the bound (the caller's retry can size its
   *     tightening by it), or NaN if none solved
   */
  public record Encoded(byte[] targets, Result result, double maxDifference) {}

  private MomentConservation() {
    throw new AssertionError("no instances");
  }

  /** The targets bytes of {@code original} with {@link #DEFAULT_FORM}. */
  public static byte[] targets(CellVdf original) {
    return MomentTargets.of(original, DEFAULT_FORM).toBytes();
  }

  /** The targets bytes of {@code original} for a given form. */
  public static byte[] targets(CellVdf original, CorrectionForm form) {
    return MomentTargets.of(original, form).toBytes();
  }

  /** The targets bytes of {@code original} for a capped form with the weight cap {@code cap}. */
  public static byte[] targets(CellVdf original, CorrectionForm form, double cap) {
    return MomentTargets.of(original, form, cap).toBytes();
  }

  /**
   * Encoder side: corrects {@code reconstruction} (what the decoder will see, same blocks as {@code original}) with
   * {@link CorrectionForm#CAPPED}, then {@link CorrectionForm#CAPPED_EXPONENTIAL} (cap {@code cap}; both skipped if
   * {@code cap} is not positive), then {@link CorrectionForm#MULTIPLICATIVE}, then {@link CorrectionForm#EXPONENTIAL}
   * (the search ends once a capped form solved but missed the bound: see the loop), and keeps the first that succeeds
   * with every corrected value within {@code bound} of the original. The decoder repeats exactly that result. With the
   * codec run at {@code bound / 6} and {@code cap} = the codec's tolerance, every tested real cell found a capped form
   * within the bound.
   *
   * @param cap the weight cap, normally the codec's pointwise tolerance
   * @param bound the user's pointwise bound on {@code |f' - f|}; infinity for none
   * @return the targets to store and their result, or null targets (store nothing, keep the reconstruction) with the
   *     last attempt's result
   */
  public static Encoded encode(CellVdf original, CellVdf reconstruction, double cap, double bound) {
    return encode(original, Moments.of(original), reconstruction, cap, bound);
  }

  /**
   * As {@link #encode(CellVdf, CellVdf, double, double)} with the original's moments already computed
   * ({@code moments} must be {@link Moments#of}{@code (original)}), for callers that try several reconstructions.
   */
  public static Encoded encode(CellVdf original, Moments moments, CellVdf reconstruction, double cap, double bound) {
    if (!java.util.Arrays.equals(original.blockIds(), reconstruction.blockIds())) {
      throw new IllegalArgumentException("cell " + original.cellId() + ": the reconstruction has other blocks than the original");
    }
    Result last = null;
    boolean cappedOutOfBound = false;
    double missedBy = 0; // the largest max |f' - f| of a solved form that left the bound
    for (CorrectionForm form : ENCODER_ORDER) {
      if (form.capped() && !(cap > 0)) {
        continue;
      }
      if (cappedOutOfBound) {
        // A capped form that solved but left values out of the bound ends the search: the capped exponential form moves
        // values as much (and costs a Newton iteration), an uncapped form moves each value in proportion to itself, up
        // to the peak, so misses further; on the real files none of them ever rescued such a cell. The caller's retry
        // with more room inside the bound is cheaper than trying them.
        break;
      }
      MomentTargets t = MomentTargets.of(moments, form, cap);
      Result r = apply(reconstruction, t);
      if (r.ok()) {
        double worst = maxDifference(original.values(), r.values());
        if (worst <= bound) {
          return new Encoded(t.toBytes(), r, worst);
        }
        if (form == CorrectionForm.CAPPED && worst <= NARROW_MISS * bound) {
          Encoded rescued = smallerCap(original, moments, reconstruction, cap * SMALLER_CAP, bound);
          if (rescued != null) {
            return rescued;
          }
        }
        cappedOutOfBound |= form.capped();
        missedBy = Math.max(missedBy, worst);
        r = new Result(null, Failure.OUT_OF_BOUND, String.format("cell %d: corrected values differ from the original by %.3e > bound %.3e",
            original.cellId(), worst, bound), form, r.iterations(), r.maxChange(), r.errN(), r.errV(), r.errP());
      }
      Below below = last == null ? Below.of(original.values(), bound) : null;
      if (below != null) {
        // every form sets negatives to 0, so a value below -bound leaves the bound whatever the form; trying the forms
        // cost 0.7-0.9 s on a 2,241-block cell of the real restart with one value set to -1e-10
        return new Encoded(null, new Result(null, Failure.OUT_OF_BOUND, String.format("cell %d: values below -bound "
            + "%.3e (%s), which the correction sets to 0", original.cellId(), bound, below), form, 0, Double.NaN,
            Double.NaN, Double.NaN, Double.NaN), Double.NaN);
      }
      last = r;
    }
    return new Encoded(null, last, missedBy > 0 ? missedBy : Double.NaN);
  }

  /**
   * A capped correction that misses the bound narrowly often fits with a smaller cap: large values then take less of the
   * correction and small ones more. Measured on the real files (zfpb at 0.8 of the bound), cells whose capped correction
   * missed by at most 5 %: with a quarter of the cap every one fitted (9 of 9: 4 cells of the real bulk file at 1e-16, 5
   * of the real restart at 1e-15), for the cost of one more correction instead of encoding the cell again; missing by 5
   * to 10 %, 4 of 5 (the one that did not is a bulk cell, where the wider threshold would only have cost time); by more,
   * none of 25. Null when it does not fit.
   */
  private static Encoded smallerCap(CellVdf original, Moments moments, CellVdf reconstruction, double cap, double bound) {
    MomentTargets t = MomentTargets.of(moments, CorrectionForm.CAPPED, cap);
    Result r = apply(reconstruction, t);
    if (r.ok()) {
      double worst = maxDifference(original.values(), r.values());
      if (worst <= bound) {
        return new Encoded(t.toBytes(), r, worst);
      }
    }
    return null;
  }

  /** {@code min(1, cap / g_j)} for every positive value. */
  static double[] shares(MomentProblem problem, float[] g, double cap) {
    double[] share = new double[problem.size()];
    for (int j = 0; j < share.length; j++) {
      share[j] = Math.min(1, cap / g[problem.index[j]]);
    }
    return share;
  }

  /**
   * The values below {@code -bound} of a cell, which every correction form sets to 0 (the forms work on non-negative
   * values; Vlasiator's own negatives are about -1e-19), so that no correction keeps such a cell within the bound.
   */
  public record Below(int count, float lowest) {
    /** One pass; null if there are none. Callers ask only once a correction left the bound: clean cells pay nothing. */
    public static Below of(float[] values, double bound) {
      int count = 0;
      float lowest = 0;
      for (float v : values) {
        if (v < -bound) {
          count++;
          lowest = Math.min(lowest, v);
        }
      }
      return count == 0 ? null : new Below(count, lowest);
    }

    @Override
    public String toString() {
      return count + (count == 1 ? " value" : " values") + ", lowest " + lowest;
    }
  }

  private static double maxDifference(float[] a, float[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      double d = Math.abs((double) a[i] - b[i]);
      if (!(d <= m)) {
        if (d != d) {
          return Double.NaN;
        }
        m = d;
      }
    }
    return m;
  }

  /**
   * Decoder side: reads the targets at {@code targets}' position (advancing it) and corrects {@code reconstruction}
   * (not modified).
   *
   * @throws CorruptRecordException if the targets bytes are malformed
   */
  public static Result apply(CellVdf reconstruction, ByteBuffer targets) throws CorruptRecordException {
    return apply(reconstruction, MomentTargets.read(targets));
  }

  /**
   * Corrects {@code reconstruction} (not modified) to the moments of {@code targets}.
   *
   * <p>The float32 result is checked in the normalised coordinates of the problem, in the same pass that rounds it: its
   * raw moments about the target V in units of n and v_th give {@code err_n}, {@code err_V} and {@code err_P} exactly as
   * {@link #residuals} defines them (up to double rounding, some 1e-15 of the 1e-6 budget).
   */
  public static Result apply(CellVdf reconstruction, MomentTargets targets) {
    CorrectionForm form = targets.form();
    Moments t = targets.moments();
    float[] g = reconstruction.values();
    int positive = 0;
    double clamped = 0; // largest |g| of the values below zero, which the correction sets to zero
    for (float v : g) {
      if (v > 0) {
        positive++;
        if (v > Float.MAX_VALUE) {
          return Result.fail(Failure.NON_FINITE, form, 0, "cell " + reconstruction.cellId() + ": reconstruction holds " + v);
        }
      } else if (!(v >= -Float.MAX_VALUE)) {
        return Result.fail(Failure.NON_FINITE, form, 0, "cell " + reconstruction.cellId() + ": reconstruction holds " + v);
      } else if (v < 0) {
        clamped = Math.max(clamped, -(double) v);
      }
    }
    if (t.n() == 0 || positive == 0) {
      return Result.fail(Failure.EMPTY, form, 0,
          where(reconstruction) + (t.n() == 0 ? "the original is empty" : "the reconstruction has no positive value"));
    }
    if (!(t.n() > 0) || !(t.thermalSpeed() > 0)) {
      return Result.fail(Failure.DEGENERATE_TARGETS, form, 0,
          where(reconstruction) + "target n = " + t.n() + ", v_th = " + t.thermalSpeed() + " (need both > 0)");
    }
    if (positive < MIN_VALUES) {
      return Result.fail(Failure.TOO_FEW_VALUES, form, 0,
          where(reconstruction) + positive + " positive values cannot carry " + MomentProblem.K + " moments");
    }
    if (form == CorrectionForm.MULTIPLICATIVE || form == CorrectionForm.CAPPED) {
      Result fast = BlockCorrection.apply(reconstruction, targets, clamped);
      if (fast != null) {
        return fast;
      }
    }
    // the exponential form, or a linear one whose single solve missed the accuracy: iterate on the point list
    MomentProblem problem = MomentProblem.build(reconstruction, t, positive);
    Outcome o = switch (form) {
      case EXPONENTIAL -> ExponentialCorrection.solve(problem);
      case CAPPED_EXPONENTIAL -> ExponentialCorrection.solve(problem, shares(problem, g, targets.cap()));
      case CAPPED -> MultiplicativeCorrection.solve(problem, shares(problem, g, targets.cap()),
          MultiplicativeCorrection.REFINEMENTS);
      case MULTIPLICATIVE -> MultiplicativeCorrection.solve(problem, null, MultiplicativeCorrection.REFINEMENTS);
    };
    return roundAndCheck(reconstruction, problem, form, o, clamped);
  }

  /**
   * The float32 values {@code g h} of a form's outcome and their check against the targets.
   *
   * @param clamped largest magnitude of the values below zero (they become zero)
   */
  private static Result roundAndCheck(CellVdf reconstruction, MomentProblem problem, CorrectionForm form, Outcome o,
      double clamped) {
    if (o.failure() != null) {
      return Result.fail(o.failure(), form, o.iterations(), where(reconstruction) + o.detail());
    }
    float[] g = reconstruction.values();
    float[] out = new float[g.length];
    double[] h = o.factors();
    int[] index = problem.index;
    double[] ux = problem.ux, uy = problem.uy, uz = problem.uz;
    double scale = problem.scale;
    double maxChange = clamped;
    double s1 = 0, sx = 0, sy = 0, sz = 0, sxx = 0, syy = 0, szz = 0, sxy = 0, sxz = 0, syz = 0;
    for (int j = 0; j < h.length; j++) {
      int at = index[j];
      float gj = g[at];
      float f = (float) (gj * h[j]);
      if (!(Math.abs(f) <= Float.MAX_VALUE)) {
        return Result.fail(Failure.NON_FINITE, form, o.iterations(), where(reconstruction) + "corrected value " + f);
      }
      out[at] = f;
      maxChange = Math.max(maxChange, Math.abs((double) f - gj));
      double c = f * scale;
      double x = ux[j], y = uy[j], z = uz[j];
      double cx = c * x, cy = c * y, cz = c * z;
      s1 += c;
      sx += cx;
      sy += cy;
      sz += cz;
      sxx += cx * x;
      syy += cy * y;
      szz += cz * z;
      sxy += cx * y;
      sxz += cx * z;
      syz += cy * z;
    }
    double[] err = normalisedResiduals(new double[] {s1, sx, sy, sz, sxx, syy, szz, sxy, sxz, syz}, problem.b);
    if (!(err[0] <= ACCURACY && err[1] <= ACCURACY && err[2] <= ACCURACY)) {
      return new Result(null, Failure.INACCURATE,
          where(reconstruction) + String.format("after float32 rounding err_n %.2e, err_V %.2e, err_P %.2e exceed %.0e", err[0], err[1], err[2], ACCURACY),
          form, o.iterations(), maxChange, err[0], err[1], err[2]);
    }
    return new Result(out, null, null, form, o.iterations(), maxChange, err[0], err[1], err[2]);
  }

  private static String where(CellVdf cell) {
    return "cell " + cell.cellId() + " of " + cell.mesh().population() + ": ";
  }

  /**
   * {@code err_n}, {@code err_V}, {@code err_P} from raw moments {@code s} ({@link Moments#raw} order) taken in units of
   * n about the target V with velocities in units of v_th, against {@code b} (n = 1, V = 0, {@code Pi = P / (n v_th^2)}).
   */
  static double[] normalisedResiduals(double[] s, double[] b) {
    double n = s[0];
    double mx = s[1] / n, my = s[2] / n, mz = s[3] / n;
    Moments actual = new Moments(n, mx, my, mz, new double[] {
      s[4] - n * mx * mx, s[5] - n * my * my, s[6] - n * mz * mz,
      s[7] - n * mx * my, s[8] - n * mx * mz, s[9] - n * my * mz
    });
    Moments target = new Moments(b[0], b[1], b[2], b[3], java.util.Arrays.copyOfRange(b, 4, 10));
    double dvx = actual.vx(), dvy = actual.vy(), dvz = actual.vz();
    double[] dp = new double[6];
    for (int i = 0; i < 6; i++) {
      dp[i] = actual.pressure()[i] - target.pressure()[i];
    }
    return new double[] {
      Math.abs(n - 1),
      Math.sqrt(dvx * dvx + dvy * dvy + dvz * dvz),
      new Moments(0, 0, 0, 0, dp).pressureNorm() / target.pressureNorm()
    };
  }

  /**
   * {@code err_n}, {@code err_V}, {@code err_P} (metrics.md) of {@code actual} against {@code target}, with v_th and
   * the norms of the target ({@link io.vdfc.metrics.ErrorMetrics.MomentErrors}, the one definition).
   */
  public static double[] residuals(Moments target, Moments actual) {
    io.vdfc.metrics.ErrorMetrics.MomentErrors e = io.vdfc.metrics.ErrorMetrics.MomentErrors.of(target, actual);
    return new double[] {e.errN(), e.errV(), e.errP()};
  }

}
