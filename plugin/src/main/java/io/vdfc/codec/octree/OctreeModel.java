package io.vdfc.codec.octree;

import static io.vdfc.codec.CorruptRecordException.verify;

import io.vdfc.codec.CorruptRecordException;
import io.vdfc.codec.grid.DenseBox;
import io.vdfc.codec.model.PayloadReader;
import io.vdfc.codec.model.PayloadWriter;
import io.vdfc.codec.model.Quantized;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VelocityMesh;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Octree over the cell's dense box: a cube of side {@code 2^root} cells at the box origin, split into octants (x
 * fastest) until a node's polynomial fit, or zero, is within the leaf tolerance on the node's stored values, or the node
 * has the minimum side. Nodes without any stored value (outside the blocks) are not coded.
 */
final class OctreeModel {
  static final int ZERO = 0;
  static final int POLY = 1;
  static final int SPLIT = 2;
  static final int MAX_ROOT = 12;

  private final DenseBox box;
  private final boolean[] mask;
  private final int p;
  private final int bits;
  private final int minSide;
  private final Map<Integer, LeafBasis> bases = new HashMap<>();
  private boolean rms;

  private OctreeModel(DenseBox box, int p, int bits, int minSide) {
    this.box = box;
    this.mask = box.mask();
    this.p = p;
    this.bits = bits;
    this.minSide = minSide;
  }

  static int rootLog2(DenseBox box, int minLog2) {
    int n = Math.max(box.nx, Math.max(box.ny, box.nz));
    int r = minLog2;
    while ((1 << r) < n) {
      r++;
    }
    return r;
  }

  /** @param rms refine on the leaf's RMS error over its stored values instead of its largest error */
  static byte[] fit(CellVdf cell, int p, int bits, int minLog2, double leafTol, boolean rms) {
    DenseBox box = DenseBox.of(cell);
    OctreeModel m = new OctreeModel(box, p, bits, 1 << minLog2);
    m.rms = rms;
    int root = rootLog2(box, minLog2);
    float[] dense = box.toDense(cell.values());
    List<Integer> codes = new ArrayList<>();
    List<double[]> coefs = new ArrayList<>();
    m.encodeNode(dense, 0, 0, 0, 1 << root, leafTol, codes, coefs);
    PayloadWriter w = new PayloadWriter().u8(p).u8(bits).u8(minLog2).u8(root);
    int acc = 0;
    int n = 0;
    for (int c : codes) {
      acc = (acc << 2) | c;
      if (++n == 4) {
        w.u8(acc);
        acc = 0;
        n = 0;
      }
    }
    if (n > 0) {
      w.u8(acc << (2 * (4 - n)));
    }
    for (double[] c : coefs) {
      w.quantized(c, bits);
    }
    return w.toByteArray();
  }

  private void encodeNode(float[] dense, int i0, int j0, int k0, int s, double tol, List<Integer> codes,
      List<double[]> coefs) {
    if (!hasStored(i0, j0, k0, s)) {
      return;
    }
    if (maxAbs(dense, null, i0, j0, k0, s) <= tol) {
      codes.add(ZERO);
      return;
    }
    double[] c = fitLeaf(dense, i0, j0, k0, s);
    for (int q = 0; q < c.length; q++) {
      c[q] = Quantized.round(c[q], bits);
    }
    if (s <= minSide || maxAbs(dense, c, i0, j0, k0, s) <= tol) {
      codes.add(POLY);
      coefs.add(c);
      return;
    }
    codes.add(SPLIT);
    int h = s / 2;
    for (int o = 0; o < 8; o++) {
      encodeNode(dense, i0 + (o & 1) * h, j0 + ((o >> 1) & 1) * h, k0 + (o >> 2) * h, h, tol, codes, coefs);
    }
  }

  private boolean hasStored(int i0, int j0, int k0, int s) {
    for (int k = k0; k < Math.min(k0 + s, box.nz); k++) {
      for (int j = j0; j < Math.min(j0 + s, box.ny); j++) {
        for (int i = i0; i < Math.min(i0 + s, box.nx); i++) {
          if (mask[box.index(i, j, k)]) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private LeafBasis basis(int s) {
    return bases.computeIfAbsent(s, sz -> new LeafBasis(sz, p));
  }

  /** Least-squares coefficients {@code [a + (p+1)(b + (p+1)c)]} of the node's values (zero beyond the box). */
  private double[] fitLeaf(float[] dense, int i0, int j0, int k0, int s) {
    LeafBasis lb = basis(s);
    int q = p + 1;
    double[] t1 = new double[q * s * s]; // [a][j][k]
    for (int k = 0; k < s && k0 + k < box.nz; k++) {
      for (int j = 0; j < s && j0 + j < box.ny; j++) {
        for (int i = 0; i < s && i0 + i < box.nx; i++) {
          double v = dense[box.index(i0 + i, j0 + j, k0 + k)];
          if (v != 0) {
            for (int a = 0; a < q; a++) {
              t1[a + q * (j + s * k)] += lb.pinv[a][i] * v;
            }
          }
        }
      }
    }
    double[] t2 = new double[q * q * s]; // [a][b][k]
    for (int k = 0; k < s; k++) {
      for (int j = 0; j < s; j++) {
        for (int b = 0; b < q; b++) {
          for (int a = 0; a < q; a++) {
            t2[a + q * (b + q * k)] += lb.pinv[b][j] * t1[a + q * (j + s * k)];
          }
        }
      }
    }
    double[] c = new double[q * q * q];
    for (int k = 0; k < s; k++) {
      for (int cc = 0; cc < q; cc++) {
        for (int ab = 0; ab < q * q; ab++) {
          c[ab + q * q * cc] += lb.pinv[cc][k] * t2[ab + q * q * k];
        }
      }
    }
    return c;
  }

  /** Largest (or RMS) |f - poly| on the node's stored values ({@code c == null}: |f|). */
  private double maxAbs(float[] dense, double[] c, int i0, int j0, int k0, int s) {
    double mx = 0;
    double sum = 0;
    int n = 0;
    LeafBasis lb = c == null ? null : basis(s);
    for (int k = 0; k < s && k0 + k < box.nz; k++) {
      for (int j = 0; j < s && j0 + j < box.ny; j++) {
        for (int i = 0; i < s && i0 + i < box.nx; i++) {
          int idx = box.index(i0 + i, j0 + j, k0 + k);
          if (mask[idx]) {
            double v = c == null ? 0 : (float) eval(lb, c, i, j, k);
            double e = Math.abs(dense[idx] - v);
            mx = Math.max(mx, e);
            sum += e * e;
            n++;
          }
        }
      }
    }
    return rms && n > 0 ? Math.sqrt(sum / n) : mx;
  }

  private double eval(LeafBasis lb, double[] c, int i, int j, int k) {
    int q = p + 1;
    double s = 0;
    for (int cc = 0; cc < q; cc++) {
      for (int b = 0; b < q; b++) {
        double yz = lb.value[b][j] * lb.value[cc][k];
        for (int a = 0; a < q; a++) {
          s += c[a + q * (b + q * cc)] * lb.value[a][i] * yz;
        }
      }
    }
    return s;
  }

  static float[] decode(PayloadReader in, VelocityMesh mesh, int[] blockIds) throws CorruptRecordException {
    int p = in.u8("polynomial degree");
    verify(p <= 2, "octree payload: polynomial degree %d, expected 0..2", p);
    int bits = in.u8("bits");
    verify(bits == 16 || bits == 24 || bits == 32, "octree payload: %d bits per coefficient, expected 16, 24 or 32", bits);
    int minLog2 = in.u8("minimum leaf");
    verify(minLog2 >= 1 && minLog2 <= MAX_ROOT, "octree payload: minimum leaf 2^%d, expected 2^1..2^%d", minLog2, MAX_ROOT);
    int root = in.u8("root");
    DenseBox box = DenseBox.of(mesh, blockIds);
    verify(root == rootLog2(box, minLog2), "octree payload: root 2^%d for a box of %dx%dx%d, expected 2^%d", root,
        box.nx, box.ny, box.nz, rootLog2(box, minLog2));
    OctreeModel m = new OctreeModel(box, p, bits, 1 << minLog2);
    List<int[]> leaves = new ArrayList<>();
    int[] bitState = {0, 0}; // buffered byte, codes left in it
    m.readNode(in, bitState, 0, 0, 0, 1 << root, leaves);
    int q = (p + 1) * (p + 1) * (p + 1);
    float[] dense = new float[box.size()];
    verify((long) leaves.size() * q * bits / 8 <= in.remaining(), "octree payload: %d leaves need %d coefficient bytes, %d left",
        leaves.size(), (long) leaves.size() * q * bits / 8, in.remaining());
    for (int[] leaf : leaves) {
      double[] c = in.quantized(q, bits, "leaf coefficients");
      LeafBasis lb = m.basis(leaf[3]);
      int s = leaf[3];
      for (int k = 0; k < s && leaf[2] + k < box.nz; k++) {
        for (int j = 0; j < s && leaf[1] + j < box.ny; j++) {
          for (int i = 0; i < s && leaf[0] + i < box.nx; i++) {
            int idx = box.index(leaf[0] + i, leaf[1] + j, leaf[2] + k);
            if (m.mask[idx]) {
              dense[idx] = (float) m.eval(lb, c, i, j, k);
            }
          }
        }
      }
    }
    return box.toBlocks(dense);
  }

  private void readNode(PayloadReader in, int[] bitState, int i0, int j0, int k0, int s, List<int[]> leaves)
      throws CorruptRecordException {
    if (!hasStored(i0, j0, k0, s)) {
      return;
    }
    if (bitState[1] == 0) {
      bitState[0] = in.u8("tree codes");
      bitState[1] = 4;
    }
    int code = (bitState[0] >>> (2 * --bitState[1])) & 3;
    verify(code != 3, "octree payload: node code 3 before offset %d", in.position());
    if (code == POLY) {
      leaves.add(new int[] {i0, j0, k0, s});
    } else if (code == SPLIT) {
      verify(s > minSide, "octree payload: split of a node of side %d, minimum %d", s, minSide);
      int h = s / 2;
      for (int o = 0; o < 8; o++) {
        readNode(in, bitState, i0 + (o & 1) * h, j0 + ((o >> 1) & 1) * h, k0 + (o >> 2) * h, h, leaves);
      }
    }
  }
}
