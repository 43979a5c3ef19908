package io.vdfc.codec.grid;

import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VelocityMesh;

/**
 * A cell's sparse blocks laid out densely in the bounding box of its blocks, for codecs that need a grid (DCT, wavelets,
 * fits). Velocity cells outside the stored blocks are 0. Index {@code (i, j, k)} in cells relative to the box origin,
 * x fastest: {@code data[i + nx*(j + ny*k)]}. {@link #toBlocks} takes the values of the cell's own blocks back out, in
 * the cell's stored block order.
 */
public final class DenseBox {
  private final VelocityMesh mesh;
  private final int[] blockIds;
  /** Box origin in velocity cells (block index * wid). */
  public final int x0, y0, z0;
  /** Box size in velocity cells (a multiple of wid). */
  public final int nx, ny, nz;

  private DenseBox(VelocityMesh mesh, int[] blockIds, int x0, int y0, int z0, int nx, int ny, int nz) {
    this.mesh = mesh;
    this.blockIds = blockIds;
    this.x0 = x0;
    this.y0 = y0;
    this.z0 = z0;
    this.nx = nx;
    this.ny = ny;
    this.nz = nz;
  }

  /** The bounding box of the given blocks; an empty cell gives a 0-sized box. */
  public static DenseBox of(VelocityMesh mesh, int[] blockIds) {
    if (blockIds.length == 0) {
      return new DenseBox(mesh, blockIds, 0, 0, 0, 0, 0, 0);
    }
    int i0 = Integer.MAX_VALUE, j0 = Integer.MAX_VALUE, k0 = Integer.MAX_VALUE, i1 = -1, j1 = -1, k1 = -1;
    for (int id : blockIds) {
      int i = mesh.blockI(id), j = mesh.blockJ(id), k = mesh.blockK(id);
      i0 = Math.min(i0, i);
      j0 = Math.min(j0, j);
      k0 = Math.min(k0, k);
      i1 = Math.max(i1, i);
      j1 = Math.max(j1, j);
      k1 = Math.max(k1, k);
    }
    int w = mesh.wid();
    long cells = (long) (i1 - i0 + 1) * (j1 - j0 + 1) * (k1 - k0 + 1) * w * w * w;
    if (cells > Integer.MAX_VALUE / 2) {
      throw new IllegalArgumentException("bounding box of " + blockIds.length + " blocks holds " + cells + " cells, too many");
    }
    return new DenseBox(mesh, blockIds, i0 * w, j0 * w, k0 * w, (i1 - i0 + 1) * w, (j1 - j0 + 1) * w, (k1 - k0 + 1) * w);
  }

  public int size() {
    return nx * ny * nz;
  }

  public int index(int i, int j, int k) {
    return i + nx * (j + ny * k);
  }

  /** The cell's values on the dense box. */
  public float[] toDense(float[] blockValues) {
    float[] d = new float[size()];
    int w = mesh.wid(), per = mesh.cellsPerBlock();
    for (int b = 0; b < blockIds.length; b++) {
      int bi = mesh.blockI(blockIds[b]) * w - x0, bj = mesh.blockJ(blockIds[b]) * w - y0, bk = mesh.blockK(blockIds[b]) * w - z0;
      for (int l = 0; l < per; l++) {
        d[index(bi + l % w, bj + (l / w) % w, bk + l / (w * w))] = blockValues[b * per + l];
      }
    }
    return d;
  }

  /** The values of the cell's blocks, in stored block order, taken from a dense box of this shape. */
  public float[] toBlocks(float[] dense) {
    int w = mesh.wid(), per = mesh.cellsPerBlock();
    float[] v = new float[blockIds.length * per];
    for (int b = 0; b < blockIds.length; b++) {
      int bi = mesh.blockI(blockIds[b]) * w - x0, bj = mesh.blockJ(blockIds[b]) * w - y0, bk = mesh.blockK(blockIds[b]) * w - z0;
      for (int l = 0; l < per; l++) {
        v[b * per + l] = dense[index(bi + l % w, bj + (l / w) % w, bk + l / (w * w))];
      }
    }
    return v;
  }

  /** True where the box lies inside one of the cell's blocks. */
  public boolean[] mask() {
    boolean[] m = new boolean[size()];
    int w = mesh.wid(), per = mesh.cellsPerBlock();
    for (int id : blockIds) {
      int bi = mesh.blockI(id) * w - x0, bj = mesh.blockJ(id) * w - y0, bk = mesh.blockK(id) * w - z0;
      for (int l = 0; l < per; l++) {
        m[index(bi + l % w, bj + (l / w) % w, bk + l / (w * w))] = true;
      }
    }
    return m;
  }

  /** Centre velocity of box cell i along x (and likewise y, z). */
  public double vx(int i) {
    return mesh.vxMin() + (x0 + i + 0.5) * mesh.dvx();
  }

  public double vy(int j) {
    return mesh.vyMin() + (y0 + j + 0.5) * mesh.dvy();
  }

  public double vz(int k) {
    return mesh.vzMin() + (z0 + k + 0.5) * mesh.dvz();
  }

  public static DenseBox of(CellVdf cell) {
    return of(cell.mesh(), cell.blockIds());
  }
}
