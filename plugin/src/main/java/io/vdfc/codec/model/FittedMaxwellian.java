package io.vdfc.codec.model;

import io.vdfc.codec.grid.DenseBox;

/**
 * The Maxwellian a model expansion is centred on: bulk velocity and per-axis thermal spread (a bi-Maxwellian aligned
 * with the mesh axes), from the non-negative values of a dense box, rounded to float32 as stored. Degenerate cells (no
 * positive value, zero spread) get the box centre and a spread of a quarter of the box.
 *
 * @param centre bulk velocity (vx, vy, vz)
 * @param sigma thermal spread per axis ({@code sqrt(P_ii / (m n))}), all {@code > 0}
 */
public record FittedMaxwellian(float[] centre, float[] sigma) {

  public static FittedMaxwellian of(DenseBox box, float[] dense) {
    double s0 = 0;
    double[] s1 = new double[3];
    for (int k = 0, p = 0; k < box.nz; k++) {
      for (int j = 0; j < box.ny; j++) {
        for (int i = 0; i < box.nx; i++, p++) {
          double f = dense[p];
          if (f > 0) {
            s0 += f;
            s1[0] += f * box.vx(i);
            s1[1] += f * box.vy(j);
            s1[2] += f * box.vz(k);
          }
        }
      }
    }
    double[] c = {
      (box.vx(0) + box.vx(box.nx - 1)) / 2, (box.vy(0) + box.vy(box.ny - 1)) / 2, (box.vz(0) + box.vz(box.nz - 1)) / 2
    };
    double[] fallback = {
      Math.max(box.nx * Math.abs(box.vx(1) - box.vx(0)) / 4, Double.MIN_NORMAL),
      Math.max(box.ny * Math.abs(box.vy(1) - box.vy(0)) / 4, Double.MIN_NORMAL),
      Math.max(box.nz * Math.abs(box.vz(1) - box.vz(0)) / 4, Double.MIN_NORMAL)
    };
    if (s0 > 0 && Double.isFinite(s0)) {
      for (int a = 0; a < 3; a++) {
        c[a] = s1[a] / s0;
      }
    }
    double[] s2 = new double[3];
    for (int k = 0, p = 0; k < box.nz; k++) {
      for (int j = 0; j < box.ny; j++) {
        for (int i = 0; i < box.nx; i++, p++) {
          double f = dense[p];
          if (f > 0) {
            s2[0] += f * sq(box.vx(i) - c[0]);
            s2[1] += f * sq(box.vy(j) - c[1]);
            s2[2] += f * sq(box.vz(k) - c[2]);
          }
        }
      }
    }
    float[] centre = new float[3];
    float[] sigma = new float[3];
    for (int a = 0; a < 3; a++) {
      double s = s0 > 0 ? Math.sqrt(s2[a] / s0) : 0;
      if (!(s > 0) || !Double.isFinite(s) || !Double.isFinite(c[a])) {
        s = fallback[a];
      }
      centre[a] = Double.isFinite(c[a]) ? (float) c[a] : 0f;
      sigma[a] = Math.max((float) s, Float.MIN_NORMAL);
    }
    return new FittedMaxwellian(centre, sigma);
  }

  private static double sq(double x) {
    return x * x;
  }
}
