package io.vdfc.conserve;

import io.vdfc.testing.SharedData;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VelocityMesh;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Cells for the conservation tests, built here (no VLSV reader): the study VDF, synthetic plasmas, lossy perturbations. */
final class TestCells {
  private TestCells() {
    throw new AssertionError("no instances");
  }

  /**
   * The study VDF (50^3 float64, x fastest, float32-exact) cut into 4^3 blocks of a 13^3-block mesh with dv = 1 (the
   * last two planes of each axis padded with zeros); blocks whose values are all zero are dropped, as Vlasiator would.
   */
  static CellVdf studyCell() throws IOException {
    byte[] raw = Files.readAllBytes(SharedData.file("study-vdf/vdfData.bin"));
    ByteBuffer in = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
    int side = 50;
    double[] dense = new double[side * side * side];
    for (int i = 0; i < dense.length; i++) {
      dense[i] = in.getDouble();
    }
    VelocityMesh mesh = new VelocityMesh("study", 13, 13, 13, 4, 0, 0, 0, 1, 1, 1);
    return fromDense(7, mesh, (x, y, z) -> x < side && y < side && z < side ? dense[(z * side + y) * side + x] : 0);
  }

  /**
   * A core Maxwellian drifting at {@code |V| ~ 12 v_th} from the mesh origin plus a field-aligned beam (a tenth of the
   * density, half the thermal speed), like a foreshock cell; peak 2.6e-13, values below 1e-18 dropped with their blocks.
   */
  static CellVdf maxwellianBeam() {
    VelocityMesh mesh = new VelocityMesh("proton", 16, 16, 16, 4, -32, -32, -32, 1, 1, 1);
    double peak = 2.6e-13;
    return fromDense(11, mesh, (x, y, z) -> {
      double vx = -32 + x + 0.5, vy = -32 + y + 0.5, vz = -32 + z + 0.5;
      double core = gauss(vx - 20, vy + 4, vz - 8, 3.0);
      double beam = 0.1 * 8 * gauss(vx + 5, vy + 4, vz - 2, 1.5);
      double f = peak * (core + beam);
      return f < 1e-18 ? 0 : f;
    });
  }

  private static double gauss(double x, double y, double z, double s) {
    return Math.exp(-(x * x + y * y + z * z) / (2 * s * s));
  }

  interface Field {
    double at(int x, int y, int z);
  }

  /** Samples {@code field} on every velocity cell, as float32, and keeps the blocks with a non-zero value. */
  static CellVdf fromDense(long cellId, VelocityMesh mesh, Field field) {
    int wid = mesh.wid();
    int per = mesh.cellsPerBlock();
    List<Integer> ids = new ArrayList<>();
    List<float[]> blocks = new ArrayList<>();
    for (int k = 0; k < mesh.nz(); k++) {
      for (int j = 0; j < mesh.ny(); j++) {
        for (int i = 0; i < mesh.nx(); i++) {
          float[] b = new float[per];
          boolean any = false;
          for (int l = 0; l < per; l++) {
            b[l] = (float) field.at(i * wid + l % wid, j * wid + (l / wid) % wid, k * wid + l / (wid * wid));
            any |= b[l] != 0;
          }
          if (any) {
            ids.add(mesh.blockId(i, j, k));
            blocks.add(b);
          }
        }
      }
    }
    int[] gids = new int[ids.size()];
    float[] values = new float[ids.size() * per];
    for (int b = 0; b < gids.length; b++) {
      gids[b] = ids.get(b);
      System.arraycopy(blocks.get(b), 0, values, b * per, per);
    }
    return new CellVdf(cellId, mesh, gids, values);
  }

  /**
   * What an error-bounded lossy codec does: every value within {@code +-tol} of the original (uniform noise), values
   * whose magnitude is below {@code tol} set to zero, rounded to float32.
   */
  static CellVdf perturb(CellVdf cell, double tol, long seed) {
    Random rnd = new Random(seed);
    float[] f = cell.values();
    float[] g = new float[f.length];
    for (int i = 0; i < f.length; i++) {
      if (Math.abs(f[i]) < tol) {
        g[i] = 0;
      } else {
        double v = f[i] + tol * (2 * rnd.nextDouble() - 1);
        float r = (float) v;
        // keep the float rounding inside the bound too
        g[i] = Math.abs((double) r - f[i]) <= tol ? r : (float) (f[i] + 0.999 * (v - f[i]));
      }
    }
    return cell.withValues(g);
  }
}
