package io.vdfc.codec.dwt;

/**
 * The stationary (undecimated, "a trous") 3-D wavelet transform of a dense box with an orthonormal wavelet, periodic
 * at the box edges: at level j the filters are dilated by {@code 2^(j-1)} and nothing is decimated, so each level
 * splits the approximation into 8 full-size bands (x, y, z low/high). Redundant (7 * levels + 1 coefficients per
 * value) but shift-invariant; the inverse is half the adjoint per axis, exact for orthonormal filters.
 *
 * <p>Coefficient layout: level 1 bands 1..7, level 2 bands 1..7, ..., then the last approximation; band {@code b} has
 * bit 0 set for high-pass along x, bit 1 along y, bit 2 along z. Each band is {@code nx*ny*nz} values, x fastest.
 */
final class Stationary {
  final int nx, ny, nz, n, levels;
  private final double[] h;
  private final double[] g;

  Stationary(int nx, int ny, int nz, int levels, Wavelet w) {
    this.nx = nx;
    this.ny = ny;
    this.nz = nz;
    this.n = nx * ny * nz;
    this.levels = levels;
    this.h = w.lowpass();
    if (h == null) {
      throw new IllegalArgumentException("the stationary transform takes an orthonormal wavelet (haar, db4), not " + w.label);
    }
    this.g = new double[h.length];
    for (int m = 0; m < h.length; m++) {
      g[m] = ((m & 1) == 0 ? 1 : -1) * h[h.length - 1 - m];
    }
  }

  long size() {
    return (7L * levels + 1) * n;
  }

  double[] forward(double[] x) {
    double[] out = new double[(int) size()];
    double[] approx = x.clone();
    for (int lev = 1; lev <= levels; lev++) {
      int s = 1 << (lev - 1);
      double[][] bands = {approx};
      for (int axis = 0; axis < 3; axis++) {
        double[][] next = new double[bands.length * 2][];
        for (int b = 0; b < bands.length; b++) {
          next[b] = new double[n];
          next[b + bands.length] = new double[n];
          split(bands[b], next[b], next[b + bands.length], axis, s);
        }
        bands = next;
      }
      for (int b = 1; b < 8; b++) {
        System.arraycopy(bands[b], 0, out, ((lev - 1) * 7 + b - 1) * n, n);
      }
      approx = bands[0];
    }
    System.arraycopy(approx, 0, out, 7 * levels * n, n);
    return out;
  }

  double[] inverse(double[] c) {
    double[] approx = new double[n];
    System.arraycopy(c, 7 * levels * n, approx, 0, n);
    for (int lev = levels; lev >= 1; lev--) {
      int s = 1 << (lev - 1);
      double[][] bands = new double[8][];
      bands[0] = approx;
      for (int b = 1; b < 8; b++) {
        bands[b] = new double[n];
        System.arraycopy(c, ((lev - 1) * 7 + b - 1) * n, bands[b], 0, n);
      }
      for (int axis = 2; axis >= 0; axis--) {
        int half = bands.length / 2;
        double[][] prev = new double[half][];
        for (int b = 0; b < half; b++) {
          prev[b] = new double[n];
          merge(bands[b], bands[b + half], prev[b], axis, s);
        }
        bands = prev;
      }
      approx = bands[0];
    }
    return approx;
  }

  private int len(int axis) {
    return axis == 0 ? nx : axis == 1 ? ny : nz;
  }

  private int stride(int axis) {
    return axis == 0 ? 1 : axis == 1 ? nx : nx * ny;
  }

  private int lineStart(int axis, int line) {
    return switch (axis) {
      case 0 -> line * nx;
      case 1 -> line % nx + (line / nx) * nx * ny;
      default -> line;
    };
  }

  private void split(double[] x, double[] lo, double[] hi, int axis, int s) {
    int len = len(axis), st = stride(axis), lines = len == 0 ? 0 : n / len;
    for (int line = 0; line < lines; line++) {
      int base = lineStart(axis, line);
      for (int i = 0; i < len; i++) {
        double a = 0, d = 0;
        for (int m = 0; m < h.length; m++) {
          double v = x[base + ((i + m * s) % len) * st];
          a += h[m] * v;
          d += g[m] * v;
        }
        lo[base + i * st] = a;
        hi[base + i * st] = d;
      }
    }
  }

  private void merge(double[] lo, double[] hi, double[] x, int axis, int s) {
    int len = len(axis), st = stride(axis), lines = len == 0 ? 0 : n / len;
    for (int line = 0; line < lines; line++) {
      int base = lineStart(axis, line);
      for (int i = 0; i < len; i++) {
        double a = lo[base + i * st], d = hi[base + i * st];
        for (int m = 0; m < h.length; m++) {
          x[base + ((i + m * s) % len) * st] += 0.5 * (h[m] * a + g[m] * d);
        }
      }
    }
  }
}
