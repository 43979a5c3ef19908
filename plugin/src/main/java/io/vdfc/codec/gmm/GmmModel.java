package io.vdfc.codec.gmm;

import static io.vdfc.codec.CorruptRecordException.verify;

import io.vdfc.codec.CorruptRecordException;
import io.vdfc.codec.model.PayloadReader;
import io.vdfc.codec.model.PayloadWriter;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VelocityMesh;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * The mixture as stored: per component an amplitude, a mean and the inverse Cholesky factor of its covariance, in
 * mesh-cell units ({@code u = v / dv} per axis); amplitudes by least squares (EJML) on the cell's values after EM.
 */
final class GmmModel {
  static final int MAX_COMPONENTS = 64;
  static final int MAX_POINTS = 10_000;
  static final int FLOATS_PER_COMPONENT = 10;

  private GmmModel() {
    throw new AssertionError("no instances");
  }

  static byte[] fit(CellVdf cell, int k) {
    VelocityMesh mesh = cell.mesh();
    int[] ids = cell.blockIds();
    int per = mesh.cellsPerBlock();
    float[] f = cell.values();
    int positive = 0;
    for (float v : f) {
      if (v > 0) {
        positive++;
      }
    }
    if (positive == 0) {
      return null;
    }
    int stride = (positive + MAX_POINTS - 1) / MAX_POINTS;
    double[][] x = new double[(positive + stride - 1) / stride][];
    double[] w = new double[x.length];
    int seen = 0;
    int m = 0;
    for (int b = 0; b < ids.length; b++) {
      for (int l = 0; l < per; l++) {
        float v = f[b * per + l];
        if (v > 0 && seen++ % stride == 0) {
          x[m] = coords(mesh, ids[b], l);
          w[m++] = v;
        }
      }
    }
    GaussianMixtureFit g = GaussianMixtureFit.fit(x, w, k);
    float[][] mean = new float[k][3];
    float[][] prec = new float[k][6];
    for (int c = 0; c < k; c++) {
      double[] p = GaussianMixtureFit.inverseCholesky(g.cov[c]);
      for (int e = 0; e < 3; e++) {
        mean[c][e] = (float) g.mean[c][e];
      }
      for (int e = 0; e < 6; e++) {
        prec[c][e] = (float) p[e];
      }
    }
    // amplitudes: least squares of the components as the decoder evaluates them against every value
    DMatrixRMaj gram = new DMatrixRMaj(k, k);
    DMatrixRMaj rhs = new DMatrixRMaj(k, 1);
    double[] phi = new double[k];
    for (int b = 0; b < ids.length; b++) {
      for (int l = 0; l < per; l++) {
        double[] u = coords(mesh, ids[b], l);
        for (int c = 0; c < k; c++) {
          phi[c] = component(prec[c], mean[c], u);
        }
        double v = f[b * per + l];
        for (int c = 0; c < k; c++) {
          rhs.data[c] += phi[c] * v;
          for (int d = 0; d < k; d++) {
            gram.data[c * k + d] += phi[c] * phi[d];
          }
        }
      }
    }
    double[] amp = solve(gram, rhs);
    PayloadWriter out = new PayloadWriter().u8(k);
    for (int c = 0; c < k; c++) {
      out.f32((float) amp[c]);
      for (float e : mean[c]) {
        out.f32(e);
      }
      for (float e : prec[c]) {
        out.f32(e);
      }
    }
    return out.toByteArray();
  }

  static float[] decode(PayloadReader in, VelocityMesh mesh, int[] ids) throws CorruptRecordException {
    int k = in.u8("component count");
    verify(k >= 1 && k <= MAX_COMPONENTS, "gmm payload: %d components, expected 1..%d", k, MAX_COMPONENTS);
    float[] amp = new float[k];
    float[][] mean = new float[k][3];
    float[][] prec = new float[k][6];
    for (int c = 0; c < k; c++) {
      amp[c] = in.f32("amplitude");
      for (int e = 0; e < 3; e++) {
        mean[c][e] = in.f32("mean");
      }
      for (int e = 0; e < 6; e++) {
        prec[c][e] = in.f32("precision factor");
      }
    }
    int per = mesh.cellsPerBlock();
    float[] out = new float[ids.length * per];
    double[] u = new double[3];
    for (int b = 0; b < ids.length; b++) {
      for (int l = 0; l < per; l++) {
        u[0] = mesh.vx(ids[b], l) / mesh.dvx();
        u[1] = mesh.vy(ids[b], l) / mesh.dvy();
        u[2] = mesh.vz(ids[b], l) / mesh.dvz();
        double s = 0;
        for (int c = 0; c < k; c++) {
          s += amp[c] * component(prec[c], mean[c], u);
        }
        out[b * per + l] = (float) s;
      }
    }
    return out;
  }

  static double component(float[] m, float[] mu, double[] u) {
    double d0 = u[0] - mu[0], d1 = u[1] - mu[1], d2 = u[2] - mu[2];
    double a = m[0] * d0;
    double b = m[1] * d0 + m[2] * d1;
    double c = m[3] * d0 + m[4] * d1 + m[5] * d2;
    double q = a * a + b * b + c * c;
    return q > 1400 ? 0 : Math.exp(-0.5 * q);
  }

  /** Velocity-cell centre in mesh-cell units. */
  static double[] coords(VelocityMesh mesh, int gid, int l) {
    return new double[] {mesh.vx(gid, l) / mesh.dvx(), mesh.vy(gid, l) / mesh.dvy(), mesh.vz(gid, l) / mesh.dvz()};
  }

  private static double[] solve(DMatrixRMaj g, DMatrixRMaj rhs) {
    int n = g.numRows;
    double trace = 0;
    for (int i = 0; i < n; i++) {
      trace += g.get(i, i);
    }
    DMatrixRMaj x = new DMatrixRMaj(n, 1);
    for (double ridge : new double[] {1e-12, 1e-9, 1e-6, 1e-3}) {
      DMatrixRMaj a = g.copy();
      for (int i = 0; i < n; i++) {
        a.add(i, i, ridge * trace / n + Double.MIN_NORMAL);
      }
      LinearSolverDense<DMatrixRMaj> s = LinearSolverFactory_DDRM.chol(n);
      if (s.setA(a)) {
        s.solve(rhs, x);
        boolean ok = true;
        for (double v : x.data) {
          ok &= Double.isFinite(v) && Math.abs(v) < 3e38;
        }
        if (ok) {
          return x.data;
        }
      }
    }
    return new double[n];
  }
}
