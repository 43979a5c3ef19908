package io.vdfc.conserve;

import io.vdfc.conserve.MomentConservation.Failure;

/**
 * {@code f' = g exp(-lambda . phi)}: damped Newton on {@code F(lambda) = A f'(lambda) - b}, whose Jacobian is
 * {@code -M(lambda)} with the Gram matrix weighted by {@code f'}; the step {@code M^-1 F} is halved until
 * {@code |F|_2} falls (Armijo), because the Gaussian-like factor can blow up in the tails. {@link StrictMath#exp} keeps
 * the result bit-identical on every JVM, which the encoder relies on when it checks what the decoder will produce.
 */
final class ExponentialCorrection {
  static final int MAX_ITERATIONS = 30;
  static final int MAX_HALVINGS = 40;
  /** Converged when every residual is at most this (units of n, and of n v_th^2). */
  static final double TOLERANCE = 1e-13;
  /** Accepted when the line search stalls on rounding with residuals at most this. */
  static final double STALL_TOLERANCE = 1e-11;

  private ExponentialCorrection() {
    throw new AssertionError("no instances");
  }

  static Outcome solve(MomentProblem p) {
    int k = MomentProblem.K;
    int n = p.size();
    double[] lambda = new double[k];
    double[] h = new double[n];
    java.util.Arrays.fill(h, 1);
    double[] a = new double[k];
    double[] gram = new double[k * k];
    double[] f = new double[k];
    double[] d = new double[k];
    double[] trial = new double[k];
    double[] hTrial = new double[n];
    double[] aTrial = new double[k];
    GramSolver solver = new GramSolver();
    p.accumulate(h, a, gram);
    for (int it = 0; it < MAX_ITERATIONS; it++) {
      double res = p.residual(a);
      if (res <= TOLERANCE) {
        return Outcome.ok(h, it);
      }
      if (!solver.factor(gram)) {
        return Outcome.fail(Failure.SINGULAR, it,
            "f'-weighted Gram matrix of " + n + " values is singular (Cholesky diagonal ratio " + solver.quality() + ")");
      }
      for (int i = 0; i < k; i++) {
        f[i] = a[i] - p.b[i];
      }
      solver.solve(f, d);
      double norm = norm2(f);
      double t = 1;
      boolean accepted = false;
      for (int halving = 0; halving <= MAX_HALVINGS && !accepted; halving++, t *= 0.5) {
        for (int i = 0; i < k; i++) {
          trial[i] = lambda[i] + t * d[i];
        }
        for (int j = 0; j < n; j++) {
          hTrial[j] = StrictMath.exp(-p.dot(j, trial));
        }
        p.accumulate(hTrial, aTrial, null);
        for (int i = 0; i < k; i++) {
          aTrial[i] -= p.b[i];
        }
        double trialNorm = norm2(aTrial);
        accepted = Double.isFinite(trialNorm) && trialNorm <= (1 - 1e-4 * t) * norm;
      }
      if (!accepted) {
        if (res <= STALL_TOLERANCE) {
          return Outcome.ok(h, it);
        }
        return Outcome.fail(Failure.NOT_CONVERGED, it,
            "Newton step cannot reduce the moment residual " + res + " (line search exhausted)");
      }
      System.arraycopy(trial, 0, lambda, 0, k);
      System.arraycopy(hTrial, 0, h, 0, n);
      p.accumulate(h, a, gram);
    }
    double res = p.residual(a);
    if (res <= STALL_TOLERANCE) {
      return Outcome.ok(h, MAX_ITERATIONS);
    }
    return Outcome.fail(Failure.NOT_CONVERGED, MAX_ITERATIONS,
        "moment residual " + res + " after " + MAX_ITERATIONS + " Newton iterations");
  }

  private static double norm2(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x * x;
    }
    return Math.sqrt(s);
  }
}
