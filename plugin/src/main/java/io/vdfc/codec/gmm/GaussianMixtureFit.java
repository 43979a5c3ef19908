package io.vdfc.codec.gmm;

import java.util.Random;

/**
 * EM for a mixture of K full-covariance Gaussians fitted to the cell's values taken as weights (maximising
 * {@code sum_i f_i log p(v_i)}), in mesh-cell units; k-means++ initialisation with a fixed seed, so deterministic.
 * Covariances get a floor of {@link #COV_FLOOR} cells^2 on the diagonal.
 */
final class GaussianMixtureFit {
  static final long SEED = 0x5eed_6a55L;
  static final double COV_FLOOR = 1e-3;
  static final int MAX_ITER = 50;

  final double[][] mean; // [k][3]
  final double[][] cov; // [k][xx, yy, zz, xy, xz, yz]

  private GaussianMixtureFit(double[][] mean, double[][] cov) {
    this.mean = mean;
    this.cov = cov;
  }

  /** Points {@code x[i][3]} with weights {@code w[i] > 0}. */
  static GaussianMixtureFit fit(double[][] x, double[] w, int k) {
    int n = x.length;
    Random rnd = new Random(SEED + k);
    double[][] mean = new double[k][];
    double total = 0;
    for (double wi : w) {
      total += wi;
    }
    double[] d2 = new double[n];
    java.util.Arrays.fill(d2, 1);
    for (int c = 0; c < k; c++) {
      double sum = 0;
      for (int i = 0; i < n; i++) {
        sum += w[i] * d2[i];
      }
      double target = rnd.nextDouble() * sum;
      int pick = n - 1;
      for (int i = 0; i < n; i++) {
        target -= w[i] * d2[i];
        if (target <= 0) {
          pick = i;
          break;
        }
      }
      mean[c] = x[pick].clone();
      for (int i = 0; i < n; i++) {
        double d = sq(x[i][0] - mean[c][0]) + sq(x[i][1] - mean[c][1]) + sq(x[i][2] - mean[c][2]);
        d2[i] = c == 0 ? d : Math.min(d2[i], d);
      }
    }
    double[] global = covariance(x, w, null, weightedMean(x, w, null));
    double shrink = Math.pow(k, -2.0 / 3);
    double[][] cov = new double[k][6];
    double[] pi = new double[k];
    for (int c = 0; c < k; c++) {
      for (int e = 0; e < 6; e++) {
        cov[c][e] = global[e] * shrink + (e < 3 ? COV_FLOOR : 0);
      }
      pi[c] = 1.0 / k;
    }
    double[][] resp = new double[n][k];
    double prevLl = Double.NEGATIVE_INFINITY;
    for (int it = 0; it < MAX_ITER; it++) {
      double ll = 0;
      double[][] prec = new double[k][];
      double[] logNorm = new double[k];
      for (int c = 0; c < k; c++) {
        prec[c] = inverseCholesky(cov[c]);
        logNorm[c] = Math.log(pi[c]) + Math.log(prec[c][0] * prec[c][2] * prec[c][5]) - 1.5 * Math.log(2 * Math.PI);
      }
      for (int i = 0; i < n; i++) {
        double mx = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
          resp[i][c] = logNorm[c] - 0.5 * quad(prec[c], x[i], mean[c]);
          mx = Math.max(mx, resp[i][c]);
        }
        double s = 0;
        for (int c = 0; c < k; c++) {
          resp[i][c] = Math.exp(resp[i][c] - mx);
          s += resp[i][c];
        }
        for (int c = 0; c < k; c++) {
          resp[i][c] /= s;
        }
        ll += w[i] * (mx + Math.log(s));
      }
      for (int c = 0; c < k; c++) {
        double nk = 0;
        double[] rw = new double[n];
        for (int i = 0; i < n; i++) {
          rw[i] = w[i] * resp[i][c];
          nk += rw[i];
        }
        if (nk <= total * 1e-9) {
          continue; // an empty component keeps its place
        }
        pi[c] = nk / total;
        mean[c] = weightedMean(x, rw, null);
        double[] cv = covariance(x, rw, null, mean[c]);
        for (int e = 0; e < 6; e++) {
          cov[c][e] = cv[e] + (e < 3 ? COV_FLOOR : 0);
        }
      }
      if (Math.abs(ll - prevLl) <= 1e-8 * Math.abs(ll)) {
        break;
      }
      prevLl = ll;
    }
    return new GaussianMixtureFit(mean, cov);
  }

  static double[] weightedMean(double[][] x, double[] w, Object unused) {
    double s = 0;
    double[] m = new double[3];
    for (int i = 0; i < x.length; i++) {
      s += w[i];
      for (int a = 0; a < 3; a++) {
        m[a] += w[i] * x[i][a];
      }
    }
    for (int a = 0; a < 3; a++) {
      m[a] = s > 0 ? m[a] / s : 0;
    }
    return m;
  }

  static double[] covariance(double[][] x, double[] w, Object unused, double[] m) {
    double s = 0;
    double[] c = new double[6];
    for (int i = 0; i < x.length; i++) {
      double dx = x[i][0] - m[0], dy = x[i][1] - m[1], dz = x[i][2] - m[2];
      s += w[i];
      c[0] += w[i] * dx * dx;
      c[1] += w[i] * dy * dy;
      c[2] += w[i] * dz * dz;
      c[3] += w[i] * dx * dy;
      c[4] += w[i] * dx * dz;
      c[5] += w[i] * dy * dz;
    }
    for (int e = 0; e < 6; e++) {
      c[e] = s > 0 ? c[e] / s : (e < 3 ? 1 : 0);
    }
    return c;
  }

  /**
   * The lower-triangular {@code M = L^-1} of {@code cov = L L^T}, as {@code [m00, m10, m11, m20, m21, m22]}, so that
   * {@code (x-mu)^T cov^-1 (x-mu) = |M (x-mu)|^2}. A covariance that is not positive definite is floored first.
   */
  static double[] inverseCholesky(double[] cv) {
    double xx = Math.max(cv[0], COV_FLOOR), yy = Math.max(cv[1], COV_FLOOR), zz = Math.max(cv[2], COV_FLOOR);
    double l00 = Math.sqrt(xx);
    double l10 = cv[3] / l00;
    double l11 = Math.sqrt(Math.max(yy - l10 * l10, COV_FLOOR * 1e-3));
    double l20 = cv[4] / l00;
    double l21 = (cv[5] - l20 * l10) / l11;
    double l22 = Math.sqrt(Math.max(zz - l20 * l20 - l21 * l21, COV_FLOOR * 1e-3));
    double m00 = 1 / l00;
    double m11 = 1 / l11;
    double m22 = 1 / l22;
    double m10 = -l10 * m00 / l11;
    double m21 = -l21 * m11 / l22;
    double m20 = -(l20 * m00 + l21 * m10) / l22;
    return new double[] {m00, m10, m11, m20, m21, m22};
  }

  static double quad(double[] m, double[] x, double[] mu) {
    double d0 = x[0] - mu[0], d1 = x[1] - mu[1], d2 = x[2] - mu[2];
    double a = m[0] * d0;
    double b = m[1] * d0 + m[2] * d1;
    double c = m[3] * d0 + m[4] * d1 + m[5] * d2;
    return a * a + b * b + c * c;
  }

  private static double sq(double v) {
    return v * v;
  }
}
