package io.vdfc.conserve;

import io.vdfc.conserve.MomentConservation.Failure;
import java.util.Arrays;

/**
 * {@code f' = g exp(-lambda . phi)}, or with shares {@code s_j} in (0, 1] {@code f' = g (1 - s + s exp(-lambda . phi))}
 * (only the part {@code s g} is reshaped, so {@code f' >= (1 - s) g >= 0} and no value drops by more than {@code s g}).
 * Damped Newton on {@code F(lambda) = A f'(lambda) - b}, whose Jacobian is {@code -M(lambda)}, the Gram matrix weighted
 * by the reshaped part; the step {@code M^-1 F} is halved until {@code |F|_2} falls (Armijo), because the Gaussian-like
 * factor can blow up in the tails. {@link StrictMath#exp} keeps the result bit-identical on every JVM, which the encoder
 * relies on when it checks what the decoder will produce.
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
    return solve(p, null);
  }

  /**
   * @param share per point, the share {@code s_j} in (0, 1] of {@code g_j} that is reshaped; null for all ones
   */
  static Outcome solve(MomentProblem p, double[] share) {
    int k = MomentProblem.K;
    int n = p.size();
    // the reshaped part must carry b minus what the fixed part (1 - s) g already carries
    double[] target = p.b.clone();
    if (share != null) {
      double[] all = new double[k];
      double[] part = new double[k];
      p.accumulate(null, all, null);
      p.accumulate(share, part, null);
      for (int i = 0; i < k; i++) {
        target[i] += part[i] - all[i];
      }
    }
    double[] lambda = new double[k];
    double[] e = new double[n];
    Arrays.fill(e, 1);
    double[] weight = share == null ? e.clone() : share.clone();
    double[] a = new double[k];
    double[] gram = new double[k * k];
    double[] f = new double[k];
    double[] d = new double[k];
    double[] trial = new double[k];
    double[] eTrial = new double[n];
    double[] wTrial = new double[n];
    double[] aTrial = new double[k];
    GramSolver solver = new GramSolver();
    p.accumulate(weight, a, gram);
    for (int it = 0; it < MAX_ITERATIONS; it++) {
      double res = maxDiff(a, target);
      if (res <= TOLERANCE) {
        return Outcome.ok(factors(e, share), it);
      }
      if (!solver.factor(gram)) {
        return Outcome.fail(Failure.SINGULAR, it,
            "f'-weighted Gram matrix of " + n + " values is singular (Cholesky diagonal ratio " + solver.quality() + ")");
      }
      for (int i = 0; i < k; i++) {
        f[i] = a[i] - target[i];
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
          eTrial[j] = StrictMath.exp(-p.dot(j, trial));
          wTrial[j] = share == null ? eTrial[j] : share[j] * eTrial[j];
        }
        p.accumulate(wTrial, aTrial, null);
        for (int i = 0; i < k; i++) {
          aTrial[i] -= target[i];
        }
        double trialNorm = norm2(aTrial);
        accepted = Double.isFinite(trialNorm) && trialNorm <= (1 - 1e-4 * t) * norm;
      }
      if (!accepted) {
        if (res <= STALL_TOLERANCE) {
          return Outcome.ok(factors(e, share), it);
        }
        return Outcome.fail(Failure.NOT_CONVERGED, it,
            "Newton step cannot reduce the moment residual " + res + " (line search exhausted)");
      }
      System.arraycopy(trial, 0, lambda, 0, k);
      System.arraycopy(eTrial, 0, e, 0, n);
      System.arraycopy(wTrial, 0, weight, 0, n);
      p.accumulate(weight, a, gram);
    }
    double res = maxDiff(a, target);
    if (res <= STALL_TOLERANCE) {
      return Outcome.ok(factors(e, share), MAX_ITERATIONS);
    }
    return Outcome.fail(Failure.NOT_CONVERGED, MAX_ITERATIONS,
        "moment residual " + res + " after " + MAX_ITERATIONS + " Newton iterations");
  }

  /** {@code f'/g}: {@code e}, or {@code 1 - s + s e}. */
  private static double[] factors(double[] e, double[] share) {
    if (share == null) {
      return e;
    }
    double[] h = new double[e.length];
    for (int j = 0; j < h.length; j++) {
      h[j] = 1 - share[j] + share[j] * e[j];
    }
    return h;
  }

  private static double maxDiff(double[] a, double[] b) {
    double r = 0;
    for (int i = 0; i < a.length; i++) {
      r = Math.max(r, Math.abs(a[i] - b[i]));
    }
    return r;
  }

  private static double norm2(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x * x;
    }
    return Math.sqrt(s);
  }
}
