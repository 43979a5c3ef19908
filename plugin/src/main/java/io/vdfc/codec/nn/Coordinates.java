package io.vdfc.codec.nn;

import io.vdfc.codec.grid.DenseBox;
import io.vdfc.vdf.VelocityMesh;
import java.util.SplittableRandom;

/**
 * Network inputs for the velocity cells of a cell's blocks (stored block order, 64 values per block): the velocity
 * normalised to {@code [-1, 1]} over the bounding box of the blocks, then optionally {@code order} random Fourier
 * features {@code sin(2 pi B u)}, {@code cos(2 pi B u)} with {@code B} an {@code order x 3} Gaussian matrix of standard
 * deviation {@code sigma} drawn from {@code seed} (Tancik et al. 2020). Computed with {@link StrictMath}, so encoder
 * and decoder see the same bits on every JVM.
 */
public final class Coordinates {
  private Coordinates() {
    throw new AssertionError("no instances");
  }

  /** Features per velocity cell. */
  public static int width(int order) {
    return 3 + 2 * order;
  }

  /** {@code blockIds.length * 64} rows of {@link #width} features, velocities normalised over the blocks' bounding box. */
  public static float[] features(VelocityMesh mesh, int[] blockIds, int order, double sigma, long seed) {
    DenseBox box = DenseBox.of(mesh, blockIds);
    double hx = Math.max(1, box.nx) / 2.0, hy = Math.max(1, box.ny) / 2.0, hz = Math.max(1, box.nz) / 2.0;
    double[] centre = {mesh.vxMin() + (box.x0 + hx) * mesh.dvx(), mesh.vyMin() + (box.y0 + hy) * mesh.dvy(),
        mesh.vzMin() + (box.z0 + hz) * mesh.dvz()};
    double[] half = {hx * mesh.dvx(), hy * mesh.dvy(), hz * mesh.dvz()};
    return features(mesh, blockIds, centre, half, order, sigma, seed);
  }

  /**
   * {@code blockIds.length * 64} rows of {@link #width} features, the velocity of each velocity cell normalised as
   * {@code (v - centre) / half} per axis.
   */
  public static float[] features(VelocityMesh mesh, int[] blockIds, double[] centre, double[] half, int order,
      double sigma, long seed) {
    int w = mesh.wid(), per = mesh.cellsPerBlock();
    int fw = width(order);
    double[] bm = gaussian(order, sigma, seed);
    float[] out = new float[blockIds.length * per * fw];
    int row = 0;
    for (int id : blockIds) {
      int bi = mesh.blockI(id) * w, bj = mesh.blockJ(id) * w, bk = mesh.blockK(id) * w;
      for (int l = 0; l < per; l++) {
        double u = (mesh.vxMin() + (bi + l % w + 0.5) * mesh.dvx() - centre[0]) / half[0];
        double v = (mesh.vyMin() + (bj + (l / w) % w + 0.5) * mesh.dvy() - centre[1]) / half[1];
        double t = (mesh.vzMin() + (bk + l / (w * w) + 0.5) * mesh.dvz() - centre[2]) / half[2];
        int base = row * fw;
        out[base] = (float) u;
        out[base + 1] = (float) v;
        out[base + 2] = (float) t;
        for (int k = 0; k < order; k++) {
          double a = 2 * Math.PI * (bm[3 * k] * u + bm[3 * k + 1] * v + bm[3 * k + 2] * t);
          out[base + 3 + k] = (float) StrictMath.sin(a);
          out[base + 3 + order + k] = (float) StrictMath.cos(a);
        }
        row++;
      }
    }
    return out;
  }

  private static double[] gaussian(int order, double sigma, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] b = new double[3 * order];
    for (int k = 0; k < b.length; k++) {
      // Box-Muller with StrictMath: the same matrix on every JVM.
      double u1 = 1 - r.nextDouble(), u2 = r.nextDouble();
      b[k] = sigma * StrictMath.sqrt(-2 * StrictMath.log(u1)) * StrictMath.cos(2 * Math.PI * u2);
    }
    return b;
  }
}
