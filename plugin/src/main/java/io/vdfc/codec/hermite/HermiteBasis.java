package io.vdfc.codec.hermite;

/** Normalised Hermite functions {@code psi_k(xi) = H_k(xi) exp(-xi^2/2) / sqrt(2^k k! sqrt(pi))}, by recurrence. */
final class HermiteBasis {
  private HermiteBasis() {
    throw new AssertionError("no instances");
  }

  /** {@code [k][i] = psi_k((v_i - centre) / sigma)} for {@code k <= degree}. */
  static double[][] table(int degree, double[] v, double centre, double sigma) {
    double[][] t = new double[degree + 1][v.length];
    double c0 = Math.pow(Math.PI, -0.25);
    for (int i = 0; i < v.length; i++) {
      double xi = (v[i] - centre) / sigma;
      double prev = 0;
      double cur = c0 * Math.exp(-0.5 * xi * xi);
      t[0][i] = cur;
      for (int k = 0; k < degree; k++) {
        double next = Math.sqrt(2.0 / (k + 1)) * xi * cur - Math.sqrt((double) k / (k + 1)) * prev;
        prev = cur;
        cur = next;
        t[k + 1][i] = cur;
      }
    }
    return t;
  }

  /** Number of coefficients {@code (a, b, c)} with {@code a + b + c <= degree}. */
  static int count(int degree) {
    return (degree + 1) * (degree + 2) * (degree + 3) / 6;
  }
}
