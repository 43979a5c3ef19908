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

  /**
   * A cell whose mass is almost all in one value: its bulk velocity lies within a velocity cell of the spike, but up to
   * a block width from the first pass's estimate, and P about that estimate lost its digits to cancellation (a QA pass
   * found P_zz 3.7 % off for a spike of 1e5 and P negative for 1e30, which made err_P 0 where it was 1.4e-6).
   */
  @Test
  void givenARealCellWithOneHugeValue_whenMomentsTaken_thenPressureMatchesTheDefinition() throws Exception {
    try (VlsvVdfSource s = VlsvVdfSource.open(SharedData.realRestart())) {
      for (float spike : new float[] {1f, 1e5f, 1e30f}) {
        CellVdf cell = s.cellAt("proton", 24);
        float[] f = cell.values().clone();
        f[7 * 64 + 5] = spike;
        assertMatchesDefinition(cell.withValues(f));
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
    // 4,293,000,000 blocks: as many as uint32 IDs can number, nearly (a larger mesh is refused)
    VelocityMesh mesh = new VelocityMesh("proton", 2000, 1500, 1431, 4, 0, 0, 0, 1, 1, 1);
    for (long id : new long[] {0, 1, 1999, 2000, 2_999_999, 3_000_000, (1L << 31) - 1, 1L << 31, 4_292_999_999L}) {
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
    // compensated sums: a plain running sum of one huge value and many small ones is itself off by 1e-12 of n
    Sum n = new Sum(), mx = new Sum(), my = new Sum(), mz = new Sum();
    for (int b = 0; b < cell.blockCount(); b++) {
      for (int l = 0; l < per; l++) {
        double v = f[b * per + l];
        n.add(v);
        mx.add(v * mesh.vx(cell.blockIds()[b], l));
        my.add(v * mesh.vy(cell.blockIds()[b], l));
        mz.add(v * mesh.vz(cell.blockIds()[b], l));
      }
    }
    double vx = mx.value() / n.value(), vy = my.value() / n.value(), vz = mz.value() / n.value();
    Sum[] ps = {new Sum(), new Sum(), new Sum(), new Sum(), new Sum(), new Sum()};
    for (int b = 0; b < cell.blockCount(); b++) {
      for (int l = 0; l < per; l++) {
        double v = f[b * per + l];
        double ux = mesh.vx(cell.blockIds()[b], l) - vx;
        double uy = mesh.vy(cell.blockIds()[b], l) - vy;
        double uz = mesh.vz(cell.blockIds()[b], l) - vz;
        ps[0].add(v * ux * ux);
        ps[1].add(v * uy * uy);
        ps[2].add(v * uz * uz);
        ps[3].add(v * ux * uy);
        ps[4].add(v * ux * uz);
        ps[5].add(v * uy * uz);
      }
    }
    double[] p = new double[6];
    for (int k = 0; k < 6; k++) {
      p[k] = ps[k].value();
    }
    double dV = mesh.cellVolume();
    for (int k = 0; k < 6; k++) {
      p[k] *= dV;
    }
    Moments want = new Moments(n.value() * dV, vx, vy, vz, p);
    Moments got = Moments.of(cell);
    double[] err = io.vdfc.conserve.MomentConservation.residuals(want, got);
    assertTrue(err[0] <= 1e-12, "cell " + cell.cellId() + ": relative difference of n " + err[0]);
    assertTrue(err[2] <= 1e-12, "cell " + cell.cellId() + ": relative difference of P " + err[2]);
    // V to 1e-12 of the thermal speed, but this reference, summed in absolute velocities, holds V only to about
    // double's precision of |V| (1.6e6 m/s here), more than 1e-12 of a spike's thermal speed of 0.4 m/s
    double dv = Math.sqrt(sq(got.vx() - vx) + sq(got.vy() - vy) + sq(got.vz() - vz));
    double speed = Math.sqrt(vx * vx + vy * vy + vz * vz);
    assertTrue(dv <= 1e-12 * want.thermalSpeed() + 1e-14 * speed, "cell " + cell.cellId() + ": V differs by " + dv
        + " m/s, thermal speed " + want.thermalSpeed());
  }

  private static double sq(double x) {
    return x * x;
  }

  /** Neumaier's compensated sum. */
  private static final class Sum {
    private double sum;
    private double carry;

    void add(double x) {
      double t = sum + x;
      carry += Math.abs(sum) >= Math.abs(x) ? (sum - t) + x : (x - t) + sum;
      sum = t;
    }

    double value() {
      return sum + carry;
    }
  }
}
