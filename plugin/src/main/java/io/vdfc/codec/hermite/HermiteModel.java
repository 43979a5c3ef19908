package io.vdfc.codec.hermite;

import static io.vdfc.codec.CorruptRecordException.verify;

import io.vdfc.codec.CorruptRecordException;
import io.vdfc.codec.grid.DenseBox;
import io.vdfc.codec.model.FittedMaxwellian;
import io.vdfc.codec.model.PayloadReader;
import io.vdfc.codec.model.PayloadWriter;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VelocityMesh;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * Least-squares fit and evaluation of the Hermite expansion on the cell's dense box. The basis is a tensor product, so
 * the normal equations come from per-axis Gram matrices and the right-hand side from three one-axis contractions.
 */
final class HermiteModel {
  static final int MAX_DEGREE = 40;

  private HermiteModel() {
    throw new AssertionError("no instances");
  }

  static byte[] fit(CellVdf cell, int degree, int bits) {
    DenseBox box = DenseBox.of(cell);
    float[] dense = box.toDense(cell.values());
    FittedMaxwellian fm = FittedMaxwellian.of(box, dense);
    double[][][] psi = tables(box, degree, fm.centre(), fm.sigma());
    int d1 = degree + 1;
    int nx = box.nx, ny = box.ny, nz = box.nz;
    // right-hand side: contract x, then y, then z
    double[] t1 = new double[d1 * ny * nz];
    for (int jk = 0; jk < ny * nz; jk++) {
      for (int a = 0; a < d1; a++) {
        double s = 0;
        double[] px = psi[0][a];
        for (int i = 0, p = jk * nx; i < nx; i++, p++) {
          s += px[i] * dense[p];
        }
        t1[a + d1 * jk] = s;
      }
    }
    double[] t2 = new double[d1 * d1 * nz];
    for (int k = 0; k < nz; k++) {
      for (int b = 0; b < d1; b++) {
        for (int a = 0; a < d1 - b; a++) {
          double s = 0;
          for (int j = 0; j < ny; j++) {
            s += psi[1][b][j] * t1[a + d1 * (j + ny * k)];
          }
          t2[a + d1 * (b + d1 * k)] = s;
        }
      }
    }
    int n = HermiteBasis.count(degree);
    int[][] idx = indices(degree);
    DMatrixRMaj rhs = new DMatrixRMaj(n, 1);
    for (int q = 0; q < n; q++) {
      int a = idx[q][0], b = idx[q][1], c = idx[q][2];
      double s = 0;
      for (int k = 0; k < nz; k++) {
        s += psi[2][c][k] * t2[a + d1 * (b + d1 * k)];
      }
      rhs.data[q] = s;
    }
    double[][][] gram = new double[3][d1][d1];
    for (int ax = 0; ax < 3; ax++) {
      for (int a = 0; a < d1; a++) {
        for (int b = 0; b < d1; b++) {
          double s = 0;
          for (int i = 0; i < psi[ax][a].length; i++) {
            s += psi[ax][a][i] * psi[ax][b][i];
          }
          gram[ax][a][b] = s;
        }
      }
    }
    DMatrixRMaj g = new DMatrixRMaj(n, n);
    for (int p = 0; p < n; p++) {
      for (int q = 0; q < n; q++) {
        g.data[p * n + q] = gram[0][idx[p][0]][idx[q][0]] * gram[1][idx[p][1]][idx[q][1]] * gram[2][idx[p][2]][idx[q][2]];
      }
    }
    double[] coef = solve(g, rhs);
    PayloadWriter w = new PayloadWriter().u8(degree).u8(bits);
    for (float c : fm.centre()) {
      w.f32(c);
    }
    for (float s : fm.sigma()) {
      w.f32(s);
    }
    return w.quantized(coef, bits).toByteArray();
  }

  /** Normal equations by Cholesky; a small ridge when the Gram matrix is not numerically positive definite. */
  static double[] solve(DMatrixRMaj g, DMatrixRMaj rhs) {
    int n = g.numRows;
    double trace = 0;
    for (int i = 0; i < n; i++) {
      trace += g.get(i, i);
    }
    DMatrixRMaj x = new DMatrixRMaj(n, 1);
    for (double ridge : new double[] {0, 1e-12, 1e-9, 1e-6}) {
      DMatrixRMaj a = g.copy();
      for (int i = 0; i < n; i++) {
        a.add(i, i, ridge * trace / Math.max(n, 1));
      }
      LinearSolverDense<DMatrixRMaj> s = LinearSolverFactory_DDRM.chol(n);
      if (s.setA(a)) {
        s.solve(rhs, x);
        boolean finite = true;
        for (double v : x.data) {
          finite &= Double.isFinite(v);
        }
        if (finite) {
          return x.data;
        }
      }
    }
    return new double[n];
  }

  static float[] decode(PayloadReader in, VelocityMesh mesh, int[] blockIds) throws CorruptRecordException {
    int degree = in.u8("degree");
    verify(degree <= MAX_DEGREE, "hermite payload: degree %d, at most %d", degree, MAX_DEGREE);
    int bits = in.u8("bits");
    verify(bits == 16 || bits == 24 || bits == 32, "hermite payload: %d bits per coefficient, expected 16, 24 or 32", bits);
    float[] centre = {in.f32("centre x"), in.f32("centre y"), in.f32("centre z")};
    float[] sigma = {in.f32("sigma x"), in.f32("sigma y"), in.f32("sigma z")};
    for (float s : sigma) {
      verify(s > 0, "hermite payload: spread %s, expected > 0", s);
    }
    double[] coef = in.quantized(HermiteBasis.count(degree), bits, "coefficients");
    DenseBox box = DenseBox.of(mesh, blockIds);
    return box.toBlocks(evaluate(box, degree, centre, sigma, coef));
  }

  static float[] evaluate(DenseBox box, int degree, float[] centre, float[] sigma, double[] coef) {
    double[][][] psi = tables(box, degree, centre, sigma);
    int d1 = degree + 1;
    int nx = box.nx, ny = box.ny, nz = box.nz;
    int[][] idx = indices(degree);
    // t1[a][b][k] = sum_c coef(a,b,c) psi_c(z_k)
    double[] t1 = new double[d1 * d1 * nz];
    for (int q = 0; q < idx.length; q++) {
      int a = idx[q][0], b = idx[q][1];
      double[] pz = psi[2][idx[q][2]];
      double cq = coef[q];
      int base = a + d1 * b;
      for (int k = 0; k < nz; k++) {
        t1[base + d1 * d1 * k] += cq * pz[k];
      }
    }
    // t2[a][j][k] = sum_b t1[a][b][k] psi_b(y_j)
    double[] t2 = new double[d1 * ny * nz];
    for (int k = 0; k < nz; k++) {
      for (int b = 0; b < d1; b++) {
        double[] py = psi[1][b];
        for (int a = 0; a < d1 - b; a++) {
          double v = t1[a + d1 * (b + d1 * k)];
          if (v != 0) {
            for (int j = 0; j < ny; j++) {
              t2[a + d1 * (j + ny * k)] += v * py[j];
            }
          }
        }
      }
    }
    float[] out = new float[nx * ny * nz];
    double[][] px = psi[0];
    for (int jk = 0; jk < ny * nz; jk++) {
      for (int i = 0; i < nx; i++) {
        double s = 0;
        for (int a = 0; a < d1; a++) {
          s += t2[a + d1 * jk] * px[a][i];
        }
        out[i + nx * jk] = (float) s;
      }
    }
    return out;
  }

  private static double[][][] tables(DenseBox box, int degree, float[] centre, float[] sigma) {
    double[] vx = new double[box.nx], vy = new double[box.ny], vz = new double[box.nz];
    for (int i = 0; i < box.nx; i++) {
      vx[i] = box.vx(i);
    }
    for (int j = 0; j < box.ny; j++) {
      vy[j] = box.vy(j);
    }
    for (int k = 0; k < box.nz; k++) {
      vz[k] = box.vz(k);
    }
    return new double[][][] {
      HermiteBasis.table(degree, vx, centre[0], sigma[0]),
      HermiteBasis.table(degree, vy, centre[1], sigma[1]),
      HermiteBasis.table(degree, vz, centre[2], sigma[2])
    };
  }

  /** Coefficient order: a, then b, then c, with {@code a + b + c <= degree}. */
  static int[][] indices(int degree) {
    int[][] idx = new int[HermiteBasis.count(degree)][];
    int q = 0;
    for (int a = 0; a <= degree; a++) {
      for (int b = 0; a + b <= degree; b++) {
        for (int c = 0; a + b + c <= degree; c++) {
          idx[q++] = new int[] {a, b, c};
        }
      }
    }
    return idx;
  }
}
