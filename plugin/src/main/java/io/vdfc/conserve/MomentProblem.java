package io.vdfc.conserve;

import io.vdfc.metrics.Moments;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VelocityMesh;
import java.util.Arrays;

/**
 * One cell's constraint system in normalised coordinates {@code u = (v - V) / v_th} (V, v_th of the targets), with the
 * weights {@code w_j = g_j dV / n} of the positive reconstruction values. In these units the targets are
 * {@code b = (1, 0, 0, 0, Pi_xx, Pi_yy, Pi_zz, Pi_xy, Pi_xz, Pi_yz)} with {@code Pi = P / (n v_th^2)} (trace 3), so every
 * entry of the 10x10 Gram matrix is of order one.
 *
 * <p>Basis order {@code phi = 1, ux, uy, uz, ux^2, uy^2, uz^2, ux uy, ux uz, uy uz}, as {@link Moments#raw}.
 */
final class MomentProblem {
  static final int K = Moments.RAW_COUNT;

  /** Positions in the cell's value array of the positive values, ascending. */
  final int[] index;
  final double[] w;
  final double[] ux;
  final double[] uy;
  final double[] uz;
  final double[] b;
  /** {@code dV / n} of the targets: {@code w_j = g_j scale}. */
  final double scale;

  private MomentProblem(int[] index, double[] w, double[] ux, double[] uy, double[] uz, double[] b, double scale) {
    this.scale = scale;
    this.index = index;
    this.w = w;
    this.ux = ux;
    this.uy = uy;
    this.uz = uz;
    this.b = b;
  }

  /** Number of values the correction can move. */
  int size() {
    return index.length;
  }

  /**
   * The system for {@code reconstruction} (values below zero taken as zero) and the targets {@code t}, which must have
   * {@code n > 0} and a positive trace of P.
   */
  static MomentProblem build(CellVdf reconstruction, Moments t) {
    int count = 0;
    for (float v : reconstruction.values()) {
      if (v > 0) {
        count++;
      }
    }
    return build(reconstruction, t, count);
  }

  /**
   * As {@link #build(CellVdf, Moments)} when the caller has already counted the positive values ({@code count}).
   * The coordinates are those of {@link VelocityMesh#vx} and friends, taken once per block row instead of per value.
   */
  static MomentProblem build(CellVdf reconstruction, Moments t, int count) {
    float[] g = reconstruction.values();
    VelocityMesh mesh = reconstruction.mesh();
    double vth = t.thermalSpeed();
    double scale = mesh.cellVolume() / t.n();
    int[] index = new int[count];
    double[] w = new double[count];
    double[] ux = new double[count];
    double[] uy = new double[count];
    double[] uz = new double[count];
    int wid = mesh.wid();
    int per = mesh.cellsPerBlock();
    double[] cx = new double[wid];
    double[] cy = new double[wid];
    double[] cz = new double[wid];
    int[] ids = reconstruction.blockIds();
    double tvx = t.vx(), tvy = t.vy(), tvz = t.vz();
    int j = 0;
    for (int blk = 0; blk < ids.length; blk++) {
      int gid = ids[blk];
      int base = blk * per;
      for (int i = 0; i < wid; i++) {
        // l = i, i * wid, i * wid * wid select column i along x, y, z in VelocityMesh's cell order
        cx[i] = (mesh.vx(gid, i) - tvx) / vth;
        cy[i] = (mesh.vy(gid, i * wid) - tvy) / vth;
        cz[i] = (mesh.vz(gid, i * wid * wid) - tvz) / vth;
      }
      int at = base;
      for (int kz = 0; kz < wid; kz++) {
        double z = cz[kz];
        for (int ky = 0; ky < wid; ky++) {
          double y = cy[ky];
          for (int kx = 0; kx < wid; kx++, at++) {
            float v = g[at];
            if (v > 0) {
              index[j] = at;
              w[j] = v * scale;
              ux[j] = cx[kx];
              uy[j] = y;
              uz[j] = z;
              j++;
            }
          }
        }
      }
    }
    double norm = t.n() * vth * vth;
    double[] p = t.pressure();
    double[] b = {1, 0, 0, 0, p[0] / norm, p[1] / norm, p[2] / norm, p[3] / norm, p[4] / norm, p[5] / norm};
    return new MomentProblem(index, w, ux, uy, uz, b, scale);
  }

  /** {@code lambda . phi(u_j)}. */
  double dot(int j, double[] lambda) {
    double x = ux[j], y = uy[j], z = uz[j];
    return lambda[0] + lambda[1] * x + lambda[2] * y + lambda[3] * z
        + lambda[4] * x * x + lambda[5] * y * y + lambda[6] * z * z
        + lambda[7] * x * y + lambda[8] * x * z + lambda[9] * y * z;
  }

  /**
   * The moments {@code a_k = sum_j w_j h_j phi_k(u_j)} and, if {@code gram} is not null, the weighted Gram matrix
   * {@code gram[k*K + l] = sum_j w_j h_j phi_k phi_l} (row-major, full).
   *
   * @param h per-point factors, null for all ones. Not modified.
   * @param a output, length K. Modified.
   * @param gram output, length K*K, or null. Modified.
   */
  void accumulate(double[] h, double[] a, double[] gram) {
    if (gram != null) {
      gramAndMoments(h, a, gram);
      if (h != null) {
        moments(h, a);
      }
    } else {
      moments(h, a);
    }
  }

  /**
   * The moments {@code a_k = sum_j w_j h_j phi_k(u_j)} in one pass with the sums in registers.
   *
   * @param h per-point factors, null for all ones. Not modified.
   * @param a output, length K. Modified.
   */
  void moments(double[] h, double[] a) {
    double s1 = 0, sx = 0, sy = 0, sz = 0, sxx = 0, syy = 0, szz = 0, sxy = 0, sxz = 0, syz = 0;
    for (int j = 0; j < w.length; j++) {
      double c = h == null ? w[j] : w[j] * h[j];
      double x = ux[j], y = uy[j], z = uz[j];
      double cx = c * x, cy = c * y, cz = c * z;
      s1 += c;
      sx += cx;
      sy += cy;
      sz += cz;
      sxx += cx * x;
      syy += cy * y;
      szz += cz * z;
      sxy += cx * y;
      sxz += cx * z;
      syz += cy * z;
    }
    a[0] = s1;
    a[1] = sx;
    a[2] = sy;
    a[3] = sz;
    a[4] = sxx;
    a[5] = syy;
    a[6] = szz;
    a[7] = sxy;
    a[8] = sxz;
    a[9] = syz;
  }

  /**
   * One pass for the Gram matrix {@code gram[k*K + l] = sum_j w_j s_j phi_k phi_l} and the moments
   * {@code a_k = sum_j w_j phi_k} of the unscaled weights. The Gram matrix has only 35 distinct entries, the weighted
   * monomials {@code x^a y^b z^c} of degree up to 4, which are summed once each.
   *
   * @param share per-point weight shares {@code s_j}, null for all ones. Not modified.
   * @param a output, length K. Modified.
   * @param gram output, length K*K. Modified.
   */
  void gramAndMoments(double[] share, double[] a, double[] gram) {
    double m1 = 0, mx = 0, my = 0, mz = 0, mxx = 0, mxy = 0, mxz = 0, myy = 0, myz = 0, mzz = 0, mxxx = 0, mxxy = 0;
    double mxxz = 0, mxyy = 0, mxyz = 0, mxzz = 0, myyy = 0, myyz = 0, myzz = 0, mzzz = 0, mxxxx = 0, mxxxy = 0, mxxxz = 0, mxxyy = 0;
    double mxxyz = 0, mxxzz = 0, mxyyy = 0, mxyyz = 0, mxyzz = 0, mxzzz = 0, myyyy = 0, myyyz = 0, myyzz = 0, myzzz = 0, mzzzz = 0;
    double a1 = 0, ax = 0, ay = 0, az = 0, axx = 0, ayy = 0, azz = 0, axy = 0, axz = 0, ayz = 0;
    for (int j = 0; j < w.length; j++) {
      double x = ux[j], y = uy[j], z = uz[j];
      double wj = w[j];
      double wx = wj * x, wy = wj * y, wz = wj * z;
      a1 += wj;
      ax += wx;
      ay += wy;
      az += wz;
      axx += wx * x;
      ayy += wy * y;
      azz += wz * z;
      axy += wx * y;
      axz += wx * z;
      ayz += wy * z;
      double c = share == null ? wj : wj * share[j];
      double cx = c * x;
      double cy = c * y;
      double cz = c * z;
      double cxx = cx * x;
      double cxy = cx * y;
      double cxz = cx * z;
      double cyy = cy * y;
      double cyz = cy * z;
      double czz = cz * z;
      double cxxx = cxx * x;
      double cxxy = cxx * y;
      double cxxz = cxx * z;
      double cxyy = cxy * y;
      double cxyz = cxy * z;
      double cxzz = cxz * z;
      double cyyy = cyy * y;
      double cyyz = cyy * z;
      double cyzz = cyz * z;
      double czzz = czz * z;
      double cxxxx = cxxx * x;
      double cxxxy = cxxx * y;
      double cxxxz = cxxx * z;
      double cxxyy = cxxy * y;
      double cxxyz = cxxy * z;
      double cxxzz = cxxz * z;
      double cxyyy = cxyy * y;
      double cxyyz = cxyy * z;
      double cxyzz = cxyz * z;
      double cxzzz = cxzz * z;
      double cyyyy = cyyy * y;
      double cyyyz = cyyy * z;
      double cyyzz = cyyz * z;
      double cyzzz = cyzz * z;
      double czzzz = czzz * z;
      m1 += c;
      mx += cx;
      my += cy;
      mz += cz;
      mxx += cxx;
      mxy += cxy;
      mxz += cxz;
      myy += cyy;
      myz += cyz;
      mzz += czz;
      mxxx += cxxx;
      mxxy += cxxy;
      mxxz += cxxz;
      mxyy += cxyy;
      mxyz += cxyz;
      mxzz += cxzz;
      myyy += cyyy;
      myyz += cyyz;
      myzz += cyzz;
      mzzz += czzz;
      mxxxx += cxxxx;
      mxxxy += cxxxy;
      mxxxz += cxxxz;
      mxxyy += cxxyy;
      mxxyz += cxxyz;
      mxxzz += cxxzz;
      mxyyy += cxyyy;
      mxyyz += cxyyz;
      mxyzz += cxyzz;
      mxzzz += cxzzz;
      myyyy += cyyyy;
      myyyz += cyyyz;
      myyzz += cyyzz;
      myzzz += cyzzz;
      mzzzz += czzzz;
    }
    a[0] = a1;
    a[1] = ax;
    a[2] = ay;
    a[3] = az;
    a[4] = axx;
    a[5] = ayy;
    a[6] = azz;
    a[7] = axy;
    a[8] = axz;
    a[9] = ayz;
    gram[0] = m1;
    gram[1] = mx;
    gram[2] = my;
    gram[3] = mz;
    gram[4] = mxx;
    gram[5] = myy;
    gram[6] = mzz;
    gram[7] = mxy;
    gram[8] = mxz;
    gram[9] = myz;
    gram[10] = mx;
    gram[11] = mxx;
    gram[12] = mxy;
    gram[13] = mxz;
    gram[14] = mxxx;
    gram[15] = mxyy;
    gram[16] = mxzz;
    gram[17] = mxxy;
    gram[18] = mxxz;
    gram[19] = mxyz;
    gram[20] = my;
    gram[21] = mxy;
    gram[22] = myy;
    gram[23] = myz;
    gram[24] = mxxy;
    gram[25] = myyy;
    gram[26] = myzz;
    gram[27] = mxyy;
    gram[28] = mxyz;
    gram[29] = myyz;
    gram[30] = mz;
    gram[31] = mxz;
    gram[32] = myz;
    gram[33] = mzz;
    gram[34] = mxxz;
    gram[35] = myyz;
    gram[36] = mzzz;
    gram[37] = mxyz;
    gram[38] = mxzz;
    gram[39] = myzz;
    gram[40] = mxx;
    gram[41] = mxxx;
    gram[42] = mxxy;
    gram[43] = mxxz;
    gram[44] = mxxxx;
    gram[45] = mxxyy;
    gram[46] = mxxzz;
    gram[47] = mxxxy;
    gram[48] = mxxxz;
    gram[49] = mxxyz;
    gram[50] = myy;
    gram[51] = mxyy;
    gram[52] = myyy;
    gram[53] = myyz;
    gram[54] = mxxyy;
    gram[55] = myyyy;
    gram[56] = myyzz;
    gram[57] = mxyyy;
    gram[58] = mxyyz;
    gram[59] = myyyz;
    gram[60] = mzz;
    gram[61] = mxzz;
    gram[62] = myzz;
    gram[63] = mzzz;
    gram[64] = mxxzz;
    gram[65] = myyzz;
    gram[66] = mzzzz;
    gram[67] = mxyzz;
    gram[68] = mxzzz;
    gram[69] = myzzz;
    gram[70] = mxy;
    gram[71] = mxxy;
    gram[72] = mxyy;
    gram[73] = mxyz;
    gram[74] = mxxxy;
    gram[75] = mxyyy;
    gram[76] = mxyzz;
    gram[77] = mxxyy;
    gram[78] = mxxyz;
    gram[79] = mxyyz;
    gram[80] = mxz;
    gram[81] = mxxz;
    gram[82] = mxyz;
    gram[83] = mxzz;
    gram[84] = mxxxz;
    gram[85] = mxyyz;
    gram[86] = mxzzz;
    gram[87] = mxxyz;
    gram[88] = mxxzz;
    gram[89] = mxyzz;
    gram[90] = myz;
    gram[91] = mxyz;
    gram[92] = myyz;
    gram[93] = myzz;
    gram[94] = mxxyz;
    gram[95] = myyyz;
    gram[96] = myzzz;
    gram[97] = mxyyz;
    gram[98] = mxyzz;
    gram[99] = myyzz;
  }

  /**
   * The factors {@code h_j = 1 + s_j lambda . phi(u_j)} and, in the same pass, the moments {@code a_k = sum_j w_j h_j
   * phi_k(u_j)} (as {@link #moments}).
   *
   * @param share per-point shares {@code s_j}, null for all ones. Not modified.
   * @param h output, length {@link #size()}. Modified.
   * @param a output, length K. Modified.
   */
  void factorsAndMoments(double[] lambda, double[] share, double[] h, double[] a) {
    double l0 = lambda[0], l1 = lambda[1], l2 = lambda[2], l3 = lambda[3], l4 = lambda[4];
    double l5 = lambda[5], l6 = lambda[6], l7 = lambda[7], l8 = lambda[8], l9 = lambda[9];
    double s1 = 0, sx = 0, sy = 0, sz = 0, sxx = 0, syy = 0, szz = 0, sxy = 0, sxz = 0, syz = 0;
    for (int j = 0; j < w.length; j++) {
      double x = ux[j], y = uy[j], z = uz[j];
      double d = l0 + l1 * x + l2 * y + l3 * z + l4 * x * x + l5 * y * y + l6 * z * z + l7 * x * y + l8 * x * z + l9 * y * z;
      double hj = 1 + (share == null ? 1 : share[j]) * d;
      h[j] = hj;
      double c = w[j] * hj;
      double cx = c * x, cy = c * y, cz = c * z;
      s1 += c;
      sx += cx;
      sy += cy;
      sz += cz;
      sxx += cx * x;
      syy += cy * y;
      szz += cz * z;
      sxy += cx * y;
      sxz += cx * z;
      syz += cy * z;
    }
    a[0] = s1;
    a[1] = sx;
    a[2] = sy;
    a[3] = sz;
    a[4] = sxx;
    a[5] = syy;
    a[6] = szz;
    a[7] = sxy;
    a[8] = sxz;
    a[9] = syz;
  }

  /** The factors {@code h_j = 1 + s_j lambda . phi(u_j)} alone (see {@link #factorsAndMoments}). */
  void factors(double[] lambda, double[] share, double[] h) {
    double l0 = lambda[0], l1 = lambda[1], l2 = lambda[2], l3 = lambda[3], l4 = lambda[4];
    double l5 = lambda[5], l6 = lambda[6], l7 = lambda[7], l8 = lambda[8], l9 = lambda[9];
    for (int j = 0; j < h.length; j++) {
      double x = ux[j], y = uy[j], z = uz[j];
      double d = l0 + l1 * x + l2 * y + l3 * z + l4 * x * x + l5 * y * y + l6 * z * z + l7 * x * y + l8 * x * z + l9 * y * z;
      h[j] = 1 + (share == null ? 1 : share[j]) * d;
    }
  }

  /** Largest {@code |a_k - b_k|}. */
  double residual(double[] a) {
    double r = 0;
    for (int k = 0; k < K; k++) {
      r = Math.max(r, Math.abs(a[k] - b[k]));
    }
    return r;
  }
}
