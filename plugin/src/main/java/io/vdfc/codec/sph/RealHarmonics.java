package io.vdfc.codec.sph;

/**
 * Real spherical harmonics up to degree L at a direction, from fully normalised associated Legendre functions by the
 * standard three-term recurrences; index {@code l^2 + l + m}, {@code -l <= m <= l} (cos m phi for m > 0, sin |m| phi
 * for m < 0). A zero direction counts as the pole.
 */
final class RealHarmonics {
  private static final double SQRT2 = Math.sqrt(2);

  private RealHarmonics() {
    throw new AssertionError("no instances");
  }

  static int count(int l) {
    return (l + 1) * (l + 1);
  }

  /** Fills {@code out[0 .. (L+1)^2)} for direction (x, y, z) (any length). */
  /** Recurrence factors up to degree {@code lmax}, computed once per fit or decode. */
  static final class Factors {
    final int lmax;
    final double[] diag; // [m]: -sqrt((2m+1)/(2m))
    final double[] sub; // [m]: sqrt(2m+3)
    final double[] a; // [l*(lmax+1)+m]
    final double[] b;

    Factors(int lmax) {
      this.lmax = lmax;
      int w = lmax + 1;
      diag = new double[w];
      sub = new double[w];
      a = new double[w * w];
      b = new double[w * w];
      for (int m = 0; m <= lmax; m++) {
        diag[m] = m == 0 ? 0 : -Math.sqrt((2.0 * m + 1) / (2.0 * m));
        sub[m] = Math.sqrt(2.0 * m + 3);
        for (int l = m + 2; l <= lmax; l++) {
          a[l * w + m] = Math.sqrt((4.0 * l * l - 1) / ((double) l * l - (double) m * m));
          b[l * w + m] = Math.sqrt(((l - 1.0) * (l - 1) - (double) m * m) / (4.0 * (l - 1) * (l - 1) - 1));
        }
      }
    }
  }

  static void eval(int lmax, double x, double y, double z, double[] out, double[] work) {
    eval(new Factors(lmax), lmax, x, y, z, out, work);
  }

  /** As {@link #eval(int, double, double, double, double[], double[])} with precomputed factors ({@code lmax <= f.lmax}). */
  static void eval(Factors f, int lmax, double x, double y, double z, double[] out, double[] work) {
    double r = Math.sqrt(x * x + y * y + z * z);
    double ct = r > 0 ? z / r : 1;
    double rho = Math.sqrt(x * x + y * y);
    double st = r > 0 ? rho / r : 0;
    double c1 = rho > 0 ? x / rho : 1;
    double s1 = rho > 0 ? y / rho : 0;
    // work[l * (lmax+1) + m] = normalised P_l^m(ct)
    int w = f.lmax + 1;
    double pmm = 1 / Math.sqrt(4 * Math.PI);
    double cm = 1;
    double sm = 0;
    for (int m = 0; m <= lmax; m++) {
      if (m > 0) {
        pmm = f.diag[m] * st * pmm;
        double c = cm * c1 - sm * s1;
        sm = sm * c1 + cm * s1;
        cm = c;
      }
      work[m * w + m] = pmm;
      if (m < lmax) {
        work[(m + 1) * w + m] = f.sub[m] * ct * pmm;
      }
      for (int l = m + 2; l <= lmax; l++) {
        work[l * w + m] = f.a[l * w + m] * (ct * work[(l - 1) * w + m] - f.b[l * w + m] * work[(l - 2) * w + m]);
      }
      for (int l = m; l <= lmax; l++) {
        double p = work[l * w + m];
        if (m == 0) {
          out[l * l + l] = p;
        } else {
          out[l * l + l + m] = SQRT2 * p * cm;
          out[l * l + l - m] = SQRT2 * p * sm;
        }
      }
    }
  }
}
