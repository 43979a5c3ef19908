package io.vdfc.codec.dwt;

/**
 * One level of a 1-D discrete wavelet transform on an even-length line, in place: approximation coefficients to the
 * first half, details to the second, and back. Haar and Daubechies-4 (8 taps) are orthonormal with periodic extension;
 * CDF 9/7 (bior4.4, JPEG 2000's lossy wavelet) is four lifting steps with symmetric extension and near-orthonormal
 * scaling. Every inverse is exact up to rounding.
 */
enum Wavelet {
  HAAR("haar", 1),
  DB4("db4", 2),
  CDF97("cdf97", 3);

  /** Daubechies 4 (4 vanishing moments) decomposition low-pass, sum sqrt(2). */
  private static final double[] DB4_H = {
    -0.010597401784997278, 0.032883011666982945, 0.030841381835986965, -0.18703481171888114,
    -0.02798376941698385, 0.6308807679295904, 0.7148465705525415, 0.23037781330885523
  };
  private static final double A = -1.586134342059924, B = -0.052980118572961, C = 0.882911075530934,
      D = 0.443506852043971, K = 1.149604398860241;
  private static final double S = Math.sqrt(0.5);

  final String label;
  final int code;

  Wavelet(String label, int code) {
    this.label = label;
    this.code = code;
  }

  static Wavelet byLabel(String s) {
    for (Wavelet w : values()) {
      if (w.label.equals(s) || (w == CDF97 && s.equals("bior4.4"))) {
        return w;
      }
    }
    throw new IllegalArgumentException("codec option wavelet=" + s + ": expected haar, db4 or cdf97");
  }

  static Wavelet byCode(int c) {
    for (Wavelet w : values()) {
      if (w.code == c) {
        return w;
      }
    }
    return null;
  }

  /** The orthonormal low-pass taps (Haar, Daubechies-4), or null for the biorthogonal CDF 9/7. */
  double[] lowpass() {
    return switch (this) {
      case HAAR -> new double[] {S, S};
      case DB4 -> DB4_H.clone();
      default -> null;
    };
  }

  /** Forward ({@code inverse=false}) or inverse transform of {@code x[0..n)}; {@code tmp} holds at least n. */
  void apply(double[] x, int n, double[] tmp, boolean inverse) {
    switch (this) {
      case HAAR -> haar(x, n, tmp, inverse);
      case DB4 -> orthogonal(DB4_H, x, n, tmp, inverse);
      default -> cdf97(x, n, tmp, inverse);
    }
  }

  private static void haar(double[] x, int n, double[] t, boolean inverse) {
    int h = n / 2;
    if (!inverse) {
      for (int k = 0; k < h; k++) {
        t[k] = (x[2 * k] + x[2 * k + 1]) * S;
        t[h + k] = (x[2 * k] - x[2 * k + 1]) * S;
      }
    } else {
      for (int k = 0; k < h; k++) {
        t[2 * k] = (x[k] + x[h + k]) * S;
        t[2 * k + 1] = (x[k] - x[h + k]) * S;
      }
    }
    System.arraycopy(t, 0, x, 0, n);
  }

  private static void orthogonal(double[] h, double[] x, int n, double[] t, boolean inverse) {
    int len = h.length, half = n / 2;
    if (!inverse) {
      for (int k = 0; k < half; k++) {
        double a = 0, d = 0;
        for (int m = 0; m < len; m++) {
          double v = x[(2 * k + m) % n];
          a += h[m] * v;
          d += ((m & 1) == 0 ? 1 : -1) * h[len - 1 - m] * v;
        }
        t[k] = a;
        t[half + k] = d;
      }
    } else {
      java.util.Arrays.fill(t, 0, n, 0);
      for (int k = 0; k < half; k++) {
        double a = x[k], d = x[half + k];
        for (int m = 0; m < len; m++) {
          t[(2 * k + m) % n] += h[m] * a + ((m & 1) == 0 ? 1 : -1) * h[len - 1 - m] * d;
        }
      }
    }
    System.arraycopy(t, 0, x, 0, n);
  }

  private static void cdf97(double[] x, int n, double[] t, boolean inverse) {
    int half = n / 2;
    if (!inverse) {
      lift(x, n, 1, A);
      lift(x, n, 0, B);
      lift(x, n, 1, C);
      lift(x, n, 0, D);
      for (int k = 0; k < half; k++) {
        t[k] = x[2 * k] * K;
        t[half + k] = x[2 * k + 1] / K;
      }
      System.arraycopy(t, 0, x, 0, n);
    } else {
      for (int k = 0; k < half; k++) {
        t[2 * k] = x[k] / K;
        t[2 * k + 1] = x[half + k] * K;
      }
      System.arraycopy(t, 0, x, 0, n);
      lift(x, n, 0, -D);
      lift(x, n, 1, -C);
      lift(x, n, 0, -B);
      lift(x, n, 1, -A);
    }
  }

  /** {@code x[i] += c (x[i-1] + x[i+1])} for i of the given parity, mirrored at both ends. */
  private static void lift(double[] x, int n, int parity, double c) {
    if (n < 2) {
      return;
    }
    for (int i = parity; i < n; i += 2) {
      double left = i > 0 ? x[i - 1] : x[1];
      double right = i + 1 < n ? x[i + 1] : x[n - 2];
      x[i] += c * (left + right);
    }
  }
}
