package io.vdfc.vdf;

import java.util.Objects;

/**
 * The sparse VDF of one spatial cell and one population: its blocks in stored order (Vlasiator's hash-map order,
 * not sorted) and their values, {@code mesh.cellsPerBlock()} float32 values per block, block after block.
 *
 * <p>Arrays are shared, not copied: a codec or corrector that must not modify its input copies it itself.
 */
public record CellVdf(long cellId, VelocityMesh mesh, int[] blockIds, float[] values) {

  public CellVdf {
    Objects.requireNonNull(mesh, "mesh");
    Objects.requireNonNull(blockIds, "blockIds");
    Objects.requireNonNull(values, "values");
    if ((long) blockIds.length * mesh.cellsPerBlock() != values.length) {
      throw new IllegalArgumentException(
          "cell " + cellId + " of " + mesh.population() + ": " + values.length + " values for " + blockIds.length
              + " blocks of " + mesh.cellsPerBlock() + " cells");
    }
  }

  public int blockCount() {
    return blockIds.length;
  }

  /**
   * Bytes of Vlasiator's own representation of this cell (metrics.md): per block {@code cellsPerBlock} float32 values
   * plus a 4-byte block ID.
   */
  public long referenceBytes() {
    return (long) blockIds.length * (4L * mesh.cellsPerBlock() + 4L);
  }

  /** Largest value of the cell, 0 for an empty cell. NaN if any value is NaN. */
  public float peak() {
    float max = 0f;
    for (float v : values) {
      if (Float.isNaN(v)) {
        return Float.NaN;
      }
      max = Math.max(max, v);
    }
    return max;
  }

  /** A copy with other values for the same blocks. */
  public CellVdf withValues(float[] newValues) {
    return new CellVdf(cellId, mesh, blockIds, newValues);
  }
}
