package io.vdfc.testing;

import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VelocityMesh;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Synthetic cells shaped like Vlasiator's: a Maxwellian core plus an optional field-aligned beam on a mesh like the
 * IPShock run's (dv = 60 km/s), blocks kept where any value reaches the sparsity threshold, plus a one-block halo, in a
 * shuffled (hash-map-like) order. Fixed seeds.
 */
public final class TestCells {
  public static final double MIN_VALUE = 1e-16;
  public static final VelocityMesh MESH = new VelocityMesh("proton", 40, 40, 40, 4, -4.8e6, -4.8e6, -4.8e6, 6e4, 6e4, 6e4);

  private TestCells() {
    throw new AssertionError("no instances");
  }

  /** Number density n (m^-3), drift (m/s), thermal speed (m/s); beam of relative density {@code beam} at +3 vth in x. */
  public static CellVdf maxwellian(long cellId, double n, double vx, double vth, double beam, long seed) {
    VelocityMesh m = MESH;
    int per = m.cellsPerBlock();
    List<Integer> ids = new ArrayList<>();
    List<float[]> blocks = new ArrayList<>();
    double norm = n / Math.pow(2 * Math.PI * vth * vth, 1.5);
    for (int gid = 0; gid < m.blockCount(); gid++) {
      float[] b = new float[per];
      boolean keep = false;
      for (int l = 0; l < per; l++) {
        double x = m.vx(gid, l), y = m.vy(gid, l), z = m.vz(gid, l);
        double core = Math.exp(-((x - vx) * (x - vx) + y * y + z * z) / (2 * vth * vth));
        double bx = vx + 3 * vth;
        double bm = beam * Math.exp(-((x - bx) * (x - bx) + y * y + z * z) / (0.5 * vth * vth)) * 2.8;
        b[l] = (float) (norm * (core + bm));
        keep |= b[l] >= MIN_VALUE;
      }
      if (keep) {
        ids.add(gid);
        blocks.add(b);
      }
    }
    addHalo(m, ids, blocks);
    return shuffled(cellId, m, ids, blocks, seed);
  }

  private static void addHalo(VelocityMesh m, List<Integer> ids, List<float[]> blocks) {
    java.util.Set<Integer> have = new java.util.HashSet<>(ids);
    List<Integer> extra = new ArrayList<>();
    for (int gid : ids) {
      int i = m.blockI(gid), j = m.blockJ(gid), k = m.blockK(gid);
      for (int d = 0; d < 6; d++) {
        int ii = i + (d == 0 ? 1 : d == 1 ? -1 : 0), jj = j + (d == 2 ? 1 : d == 3 ? -1 : 0), kk = k + (d == 4 ? 1 : d == 5 ? -1 : 0);
        if (ii >= 0 && jj >= 0 && kk >= 0 && ii < m.nx() && jj < m.ny() && kk < m.nz()) {
          int g = m.blockId(ii, jj, kk);
          if (have.add(g)) {
            extra.add(g);
          }
        }
      }
    }
    for (int g : extra) {
      ids.add(g);
      blocks.add(new float[m.cellsPerBlock()]);
    }
  }

  private static CellVdf shuffled(long cellId, VelocityMesh m, List<Integer> ids, List<float[]> blocks, long seed) {
    int n = ids.size();
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Random r = new Random(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    int per = m.cellsPerBlock();
    int[] outIds = new int[n];
    float[] values = new float[n * per];
    for (int i = 0; i < n; i++) {
      outIds[i] = ids.get(order[i]);
      System.arraycopy(blocks.get(order[i]), 0, values, i * per, per);
    }
    return new CellVdf(cellId, m, outIds, values);
  }

  /** A corpus of awkward cells: typical, beam, empty, single block, subnormals, tiny negatives, spikes. */
  public static List<CellVdf> corpus() {
    List<CellVdf> out = new ArrayList<>();
    out.add(maxwellian(1, 1e6, -7.5e5, 9e4, 0, 1));
    out.add(maxwellian(2, 3.4e6, 0, 2.5e5, 0.1, 2));
    out.add(new CellVdf(3, MESH, new int[0], new float[0]));
    float[] one = new float[64];
    for (int l = 0; l < 64; l++) {
      one[l] = (float) (1e-13 * Math.exp(-l / 20.0));
    }
    out.add(new CellVdf(4, MESH, new int[] {12345}, one));
    float[] odd = new float[3 * 64];
    Random r = new Random(5);
    for (int l = 0; l < odd.length; l++) {
      odd[l] = switch (l % 4) {
        case 0 -> Float.MIN_VALUE * r.nextInt(100);
        case 1 -> (float) (-1e-19 * r.nextDouble());
        case 2 -> 0f;
        default -> (float) (1e-12 * r.nextDouble());
      };
    }
    out.add(new CellVdf(5, MESH, new int[] {7, 70000, 3}, odd));
    return out;
  }
}
