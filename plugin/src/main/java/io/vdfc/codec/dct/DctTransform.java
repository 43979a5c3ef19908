package io.vdfc.codec.dct;

/** Orthonormal DCT-II of a {@code b^3} block (x fastest) and its inverse, separable along x, y and z. */
final class DctTransform {
  private final int b;
  /** {@code m[u*b + x] = c(u) cos(pi (2x+1) u / 2b)}, rows orthonormal. */
  private final double[] m;
  private final double[] line;
  private final double[] tmp;

  DctTransform(int b) {
    this.b = b;
    this.m = new double[b * b];
    for (int u = 0; u < b; u++) {
      double c = Math.sqrt((u == 0 ? 1.0 : 2.0) / b);
      for (int x = 0; x < b; x++) {
        m[u * b + x] = c * Math.cos(Math.PI * (2 * x + 1) * u / (2.0 * b));
      }
    }
    this.line = new double[b];
    this.tmp = new double[b];
  }

  /** In place: values to coefficients ({@code inverse=false}) or back. */
  void apply(double[] block, boolean inverse) {
    int b2 = b * b;
    for (int axis = 0; axis < 3; axis++) {
      int stride = axis == 0 ? 1 : axis == 1 ? b : b2;
      for (int p = 0; p < b2; p++) {
        int q1 = p % b, q2 = p / b;
        int start = axis == 0 ? q1 * b + q2 * b2 : axis == 1 ? q1 + q2 * b2 : q1 + q2 * b;
        for (int t = 0; t < b; t++) {
          line[t] = block[start + t * stride];
        }
        for (int u = 0; u < b; u++) {
          double s = 0;
          for (int t = 0; t < b; t++) {
            s += inverse ? m[t * b + u] * line[t] : m[u * b + t] * line[t];
          }
          tmp[u] = s;
        }
        for (int t = 0; t < b; t++) {
          block[start + t * stride] = tmp[t];
        }
      }
    }
  }
}
