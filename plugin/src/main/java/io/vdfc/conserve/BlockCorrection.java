package io.vdfc.conserve;

import io.vdfc.conserve.MomentConservation.Failure;
import io.vdfc.conserve.MomentConservation.Result;
import io.vdfc.metrics.Moments;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VelocityMesh;

/**
 * The linear forms ({@link CorrectionForm#MULTIPLICATIVE}, {@link CorrectionForm#CAPPED}) computed on the cell's own
 * block layout, in two passes over the values and one 10x10 solve: {@code f' = g + c (lambda . phi(u))} with the weight
 * {@code c = g}, or {@code c = min(g, tau)} for the capped form, and values at or below zero left at zero.
 *
 * <p>Within a block u_x depends only on the column, u_y on the row and u_z on the plane, so the 35 distinct entries of the
 * weighted Gram matrix (the monomials {@code u_x^a u_y^b u_z^c}, degree up to 4) are formed separably: per value the
 * five row sums of {@code c u_x^a}, per row those times {@code u_y^b}, per plane those times {@code u_z^c}. The second
 * pass forms the values, in float32, and in the same way their raw moments about the target V (units of n and v_th),
 * which give {@code err_n}, {@code err_V}, {@code err_P}. The arithmetic is fixed Java double arithmetic, so the
 * encoder sees bit for bit what the decoder computes.
 */
final class BlockCorrection {
  private BlockCorrection() {
    throw new AssertionError("no instances");
  }

  /**
   * Corrects {@code rec} (finite, at least {@link MomentConservation#MIN_VALUES} positive values) to {@code targets}
   * (n and v_th positive, a linear form).
   *
   * @param clamped the largest magnitude of the values below zero (they become zero)
   * @return the result, or null when only the float32 accuracy check failed (the caller then refines)
   */
  static Result apply(CellVdf rec, MomentTargets targets, double clamped) {
    CorrectionForm form = targets.form();
    Moments t = targets.moments();
    VelocityMesh mesh = rec.mesh();
    float[] g = rec.values();
    int[] ids = rec.blockIds();
    int wid = mesh.wid();
    int per = mesh.cellsPerBlock();
    double vth = t.thermalSpeed();
    double scale = mesh.cellVolume() / t.n();
    double cap = form == CorrectionForm.CAPPED ? targets.cap() : Double.POSITIVE_INFINITY;
    double tvx = t.vx(), tvy = t.vy(), tvz = t.vz();
    // Blocks with no positive value (half the blocks of the real restart at 1e-16) add only zeros to every sum and keep
    // their zeros in the second pass when their coordinates and the correction there are finite: skipped. Every
    // coordinate is within reach of 0 (twice the farthest mesh edge: margin for rounding).
    double reach = 2 * Math.max(Math.max(Math.max(Math.abs(mesh.vxMin() - tvx), Math.abs(mesh.vxMax() - tvx)),
        Math.max(Math.abs(mesh.vyMin() - tvy), Math.abs(mesh.vyMax() - tvy))),
        Math.max(Math.abs(mesh.vzMin() - tvz), Math.abs(mesh.vzMax() - tvz))) / vth;
    reach = Math.max(reach, 1);
    boolean[] empty = reach < 1e100 ? emptyBlocks(g, ids.length, per) : new boolean[ids.length];
    // u per block: wid x values, then wid y, then wid z (the expressions of MomentProblem); empty blocks' only if needed
    double[] coords = new double[ids.length * 3 * wid];
    for (int blk = 0; blk < ids.length; blk++) {
      if (!empty[blk]) {
        coordinates(mesh, ids[blk], tvx, tvy, tvz, vth, coords, blk * 3 * wid);
      }
    }
    double[] u = new double[35];
    double[] w = new double[10];
    weightedSums(g, coords, empty, ids.length, wid, per, cap, u, w);
    double[] gram = new double[MomentProblem.K * MomentProblem.K];
    gram[0] = u[0] * scale;
    gram[1] = u[1] * scale;
    gram[2] = u[2] * scale;
    gram[3] = u[3] * scale;
    gram[4] = u[4] * scale;
    gram[5] = u[7] * scale;
    gram[6] = u[9] * scale;
    gram[7] = u[5] * scale;
    gram[8] = u[6] * scale;
    gram[9] = u[8] * scale;
    gram[10] = u[1] * scale;
    gram[11] = u[4] * scale;
    gram[12] = u[5] * scale;
    gram[13] = u[6] * scale;
    gram[14] = u[10] * scale;
    gram[15] = u[13] * scale;
    gram[16] = u[15] * scale;
    gram[17] = u[11] * scale;
    gram[18] = u[12] * scale;
    gram[19] = u[14] * scale;
    gram[20] = u[2] * scale;
    gram[21] = u[5] * scale;
    gram[22] = u[7] * scale;
    gram[23] = u[8] * scale;
    gram[24] = u[11] * scale;
    gram[25] = u[16] * scale;
    gram[26] = u[18] * scale;
    gram[27] = u[13] * scale;
    gram[28] = u[14] * scale;
    gram[29] = u[17] * scale;
    gram[30] = u[3] * scale;
    gram[31] = u[6] * scale;
    gram[32] = u[8] * scale;
    gram[33] = u[9] * scale;
    gram[34] = u[12] * scale;
    gram[35] = u[17] * scale;
    gram[36] = u[19] * scale;
    gram[37] = u[14] * scale;
    gram[38] = u[15] * scale;
    gram[39] = u[18] * scale;
    gram[40] = u[4] * scale;
    gram[41] = u[10] * scale;
    gram[42] = u[11] * scale;
    gram[43] = u[12] * scale;
    gram[44] = u[20] * scale;
    gram[45] = u[23] * scale;
    gram[46] = u[25] * scale;
    gram[47] = u[21] * scale;
    gram[48] = u[22] * scale;
    gram[49] = u[24] * scale;
    gram[50] = u[7] * scale;
    gram[51] = u[13] * scale;
    gram[52] = u[16] * scale;
    gram[53] = u[17] * scale;
    gram[54] = u[23] * scale;
    gram[55] = u[30] * scale;
    gram[56] = u[32] * scale;
    gram[57] = u[26] * scale;
    gram[58] = u[27] * scale;
    gram[59] = u[31] * scale;
    gram[60] = u[9] * scale;
    gram[61] = u[15] * scale;
    gram[62] = u[18] * scale;
    gram[63] = u[19] * scale;
    gram[64] = u[25] * scale;
    gram[65] = u[32] * scale;
    gram[66] = u[34] * scale;
    gram[67] = u[28] * scale;
    gram[68] = u[29] * scale;
    gram[69] = u[33] * scale;
    gram[70] = u[5] * scale;
    gram[71] = u[11] * scale;
    gram[72] = u[13] * scale;
    gram[73] = u[14] * scale;
    gram[74] = u[21] * scale;
    gram[75] = u[26] * scale;
    gram[76] = u[28] * scale;
    gram[77] = u[23] * scale;
    gram[78] = u[24] * scale;
    gram[79] = u[27] * scale;
    gram[80] = u[6] * scale;
    gram[81] = u[12] * scale;
    gram[82] = u[14] * scale;
    gram[83] = u[15] * scale;
    gram[84] = u[22] * scale;
    gram[85] = u[27] * scale;
    gram[86] = u[29] * scale;
    gram[87] = u[24] * scale;
    gram[88] = u[25] * scale;
    gram[89] = u[28] * scale;
    gram[90] = u[8] * scale;
    gram[91] = u[14] * scale;
    gram[92] = u[17] * scale;
    gram[93] = u[18] * scale;
    gram[94] = u[24] * scale;
    gram[95] = u[31] * scale;
    gram[96] = u[33] * scale;
    gram[97] = u[27] * scale;
    gram[98] = u[28] * scale;
    gram[99] = u[32] * scale;
    double[] b = targetVector(t, vth);
    double[] s = new double[MomentProblem.K];
    s[0] = w[0] * scale;
    s[1] = w[1] * scale;
    s[2] = w[2] * scale;
    s[3] = w[3] * scale;
    s[4] = w[4] * scale;
    s[5] = w[7] * scale;
    s[6] = w[9] * scale;
    s[7] = w[5] * scale;
    s[8] = w[6] * scale;
    s[9] = w[8] * scale;
    GramSolver solver = new GramSolver();
    if (!solver.factor(gram)) {
      return Result.fail(Failure.SINGULAR, form, 0, where(rec) + "weighted Gram matrix of the positive values is singular"
          + " (Cholesky diagonal ratio " + solver.quality() + ")");
    }
    double[] r = new double[MomentProblem.K];
    for (int k = 0; k < r.length; k++) {
      r[k] = b[k] - s[k];
    }
    double[] lambda = new double[MomentProblem.K];
    solver.solve(r, lambda);
    double l0 = lambda[0], l1 = lambda[1], l2 = lambda[2], l3 = lambda[3], l4 = lambda[4];
    double l5 = lambda[5], l6 = lambda[6], l7 = lambda[7], l8 = lambda[8], l9 = lambda[9];

    float[] out = new float[g.length];
    double maxChange = clamped;
    java.util.Arrays.fill(w, 0);
    // an empty block's corrected values are 0 + 0 * (lambda . phi) = 0 when lambda . phi is finite: certain when
    // sum |lambda_k| * max(1, |u|)^2 is far from overflow (every basis function has degree <= 2)
    double lambdaNorm = 0;
    for (double l : lambda) {
      lambdaNorm += Math.abs(l);
    }
    boolean skipEmpty = lambdaNorm * reach * reach < 1e300;
    if (!skipEmpty) {
      for (int blk = 0; blk < ids.length; blk++) {
        if (empty[blk]) {
          coordinates(mesh, ids[blk], tvx, tvy, tvz, vth, coords, blk * 3 * wid);
        }
      }
    }
    for (int blk = 0, o = 0; blk < ids.length; blk++, o += 3 * wid) {
      if (skipEmpty && empty[blk]) {
        continue;
      }
      int at = blk * per;
      for (int kz = 0; kz < wid; kz++) {
        double z = coords[o + 2 * wid + kz];
        double zz = z * z;
        double q00 = 0, q01 = 0, q02 = 0, q10 = 0, q11 = 0, q20 = 0;
        for (int ky = 0; ky < wid; ky++) {
          double y = coords[o + wid + ky];
          double yy = y * y;
          // lambda . phi along the row: d0 + d1 x + l4 x^2
          double d0 = l0 + l2 * y + l3 * z + l5 * yy + l6 * zz + l9 * y * z;
          double d1 = l1 + l7 * y + l8 * z;
          double p0 = 0, p1 = 0, p2 = 0;
          if (wid == 4) {
            float g0 = g[at + 0];
            float g1 = g[at + 1];
            float g2 = g[at + 2];
            float g3 = g[at + 3];
            double v0 = Math.max(g0, 0f);
            double v1 = Math.max(g1, 0f);
            double v2 = Math.max(g2, 0f);
            double v3 = Math.max(g3, 0f);
            double x0 = coords[o + 0];
            double x1 = coords[o + 1];
            double x2 = coords[o + 2];
            double x3 = coords[o + 3];
            double fd0 = v0 + Math.min(v0, cap) * (d0 + (d1 + l4 * x0) * x0);
            double fd1 = v1 + Math.min(v1, cap) * (d0 + (d1 + l4 * x1) * x1);
            double fd2 = v2 + Math.min(v2, cap) * (d0 + (d1 + l4 * x2) * x2);
            double fd3 = v3 + Math.min(v3, cap) * (d0 + (d1 + l4 * x3) * x3);
            float f0 = (float) fd0;
            float f1 = (float) fd1;
            float f2 = (float) fd2;
            float f3 = (float) fd3;
            if (!(fd0 >= 0 && fd1 >= 0 && fd2 >= 0 && fd3 >= 0 && f0 <= Float.MAX_VALUE && f1 <= Float.MAX_VALUE
                && f2 <= Float.MAX_VALUE && f3 <= Float.MAX_VALUE)) {
              return failure(rec, form, at, Math.min(Math.min(fd0, fd1), Math.min(fd2, fd3)));
            }
            out[at + 0] = f0;
            out[at + 1] = f1;
            out[at + 2] = f2;
            out[at + 3] = f3;
            double change = Math.max(Math.max(Math.abs(f0 - v0), Math.abs(f1 - v1)), Math.max(Math.abs(f2 - v2), Math.abs(f3 - v3)));
            maxChange = change > maxChange ? change : maxChange;
            double f01 = f0 * x0;
            double f11 = f1 * x1;
            double f21 = f2 * x2;
            double f31 = f3 * x3;
            p0 = ((double) f0 + f1) + ((double) f2 + f3);
            p1 = (f01 + f11) + (f21 + f31);
            p2 = (f01 * x0 + f11 * x1) + (f21 * x2 + f31 * x3);
            at += 4;
          } else {
            for (int kx = 0; kx < wid; kx++, at++) {
              double x = coords[o + kx];
              float gv = g[at];
              double v = Math.max(gv, 0f);
              double c = Math.min(v, cap);
              double fd = v + c * (d0 + (d1 + l4 * x) * x);
              float f = (float) fd;
              out[at] = f;
              if (!(fd >= 0 && f <= Float.MAX_VALUE)) {
                return Result.fail(fd < 0 ? Failure.NEGATIVE : Failure.NON_FINITE, form, 1, where(rec) + "value " + at
                    + " would become " + fd + ": the correction is too large for the " + form + " form");
              }
              double change = Math.abs(f - v);
              maxChange = change > maxChange ? change : maxChange;
              double f1 = f * x;
              p0 += f;
              p1 += f1;
              p2 += f1 * x;
            }
          }
          q00 += p0;
          q01 += p0 * y;
          q02 += p0 * yy;
          q10 += p1;
          q11 += p1 * y;
          q20 += p2;
        }
        w[0] += q00;
        w[1] += q10;
        w[2] += q01;
        w[3] += q00 * z;
        w[4] += q20;
        w[5] += q11;
        w[6] += q10 * z;
        w[7] += q02;
        w[8] += q01 * z;
        w[9] += q00 * zz;
      }
    }
    s[0] = w[0] * scale;
    s[1] = w[1] * scale;
    s[2] = w[2] * scale;
    s[3] = w[3] * scale;
    s[4] = w[4] * scale;
    s[5] = w[7] * scale;
    s[6] = w[9] * scale;
    s[7] = w[5] * scale;
    s[8] = w[6] * scale;
    s[9] = w[8] * scale;
    double[] err = MomentConservation.normalisedResiduals(s, b);
    if (!(err[0] <= MomentConservation.ACCURACY && err[1] <= MomentConservation.ACCURACY
        && err[2] <= MomentConservation.ACCURACY)) {
      return null;
    }
    return new Result(out, null, null, form, 1, maxChange, err[0], err[1], err[2]);
  }

  /**
   * Pass one: the 35 distinct weighted Gram sums into {@code u} and the 10 raw moments of the values into {@code w}
   * (both zeroed by the caller), skipping the empty blocks. Its own method: C2 compiles the two passes better apart.
   */
  private static void weightedSums(float[] g, double[] coords, boolean[] empty, int blocks, int wid, int per,
      double cap, double[] u, double[] w) {
    for (int blk = 0, o = 0; blk < blocks; blk++, o += 3 * wid) {
      if (empty[blk]) {
        continue;
      }
      int at = blk * per;
      for (int kz = 0; kz < wid; kz++) {
        double z = coords[o + 2 * wid + kz];
        double zz = z * z, zzz = zz * z, zzzz = zzz * z;
        double t00 = 0, t01 = 0, t02 = 0, t03 = 0, t04 = 0, t10 = 0, t11 = 0, t12 = 0, t13 = 0, t20 = 0, t21 = 0, t22 = 0, t30 = 0, t31 = 0, t40 = 0;
        double q00 = 0, q01 = 0, q02 = 0, q10 = 0, q11 = 0, q20 = 0;
        for (int ky = 0; ky < wid; ky++) {
          double y = coords[o + wid + ky];
          double yy = y * y, yyy = yy * y, yyyy = yyy * y;
          double r0 = 0, r1 = 0, r2 = 0, r3 = 0, r4 = 0, p0 = 0, p1 = 0, p2 = 0;
          if (wid == 4) {
            // Vlasiator's blocks: the row unrolled, sums as pairs (the same in encoder and decoder: wid is the file's)
            float g0 = g[at + 0];
            float g1 = g[at + 1];
            float g2 = g[at + 2];
            float g3 = g[at + 3];
            double v0 = Math.max(g0, 0f);
            double v1 = Math.max(g1, 0f);
            double v2 = Math.max(g2, 0f);
            double v3 = Math.max(g3, 0f);
            double c0 = Math.min(v0, cap);
            double c1 = Math.min(v1, cap);
            double c2 = Math.min(v2, cap);
            double c3 = Math.min(v3, cap);
            double x0 = coords[o + 0];
            double x1 = coords[o + 1];
            double x2 = coords[o + 2];
            double x3 = coords[o + 3];
            double c01 = c0 * x0, c02 = c01 * x0, c03 = c02 * x0, v01 = v0 * x0;
            double c11 = c1 * x1, c12 = c11 * x1, c13 = c12 * x1, v11 = v1 * x1;
            double c21 = c2 * x2, c22 = c21 * x2, c23 = c22 * x2, v21 = v2 * x2;
            double c31 = c3 * x3, c32 = c31 * x3, c33 = c32 * x3, v31 = v3 * x3;
            r0 = (c0 + c1) + (c2 + c3);
            r1 = (c01 + c11) + (c21 + c31);
            r2 = (c02 + c12) + (c22 + c32);
            r3 = (c03 + c13) + (c23 + c33);
            r4 = (c03 * x0 + c13 * x1) + (c23 * x2 + c33 * x3);
            p0 = (v0 + v1) + (v2 + v3);
            p1 = (v01 + v11) + (v21 + v31);
            p2 = (v01 * x0 + v11 * x1) + (v21 * x2 + v31 * x3);
            at += 4;
          } else {
            for (int kx = 0; kx < wid; kx++, at++) {
              double x = coords[o + kx];
              float gv = g[at];
              double v = Math.max(gv, 0f);
              double c = Math.min(v, cap);
              double c1 = c * x, c2 = c1 * x, c3 = c2 * x;
              r0 += c;
              r1 += c1;
              r2 += c2;
              r3 += c3;
              r4 += c3 * x;
              double v1 = v * x;
              p0 += v;
              p1 += v1;
              p2 += v1 * x;
            }
          }
          t00 += r0;
          t01 += r0 * y;
          t02 += r0 * yy;
          t03 += r0 * yyy;
          t04 += r0 * yyyy;
          t10 += r1;
          t11 += r1 * y;
          t12 += r1 * yy;
          t13 += r1 * yyy;
          t20 += r2;
          t21 += r2 * y;
          t22 += r2 * yy;
          t30 += r3;
          t31 += r3 * y;
          t40 += r4;
          q00 += p0;
          q01 += p0 * y;
          q02 += p0 * yy;
          q10 += p1;
          q11 += p1 * y;
          q20 += p2;
        }
        u[0] += t00;
        u[1] += t10;
        u[2] += t01;
        u[3] += t00 * z;
        u[4] += t20;
        u[5] += t11;
        u[6] += t10 * z;
        u[7] += t02;
        u[8] += t01 * z;
        u[9] += t00 * zz;
        u[10] += t30;
        u[11] += t21;
        u[12] += t20 * z;
        u[13] += t12;
        u[14] += t11 * z;
        u[15] += t10 * zz;
        u[16] += t03;
        u[17] += t02 * z;
        u[18] += t01 * zz;
        u[19] += t00 * zzz;
        u[20] += t40;
        u[21] += t31;
        u[22] += t30 * z;
        u[23] += t22;
        u[24] += t21 * z;
        u[25] += t20 * zz;
        u[26] += t13;
        u[27] += t12 * z;
        u[28] += t11 * zz;
        u[29] += t10 * zzz;
        u[30] += t04;
        u[31] += t03 * z;
        u[32] += t02 * zz;
        u[33] += t01 * zzz;
        u[34] += t00 * zzzz;
        w[0] += q00;
        w[1] += q10;
        w[2] += q01;
        w[3] += q00 * z;
        w[4] += q20;
        w[5] += q11;
        w[6] += q10 * z;
        w[7] += q02;
        w[8] += q01 * z;
        w[9] += q00 * zz;
      }
    }
  }

  /** Blocks whose values are all at most zero. */
  private static boolean[] emptyBlocks(float[] g, int blocks, int per) {
    boolean[] empty = new boolean[blocks];
    for (int blk = 0; blk < blocks; blk++) {
      boolean none = true;
      for (int i = blk * per, end = i + per; i < end; i++) {
        if (g[i] > 0) {
          none = false;
          break;
        }
      }
      empty[blk] = none;
    }
    return empty;
  }

  /** The block's u: wid x values, then wid y, then wid z, as {@code (mesh.vx(gid, l) - tvx) / vth} and so on. */
  private static void coordinates(VelocityMesh mesh, int gid, double tvx, double tvy, double tvz, double vth,
      double[] coords, int o) {
    int wid = mesh.wid();
    int bi = mesh.blockI(gid) * wid;
    int bj = mesh.blockJ(gid) * wid;
    int bk = mesh.blockK(gid) * wid;
    double vxMin = mesh.vxMin(), vyMin = mesh.vyMin(), vzMin = mesh.vzMin();
    double dvx = mesh.dvx(), dvy = mesh.dvy(), dvz = mesh.dvz();
    for (int i = 0; i < wid; i++) {
      // the expressions of VelocityMesh.vx/vy/vz for local cells i, i*wid, i*wid*wid
      coords[o + i] = (vxMin + (bi + i + 0.5) * dvx - tvx) / vth;
      coords[o + wid + i] = (vyMin + (bj + i + 0.5) * dvy - tvy) / vth;
      coords[o + 2 * wid + i] = (vzMin + (bk + i + 0.5) * dvz - tvz) / vth;
    }
  }

  /** {@code b = (1, 0, 0, 0, P / (n v_th^2))}, as {@link MomentProblem}. */
  static double[] targetVector(Moments t, double vth) {
    double norm = t.n() * vth * vth;
    double[] p = t.pressure();
    return new double[] {1, 0, 0, 0, p[0] / norm, p[1] / norm, p[2] / norm, p[3] / norm, p[4] / norm, p[5] / norm};
  }

  /** A corrected value near {@code at} is {@code fd}: below zero, or not finite as a float. */
  private static Result failure(CellVdf rec, CorrectionForm form, int at, double fd) {
    return Result.fail(fd < 0 ? Failure.NEGATIVE : Failure.NON_FINITE, form, 1, where(rec) + "value " + at
        + " would become " + fd + ": the correction is too large for the " + form + " form");
  }

  private static String where(CellVdf cell) {
    return "cell " + cell.cellId() + " of " + cell.mesh().population() + ": ";
  }
}
