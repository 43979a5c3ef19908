package io.vdfc.metrics;

import io.vdfc.vdf.CellVdf;

/**
 * Velocity moments of one cell's VDF, as defined in {@code shared/notes/metrics.md}, computed in double.
 *
 * <p>{@code n = sum f dV}, {@code V = sum f v dV / n}, {@code P = m sum f (v-V)(v-V)^T dV}. The pressure is stored
 * for unit mass ({@code m = 1}); relative errors do not depend on m. Tensor order: xx, yy, zz, xy, xz, yz.
 */
public record Moments(double n, double vx, double vy, double vz, double[] pressure) {

  /** Number of raw moments ({@code 1, vx, vy, vz, vx^2, vy^2, vz^2, vxvy, vxvz, vyvz}). */
  public static final int RAW_COUNT = 10;

  /** Two passes: the bulk velocity first, then the second moments about it (no cancellation for fast beams). */
  public static Moments of(CellVdf cell) {
    Moments first = fromRaw(raw(cell, 0, 0, 0), 0, 0, 0);
    return fromRaw(raw(cell, first.vx, first.vy, first.vz), first.vx, first.vy, first.vz);
  }

  /**
   * The ten raw moments {@code sum f phi_k(v) dV} with {@code phi = 1, u, u_i u_j} for {@code u = v - origin}; a shifted
   * origin (the bulk velocity) keeps the second moments well conditioned.
   */
  public static double[] raw(CellVdf cell, double ox, double oy, double oz) {
    var mesh = cell.mesh();
    int wid = mesh.wid();
    int per = mesh.cellsPerBlock();
    float[] f = cell.values();
    int[] ids = cell.blockIds();
    double[] s = new double[RAW_COUNT];
    for (int b = 0; b < ids.length; b++) {
      int gid = ids[b];
      double bx = mesh.vxMin() + (mesh.blockI(gid) * wid + 0.5) * mesh.dvx() - ox;
      double by = mesh.vyMin() + (mesh.blockJ(gid) * wid + 0.5) * mesh.dvy() - oy;
      double bz = mesh.vzMin() + (mesh.blockK(gid) * wid + 0.5) * mesh.dvz() - oz;
      int base = b * per;
      for (int l = 0; l < per; l++) {
        double v = f[base + l];
        if (v == 0) {
          continue;
        }
        double ux = bx + (l % wid) * mesh.dvx();
        double uy = by + ((l / wid) % wid) * mesh.dvy();
        double uz = bz + (l / (wid * wid)) * mesh.dvz();
        s[0] += v;
        s[1] += v * ux;
        s[2] += v * uy;
        s[3] += v * uz;
        s[4] += v * ux * ux;
        s[5] += v * uy * uy;
        s[6] += v * uz * uz;
        s[7] += v * ux * uy;
        s[8] += v * ux * uz;
        s[9] += v * uy * uz;
      }
    }
    double dV = mesh.cellVolume();
    for (int k = 0; k < RAW_COUNT; k++) {
      s[k] *= dV;
    }
    return s;
  }

  /** Moments from raw sums taken about the origin {@code (ox, oy, oz)}. */
  public static Moments fromRaw(double[] s, double ox, double oy, double oz) {
    double n = s[0];
    if (n == 0) {
      return new Moments(0, 0, 0, 0, new double[6]);
    }
    double ux = s[1] / n;
    double uy = s[2] / n;
    double uz = s[3] / n;
    double[] p = {
      s[4] - n * ux * ux, s[5] - n * uy * uy, s[6] - n * uz * uz,
      s[7] - n * ux * uy, s[8] - n * ux * uz, s[9] - n * uy * uz
    };
    return new Moments(n, ox + ux, oy + uy, oz + uz, p);
  }

  /** Thermal speed {@code sqrt(trace(P) / (3 m n))} with m = 1. */
  public double thermalSpeed() {
    return n > 0 ? Math.sqrt(Math.max(0, pressure[0] + pressure[1] + pressure[2]) / (3 * n)) : 0;
  }

  /** Frobenius norm of the symmetric pressure tensor. */
  public double pressureNorm() {
    double d = pressure[0] * pressure[0] + pressure[1] * pressure[1] + pressure[2] * pressure[2];
    double o = pressure[3] * pressure[3] + pressure[4] * pressure[4] + pressure[5] * pressure[5];
    return Math.sqrt(d + 2 * o);
  }
}
