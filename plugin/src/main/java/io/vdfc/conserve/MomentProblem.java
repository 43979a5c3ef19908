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

  private MomentProblem(int[] index, double[] w, double[] ux, double[] uy, double[] uz, double[] b) {
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
    float[] g = reconstruction.values();
    int count = 0;
    for (float v : g) {
      if (v > 0) {
        count++;
      }
    }
    VelocityMesh mesh = reconstruction.mesh();
    double vth = t.thermalSpeed();
    double scale = mesh.cellVolume() / t.n();
    int[] index = new int[count];
    double[] w = new double[count];
    double[] ux = new double[count];
    double[] uy = new double[count];
    double[] uz = new double[count];
    int per = mesh.cellsPerBlock();
    int[] ids = reconstruction.blockIds();
    int j = 0;
    for (int blk = 0; blk < ids.length; blk++) {
      int gid = ids[blk];
      for (int l = 0; l < per; l++) {
        int at = blk * per + l;
        if (g[at] > 0) {
          index[j] = at;
          w[j] = g[at] * scale;
          ux[j] = (mesh.vx(gid, l) - t.vx()) / vth;
          uy[j] = (mesh.vy(gid, l) - t.vy()) / vth;
          uz[j] = (mesh.vz(gid, l) - t.vz()) / vth;
          j++;
        }
      }
    }
    double norm = t.n() * vth * vth;
    double[] p = t.pressure();
    double[] b = {1, 0, 0, 0, p[0] / norm, p[1] / norm, p[2] / norm, p[3] / norm, p[4] / norm, p[5] / norm};
    return new MomentProblem(index, w, ux, uy, uz, b);
  }

  /** Fills {@code phi} with the basis at point {@code j}. */
  void basis(int j, double[] phi) {
    double x = ux[j], y = uy[j], z = uz[j];
    phi[0] = 1;
    phi[1] = x;
    phi[2] = y;
    phi[3] = z;
    phi[4] = x * x;
    phi[5] = y * y;
    phi[6] = z * z;
    phi[7] = x * y;
    phi[8] = x * z;
    phi[9] = y * z;
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
    Arrays.fill(a, 0);
    if (gram != null) {
      Arrays.fill(gram, 0);
    }
    double[] phi = new double[K];
    for (int j = 0; j < index.length; j++) {
      double c = h == null ? w[j] : w[j] * h[j];
      basis(j, phi);
      for (int k = 0; k < K; k++) {
        double ck = c * phi[k];
        a[k] += ck;
        if (gram != null) {
          for (int l = k; l < K; l++) {
            gram[k * K + l] += ck * phi[l];
          }
        }
      }
    }
    if (gram != null) {
      for (int k = 0; k < K; k++) {
        for (int l = 0; l < k; l++) {
          gram[k * K + l] = gram[l * K + k];
        }
      }
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
