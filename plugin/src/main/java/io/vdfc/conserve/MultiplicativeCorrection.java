package io.vdfc.conserve;

import io.vdfc.conserve.MomentConservation.Failure;

/**
 * {@code f' = g (1 + lambda . phi)}: the {@code g}-weighted L2 projection onto the constraints. {@code M lambda = b - A g}
 * with the Gram matrix {@code M = sum w phi phi^T}; the constraints are linear in lambda, so one solve is exact, and up to
 * {@link #REFINEMENTS} steps of iterative refinement (same factor) remove the rounding of the first.
 *
 * <p>{@link MomentConservation#apply} solves the linear forms with {@link BlockCorrection} (one solve, on the block
 * layout) and comes here, on the point list of {@link MomentProblem}, only when that single solve misses the float32
 * accuracy.
 */
final class MultiplicativeCorrection {
  static final int REFINEMENTS = 2;
  /** Residual (in units of n, and of n v_th^2) below which refinement stops. */
  static final double TOLERANCE = 1e-15;

  private MultiplicativeCorrection() {
    throw new AssertionError("no instances");
  }

  static Outcome solve(MomentProblem p) {
    return solve(p, null);
  }

  /**
   * @param share per point, the share {@code s_j} in (0, 1] of {@code g_j} the correction may scale
   *     ({@code f' = g (1 + s lambda.phi)}); null for all ones
   */
  static Outcome solve(MomentProblem p, double[] share) {
    return solve(p, share, REFINEMENTS);
  }

  /**
   * As {@link #solve(MomentProblem, double[])} with at most {@code refinements} refinement steps. One solve already
   * leaves a residual far below what float32 rounding adds, so the pipeline tries 0 first and refines only when the
   * rounded result misses {@link MomentConservation#ACCURACY}.
   */
  static Outcome solve(MomentProblem p, double[] share, int refinements) {
    int k = MomentProblem.K;
    double[] a = new double[k];
    double[] gram = new double[k * k];
    p.gramAndMoments(share, a, gram);
    GramSolver solver = new GramSolver();
    if (!solver.factor(gram)) {
      return Outcome.fail(Failure.SINGULAR, 0,
          "weighted Gram matrix of " + p.size() + " values is singular (Cholesky diagonal ratio " + solver.quality() + ")");
    }
    double[] lambda = new double[k];
    double[] r = new double[k];
    double[] delta = new double[k];
    double[] h = new double[p.size()];
    int steps = 0;
    for (int pass = 0; pass <= refinements; pass++) {
      for (int i = 0; i < k; i++) {
        r[i] = p.b[i] - a[i];
      }
      if (pass > 0 && p.residual(a) <= TOLERANCE) {
        break;
      }
      solver.solve(r, delta);
      for (int i = 0; i < k; i++) {
        lambda[i] += delta[i];
      }
      steps++;
      if (pass < refinements) {
        p.factorsAndMoments(lambda, share, h, a);
      } else {
        p.factors(lambda, share, h);
      }
    }
    double lowest = Double.POSITIVE_INFINITY;
    for (double v : h) {
      lowest = Math.min(lowest, v);
    }
    if (!(lowest >= 0)) {
      return Outcome.fail(Failure.NEGATIVE, steps,
          "the correction factor 1 + lambda.phi reaches " + lowest + " (< 0): the correction is too large for the multiplicative form");
    }
    return Outcome.ok(h, steps);
  }
}
