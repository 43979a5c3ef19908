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

  /**
   * How far, as {@code n |V - origin|^2} over the trace of P, the bulk velocity may lie from the origin the second
   * moments were taken about: beyond it, forming P about V cancels more than 4 of double's 16 digits, and the moments
   * are taken again about V.
   */
  private static final double MAX_SHIFT_OVER_TRACE = 1e4;

  /**
   * Two passes: an estimate of the bulk velocity first (the block centres weighted by the block sums, within a block
   * width of V), then all moments about it (no cancellation for fast beams). Where V lies far from that estimate
   * compared with the thermal spread (a cell whose mass is almost all in one value, a spike), a third pass takes them
   * about V itself: P is then formed without cancellation, as metrics.md defines it, {@code sum f (v-V)(v-V)^T dV}.
   */
  public static Moments of(CellVdf cell) {
    var mesh = cell.mesh();
    int wid = mesh.wid();
    int per = mesh.cellsPerBlock();
    float[] f = cell.values();
    int[] ids = cell.blockIds();
    double n = 0, sx = 0, sy = 0, sz = 0;
    for (int b = 0; b < ids.length; b++) {
      // four running sums, not one: a single chain of 64 dependent additions per block was this pass's whole cost
      double a0 = 0, a1 = 0, a2 = 0, a3 = 0;
      int at = b * per, end = at + per;
      for (; at + 3 < end; at += 4) {
        a0 += f[at];
        a1 += f[at + 1];
        a2 += f[at + 2];
        a3 += f[at + 3];
      }
      for (; at < end; at++) {
        a0 += f[at];
      }
      double s = (a0 + a1) + (a2 + a3);
      int gid = ids[b];
      n += s;
      sx += s * mesh.blockI(gid);
      sy += s * mesh.blockJ(gid);
      sz += s * mesh.blockK(gid);
    }
    double ox = 0, oy = 0, oz = 0;
    if (n > 0 && Double.isFinite(sx + sy + sz)) {
      ox = mesh.vxMin() + (sx / n + 0.5) * wid * mesh.dvx();
      oy = mesh.vyMin() + (sy / n + 0.5) * wid * mesh.dvy();
      oz = mesh.vzMin() + (sz / n + 0.5) * wid * mesh.dvz();
    }
    Moments m = fromRaw(raw(cell, ox, oy, oz), ox, oy, oz);
    double shift = m.n * (sq(m.vx - ox) + sq(m.vy - oy) + sq(m.vz - oz));
    double trace = m.pressure[0] + m.pressure[1] + m.pressure[2];
    if (shift > 0 && !(shift <= MAX_SHIFT_OVER_TRACE * trace) && Double.isFinite(m.vx + m.vy + m.vz)) {
      m = fromRaw(raw(cell, m.vx, m.vy, m.vz), m.vx, m.vy, m.vz);
    }
    return m;
  }

  private static double sq(double x) {
    return x * x;
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
    double dvx = mesh.dvx(), dvy = mesh.dvy(), dvz = mesh.dvz();
    // separable: per row the sums of f u_x^a, per plane those times u_y^b, per block those times u_z^c
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0, s8 = 0, s9 = 0;
    double[] ux = new double[wid];
    for (int b = 0; b < ids.length; b++) {
      int gid = ids[b];
      double bx = mesh.vxMin() + (mesh.blockI(gid) * wid + 0.5) * dvx - ox;
      double by = mesh.vyMin() + (mesh.blockJ(gid) * wid + 0.5) * dvy - oy;
      double bz = mesh.vzMin() + (mesh.blockK(gid) * wid + 0.5) * dvz - oz;
      for (int kx = 0; kx < wid; kx++) {
        ux[kx] = bx + kx * dvx;
      }
      double x0 = bx, x1 = bx + dvx, x2 = bx + 2 * dvx, x3 = bx + 3 * dvx;
      int at = b * per;
      for (int kz = 0; kz < wid; kz++) {
        double uz = bz + kz * dvz;
        double q00 = 0, q01 = 0, q02 = 0, q10 = 0, q11 = 0, q20 = 0;
        for (int ky = 0; ky < wid; ky++) {
          double uy = by + ky * dvy;
          double p0 = 0, p1 = 0, p2 = 0;
          if (wid == 4) {
            // Vlasiator's blocks: the row unrolled, its sums in pairs, so that the four values go through the adder at
            // once (a loop is bound by one chain of dependent additions per row: 1.5x slower over the real bulk file)
            double v0 = f[at], v1 = f[at + 1], v2 = f[at + 2], v3 = f[at + 3];
            double w0 = v0 * x0, w1 = v1 * x1, w2 = v2 * x2, w3 = v3 * x3;
            p0 = (v0 + v1) + (v2 + v3);
            p1 = (w0 + w1) + (w2 + w3);
            p2 = (w0 * x0 + w1 * x1) + (w2 * x2 + w3 * x3);
            at += 4;
          } else {
            for (int kx = 0; kx < wid; kx++, at++) {
              double v = f[at];
              double vx = v * ux[kx];
              p0 += v;
              p1 += vx;
              p2 += vx * ux[kx];
            }
          }
          q00 += p0;
          q01 += p0 * uy;
          q02 += p0 * uy * uy;
          q10 += p1;
          q11 += p1 * uy;
          q20 += p2;
        }
        s0 += q00;
        s1 += q10;
        s2 += q01;
        s3 += q00 * uz;
        s4 += q20;
        s5 += q02;
        s6 += q00 * uz * uz;
        s7 += q11;
        s8 += q10 * uz;
        s9 += q01 * uz;
      }
    }
    double[] s = {s0, s1, s2, s3, s4, s5, s6, s7, s8, s9};
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
