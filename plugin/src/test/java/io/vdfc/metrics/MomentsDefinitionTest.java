package io.vdfc.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vdfc.testing.SharedData;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VelocityMesh;
import io.vdfc.vdf.VlsvVdfSource;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Moments#of} (separable sums, rows unrolled for 4x4x4 blocks) against metrics.md's definition summed value by
 * value with {@link VelocityMesh#vx} and friends, on real cells and on a mesh of another block width (the generic path).
 */
class MomentsDefinitionTest {
  @Test
  void givenRealRestartCells_whenMomentsTaken_thenTheyMatchTheDefinition() throws Exception {
    try (VlsvVdfSource s = VlsvVdfSource.open(SharedData.realRestart())) {
      int cells = s.cellIds("proton").length;
      for (int i = 0; i < cells; i += 7) {
        assertMatchesDefinition(s.cellAt("proton", i));
      }
    }
  }

  @Test
  void givenAMeshOfWidthThree_whenMomentsTaken_thenTheyMatchTheDefinition() {
    VelocityMesh mesh = new VelocityMesh("proton", 9, 8, 7, 3, -4e5, -3e5, -2e5, 1e4, 1.2e4, 0.9e4);
    Random rnd = new Random(5);
    int[] ids = {0, 5, 17, 100, 250, 503};
    float[] f = new float[ids.length * 27];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) (rnd.nextDouble() * 1e-12);
    }
    assertMatchesDefinition(new CellVdf(42, mesh, ids, f));
  }

  @Test
  void givenBlockIdsAbove2To31_whenSplitIntoIndices_thenTheyMatchUnsignedArithmetic() {
    VelocityMesh mesh = new VelocityMesh("proton", 2000, 1500, 1600, 4, 0, 0, 0, 1, 1, 1);
    for (long id : new long[] {0, 1, 1999, 2000, 2_999_999, 3_000_000, (1L << 31) - 1, 1L << 31, 4_294_967_295L}) {
      int gid = (int) id;
      assertEquals(id % 2000, mesh.blockI(gid), "i of " + id);
      assertEquals(id / 2000 % 1500, mesh.blockJ(gid), "j of " + id);
      assertEquals(id / 3_000_000L, mesh.blockK(gid), "k of " + id);
    }
  }

  private static void assertMatchesDefinition(CellVdf cell) {
    VelocityMesh mesh = cell.mesh();
    float[] f = cell.values();
    int per = mesh.cellsPerBlock();
    double n = 0, mx = 0, my = 0, mz = 0;
    for (int b = 0; b < cell.blockCount(); b++) {
      for (int l = 0; l < per; l++) {
        double v = f[b * per + l];
        n += v;
        mx += v * mesh.vx(cell.blockIds()[b], l);
        my += v * mesh.vy(cell.blockIds()[b], l);
        mz += v * mesh.vz(cell.blockIds()[b], l);
      }
    }
    double vx = mx / n, vy = my / n, vz = mz / n;
    double[] p = new double[6];
    for (int b = 0; b < cell.blockCount(); b++) {
      for (int l = 0; l < per; l++) {
        double v = f[b * per + l];
        double ux = mesh.vx(cell.blockIds()[b], l) - vx;
        double uy = mesh.vy(cell.blockIds()[b], l) - vy;
        double uz = mesh.vz(cell.blockIds()[b], l) - vz;
        p[0] += v * ux * ux;
        p[1] += v * uy * uy;
        p[2] += v * uz * uz;
        p[3] += v * ux * uy;
        p[4] += v * ux * uz;
        p[5] += v * uy * uz;
      }
    }
    double dV = mesh.cellVolume();
    for (int k = 0; k < 6; k++) {
      p[k] *= dV;
    }
    Moments want = new Moments(n * dV, vx, vy, vz, p);
    double[] err = io.vdfc.conserve.MomentConservation.residuals(want, Moments.of(cell));
    for (double e : err) {
      assertTrue(e <= 1e-12, "cell " + cell.cellId() + ": relative difference " + e);
    }
  }
}
