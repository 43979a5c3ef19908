package io.vdfc.conserve;

import io.vdfc.conserve.MomentConservation.Failure;

/**
 * {@code f' = g (1 + lambda . phi)}: the {@code g}-weighted L2 projection onto the constraints. {@code M lambda = b - A g}
 * with the Gram matrix {@code M = sum w phi phi^T}; the constraints are linear in lambda, so one solve is exact, and up to
 * {@link #REFINEMENTS} steps of iterative refinement (same factor) remove the rounding of the first.
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
    int k = MomentProblem.K;
    double[] a = new double[k];
    double[] gram = new double[k * k];
    p.accumulate(share, a, gram);
    p.accumulate(null, a, null);
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
    for (int pass = 0; pass <= REFINEMENTS; pass++) {
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
      for (int j = 0; j < h.length; j++) {
        h[j] = 1 + (share == null ? 1 : share[j]) * p.dot(j, lambda);
      }
      p.accumulate(h, a, null);
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
