package io.vdfc.codec.octree;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * Legendre polynomials {@code P_0..P_p} at the cell centres of a leaf edge of {@code s} cells ({@code t = (2m+1)/s - 1}),
 * and their least-squares pseudo-inverse (EJML), so a leaf's fit is three one-axis contractions.
 */
final class LeafBasis {
  final int s;
  final int p;
  /** {@code [a][m]}: P_a(t_m). */
  final double[][] value;
  /** {@code [a][m]}: row a of (B^T B)^-1 B^T. */
  final double[][] pinv;

  LeafBasis(int s, int p) {
    this.s = s;
    this.p = p;
    value = new double[p + 1][s];
    for (int m = 0; m < s; m++) {
      double t = (2.0 * m + 1) / s - 1;
      for (int a = 0; a <= p; a++) {
        value[a][m] = a == 0 ? 1 : a == 1 ? t : 1.5 * t * t - 0.5;
      }
    }
    DMatrixRMaj b = new DMatrixRMaj(s, p + 1);
    for (int m = 0; m < s; m++) {
      for (int a = 0; a <= p; a++) {
        b.set(m, a, value[a][m]);
      }
    }
    DMatrixRMaj pi = new DMatrixRMaj(p + 1, s);
    CommonOps_DDRM.pinv(b, pi);
    pinv = new double[p + 1][s];
    for (int a = 0; a <= p; a++) {
      for (int m = 0; m < s; m++) {
        pinv[a][m] = pi.get(a, m);
      }
    }
  }
}
