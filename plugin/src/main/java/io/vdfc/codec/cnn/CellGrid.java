package io.vdfc.codec.cnn;

import io.vdfc.codec.grid.DenseBox;
import io.vdfc.codec.nn.LogScale;
import io.vdfc.vdf.VelocityMesh;

/**
 * A cell's blocks as the network's grid: the bounding box of the blocks ({@link DenseBox}) grown at its high end to a
 * multiple of {@code 2^levels} cells per axis, holding {@link LogScale} targets (0 outside the blocks and in the
 * padding). Index {@code x + X * (y + Y * z)}, box origin at 0.
 */
final class CellGrid {
  /** Largest grid a cell may have (cells per grid); a cell with a larger one is coded without the network. */
  static final int MAX_CELLS = 1 << 24;

  final DenseBox box;
  final int[] dims;

  private CellGrid(DenseBox box, int[] dims) {
    this.box = box;
    this.dims = dims;
  }

  /** The grid of a cell's blocks, or null when it would exceed {@link #MAX_CELLS} (or the cell has no blocks). */
  static CellGrid of(VelocityMesh mesh, int[] blockIds, int multiple) {
    if (blockIds.length == 0) {
      return null;
    }
    DenseBox box;
    try {
      box = DenseBox.of(mesh, blockIds);
    } catch (IllegalArgumentException tooLarge) {
      return null;
    }
    int[] d = {up(box.nx, multiple), up(box.ny, multiple), up(box.nz, multiple)};
    if ((long) d[0] * d[1] * d[2] > MAX_CELLS) {
      return null;
    }
    return new CellGrid(box, d);
  }

  private static int up(int n, int m) {
    return (n + m - 1) / m * m;
  }

  int size() {
    return dims[0] * dims[1] * dims[2];
  }

  /** Cells of the grid inside the cell's blocks, as a fraction of the grid. */
  double fill(int blockCount, int cellsPerBlock) {
    return (double) blockCount * cellsPerBlock / size();
  }

  /** The network's targets: {@code log.target(f)} of the cell's values, 0 elsewhere. */
  float[] targets(float[] values, LogScale log) {
    float[] t = pad(box.toDense(values));
    for (int i = 0; i < t.length; i++) {
      t[i] = t[i] == 0f ? 0f : log.target(t[i]);
    }
    return t;
  }

  /** A box-shaped array placed into the grid (zeros in the padding). */
  float[] pad(float[] boxed) {
    float[] g = new float[size()];
    for (int z = 0; z < box.nz; z++) {
      for (int y = 0; y < box.ny; y++) {
        System.arraycopy(boxed, box.nx * (y + box.ny * z), g, dims[0] * (y + dims[1] * z), box.nx);
      }
    }
    return g;
  }

  /** The values of the cell's blocks (stored order) that a network output grid stands for. */
  float[] values(float[] output, LogScale log) {
    float[] boxed = new float[box.size()];
    for (int z = 0; z < box.nz; z++) {
      for (int y = 0; y < box.ny; y++) {
        System.arraycopy(output, dims[0] * (y + dims[1] * z), boxed, box.nx * (y + box.ny * z), box.nx);
      }
    }
    float[] v = box.toBlocks(boxed);
    for (int i = 0; i < v.length; i++) {
      v[i] = log.value(v[i]);
    }
    return v;
  }
}
