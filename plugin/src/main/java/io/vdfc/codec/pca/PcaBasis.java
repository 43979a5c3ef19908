package io.vdfc.codec.pca;

import static io.vdfc.codec.CorruptRecordException.verify;

import io.vdfc.codec.CorruptRecordException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * A PCA basis of 64-value block vectors: the mean and the leading {@code k} principal directions (orthonormal rows),
 * float32 as stored. Layout ({@link #write}/{@link #read}): {@code u8 k, f32 mean[64], f32 rows[k][64]}, little-endian;
 * {@code k = 0} is the single byte (no basis).
 */
final class PcaBasis {
  static final int DIM = 64;
  final int k;
  final float[] mean;
  final float[][] rows;

  PcaBasis(int k, float[] mean, float[][] rows) {
    this.k = k;
    this.mean = mean;
    this.rows = rows;
  }

  /** The leading {@code k} components of the vectors (each {@code DIM} long); deterministic. */
  static PcaBasis train(List<double[]> vectors, int k) {
    int n = vectors.size();
    double[] mean = new double[DIM];
    for (double[] v : vectors) {
      for (int i = 0; i < DIM; i++) {
        mean[i] += v[i];
      }
    }
    for (int i = 0; i < DIM; i++) {
      mean[i] /= Math.max(1, n);
    }
    double[] cov = new double[DIM * DIM];
    double[] c = new double[DIM];
    for (double[] v : vectors) {
      for (int i = 0; i < DIM; i++) {
        c[i] = v[i] - mean[i];
      }
      for (int i = 0; i < DIM; i++) {
        double ci = c[i];
        if (ci != 0) {
          for (int j = i; j < DIM; j++) {
            cov[i * DIM + j] += ci * c[j];
          }
        }
      }
    }
    for (int i = 0; i < DIM; i++) {
      for (int j = 0; j < i; j++) {
        cov[i * DIM + j] = cov[j * DIM + i];
      }
    }
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(DIM, true, true);
    if (!eig.decompose(new DMatrixRMaj(DIM, DIM, true, cov))) {
      throw new IllegalStateException("PCA eigen-decomposition did not converge");
    }
    Integer[] order = new Integer[DIM];
    double[] ev = new double[DIM];
    for (int i = 0; i < DIM; i++) {
      order[i] = i;
      ev[i] = eig.getEigenvalue(i).getReal();
    }
    java.util.Arrays.sort(order, (a, b) -> Double.compare(ev[b], ev[a]));
    float[][] rows = new float[k][DIM];
    for (int r = 0; r < k; r++) {
      DMatrixRMaj vec = eig.getEigenVector(order[r]);
      double norm = 0;
      int big = 0;
      for (int i = 0; i < DIM; i++) {
        double x = vec == null ? (i == r ? 1 : 0) : vec.get(i, 0);
        norm += x * x;
        if (Math.abs(x) > Math.abs(vec == null ? 0 : vec.get(big, 0))) {
          big = i;
        }
      }
      double sign = vec != null && vec.get(big, 0) < 0 ? -1 : 1;
      for (int i = 0; i < DIM; i++) {
        double x = vec == null ? (i == r ? 1 : 0) : vec.get(i, 0);
        rows[r][i] = (float) (sign * x / Math.sqrt(norm));
      }
    }
    float[] m = new float[DIM];
    for (int i = 0; i < DIM; i++) {
      m[i] = (float) mean[i];
    }
    return new PcaBasis(k, m, rows);
  }

  /** The first {@code k2 <= k} components. */
  PcaBasis first(int k2) {
    return new PcaBasis(k2, mean, java.util.Arrays.copyOf(rows, k2));
  }

  int bytes() {
    return k == 0 ? 1 : 1 + 4 * DIM * (k + 1);
  }

  byte[] write() {
    ByteBuffer b = ByteBuffer.allocate(bytes()).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) k);
    if (k == 0) {
      return b.array();
    }
    for (float x : mean) {
      b.putFloat(x);
    }
    for (float[] row : rows) {
      for (float x : row) {
        b.putFloat(x);
      }
    }
    return b.array();
  }

  static PcaBasis read(ByteBuffer in) throws CorruptRecordException {
    in.order(ByteOrder.LITTLE_ENDIAN);
    verify(in.hasRemaining(), "pca basis: no component count");
    int k = in.get() & 0xFF;
    verify(k <= DIM, "pca basis of %d components, at most %d", k, DIM);
    if (k == 0) {
      return new PcaBasis(0, new float[DIM], new float[0][]);
    }
    verify(in.remaining() >= 4 * DIM * (k + 1), "pca basis of %d components needs %d bytes, %d left", k,
        4 * DIM * (k + 1), in.remaining());
    float[] mean = new float[DIM];
    for (int i = 0; i < DIM; i++) {
      mean[i] = in.getFloat();
      verify(Float.isFinite(mean[i]), "pca basis mean %d is not finite", i);
    }
    float[][] rows = new float[k][DIM];
    for (int r = 0; r < k; r++) {
      for (int i = 0; i < DIM; i++) {
        rows[r][i] = in.getFloat();
        verify(Float.isFinite(rows[r][i]), "pca basis component %d value %d is not finite", r, i);
      }
    }
    return new PcaBasis(k, mean, rows);
  }
}
