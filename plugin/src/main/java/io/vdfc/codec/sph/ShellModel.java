package io.vdfc.codec.sph;

import static io.vdfc.codec.CorruptRecordException.verify;

import io.vdfc.codec.CorruptRecordException;
import io.vdfc.codec.grid.DenseBox;
import io.vdfc.codec.model.FittedMaxwellian;
import io.vdfc.codec.model.PayloadReader;
import io.vdfc.codec.model.PayloadWriter;
import io.vdfc.codec.model.Quantized;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VelocityMesh;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * Spherical shells of width w around the bulk velocity V; on shell s ({@code floor(|v - V| / w) = s}) the values are
 * a real spherical-harmonic expansion of degree {@code L_s = min(L, floor(sqrt(n_s / 2)) - 1)} (at least 0), where
 * {@code n_s} is the number of the cell's velocity cells on the shell: the decoder counts them, so sparse inner shells
 * cost few coefficients and none is underdetermined. Least squares per shell by EJML Cholesky of the normal equations.
 */
final class ShellModel {
  static final int MAX_DEGREE = 30;

  private ShellModel() {
    throw new AssertionError("no instances");
  }

  /** Shell index of every value of the cell's blocks, and the shell counts. */
  private static int[] shells(VelocityMesh mesh, int[] ids, float[] centre, float width, int[] maxShell) {
    int per = mesh.cellsPerBlock();
    int[] s = new int[ids.length * per];
    int mx = 0;
    for (int b = 0; b < ids.length; b++) {
      for (int l = 0; l < per; l++) {
        double dx = mesh.vx(ids[b], l) - centre[0], dy = mesh.vy(ids[b], l) - centre[1], dz = mesh.vz(ids[b], l) - centre[2];
        double r = Math.sqrt(dx * dx + dy * dy + dz * dz) / width;
        int sh = r < 65535 ? (int) r : 65535;
        s[b * per + l] = sh;
        mx = Math.max(mx, sh);
      }
    }
    maxShell[0] = mx;
    return s;
  }

  static int shellDegree(int lmax, int points) {
    return Math.max(0, Math.min(lmax, (int) Math.floor(Math.sqrt(points / 2.0)) - 1));
  }

  static byte[] fit(CellVdf cell, int lmax, double widthCells, int bits) {
    VelocityMesh mesh = cell.mesh();
    DenseBox box = DenseBox.of(cell);
    FittedMaxwellian fm = FittedMaxwellian.of(box, box.toDense(cell.values()));
    float[] c = fm.centre();
    float width = (float) (widthCells * Math.min(mesh.dvx(), Math.min(mesh.dvy(), mesh.dvz())));
    int[] mx = new int[1];
    int[] shell = shells(mesh, cell.blockIds(), c, width, mx);
    if (mx[0] >= 65535) {
      return null;
    }
    int nShells = mx[0] + 1;
    int[] counts = new int[nShells];
    for (int s : shell) {
      counts[s]++;
    }
    int[][] members = new int[nShells][];
    for (int s = 0; s < nShells; s++) {
      members[s] = new int[counts[s]];
    }
    int[] fill = new int[nShells];
    for (int i = 0; i < shell.length; i++) {
      members[shell[i]][fill[shell[i]]++] = i;
    }
    PayloadWriter w = new PayloadWriter().u8(lmax).u8(bits).f32(c[0]).f32(c[1]).f32(c[2]).f32(width).u16(nShells);
    int per = mesh.cellsPerBlock();
    int[] ids = cell.blockIds();
    float[] f = cell.values();
    double[] y = new double[RealHarmonics.count(lmax)];
    double[] work = new double[(lmax + 1) * (lmax + 1)];
    RealHarmonics.Factors fac = new RealHarmonics.Factors(lmax);
    for (int s = 0; s < nShells; s++) {
      int ls = shellDegree(lmax, counts[s]);
      int q = RealHarmonics.count(ls);
      if (counts[s] == 0) {
        w.quantized(new double[q], bits);
        continue;
      }
      DMatrixRMaj a = new DMatrixRMaj(counts[s], q);
      DMatrixRMaj rhs = new DMatrixRMaj(counts[s], 1);
      for (int r = 0; r < counts[s]; r++) {
        int i = members[s][r];
        int gid = ids[i / per];
        int l = i % per;
        RealHarmonics.eval(fac, ls, mesh.vx(gid, l) - c[0], mesh.vy(gid, l) - c[1], mesh.vz(gid, l) - c[2], y, work);
        System.arraycopy(y, 0, a.data, r * q, q);
        rhs.data[r] = f[i];
      }
      DMatrixRMaj ata = new DMatrixRMaj(q, q);
      DMatrixRMaj atb = new DMatrixRMaj(q, 1);
      org.ejml.dense.row.CommonOps_DDRM.multTransA(a, a, ata);
      org.ejml.dense.row.CommonOps_DDRM.multTransA(a, rhs, atb);
      w.quantized(solve(ata, atb), bits);
    }
    return w.toByteArray();
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
          ok &= Double.isFinite(v);
        }
        if (ok) {
          return x.data;
        }
      }
    }
    return new double[n];
  }

  static float[] decode(PayloadReader in, VelocityMesh mesh, int[] ids) throws CorruptRecordException {
    int lmax = in.u8("degree");
    verify(lmax <= MAX_DEGREE, "sph payload: degree %d, at most %d", lmax, MAX_DEGREE);
    int bits = in.u8("bits");
    verify(bits == 16 || bits == 24 || bits == 32, "sph payload: %d bits per coefficient, expected 16, 24 or 32", bits);
    float[] c = {in.f32("centre x"), in.f32("centre y"), in.f32("centre z")};
    float width = in.f32("shell width");
    verify(width > 0, "sph payload: shell width %s, expected > 0", width);
    int nShells = in.u16("shell count");
    int[] mx = new int[1];
    int[] shell = shells(mesh, ids, c, width, mx);
    int[] counts = new int[nShells];
    for (int s : shell) {
      if (s < nShells) {
        counts[s]++;
      }
    }
    double[][] coef = new double[nShells][];
    for (int s = 0; s < nShells; s++) {
      coef[s] = in.quantized(RealHarmonics.count(shellDegree(lmax, counts[s])), bits, "shell coefficients");
    }
    int per = mesh.cellsPerBlock();
    float[] out = new float[shell.length];
    double[] y = new double[RealHarmonics.count(lmax)];
    double[] work = new double[(lmax + 1) * (lmax + 1)];
    RealHarmonics.Factors fac = new RealHarmonics.Factors(lmax);
    for (int i = 0; i < shell.length; i++) {
      int s = shell[i];
      if (s >= nShells) {
        continue;
      }
      int gid = ids[i / per];
      int l = i % per;
      int ls = shellDegree(lmax, counts[s]);
      RealHarmonics.eval(fac, ls, mesh.vx(gid, l) - c[0], mesh.vy(gid, l) - c[1], mesh.vz(gid, l) - c[2], y, work);
      double v = 0;
      double[] cs = coef[s];
      for (int q = 0; q < cs.length; q++) {
        v += cs[q] * y[q];
      }
      out[i] = (float) v;
    }
    return out;
  }
}
