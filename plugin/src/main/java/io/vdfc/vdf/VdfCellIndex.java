package io.vdfc.vdf;

import java.util.OptionalInt;

/**
 * Where each cell's blocks lie in a population's BLOCKIDS/BLOCKVARIABLE arrays: the cells in stored order (not
 * sorted), their block counts, and the first block of each ({@code firstBlock(p) = sum(blocksPerCell[0..p-1])}).
 *
 * <p>Arrays are shared, not copied: do not modify them.
 */
public final class VdfCellIndex {
  private final long[] cellIds;
  private final int[] blocksPerCell;
  private final long[] firstBlock;
  private final CellPositions positions;

  /** Builds the index from cell IDs and block counts (same length, counts non-negative). */
  public VdfCellIndex(long[] cellIds, int[] blocksPerCell) {
    this(cellIds, blocksPerCell, new CellPositions(cellIds));
  }

  /** As {@link #VdfCellIndex(long[], int[])}, with the positions of {@code cellIds} already built. */
  VdfCellIndex(long[] cellIds, int[] blocksPerCell, CellPositions positions) {
    if (cellIds.length != blocksPerCell.length) {
      throw new IllegalArgumentException(cellIds.length + " cell IDs but " + blocksPerCell.length + " block counts");
    }
    this.cellIds = cellIds;
    this.blocksPerCell = blocksPerCell;
    this.firstBlock = new long[cellIds.length + 1];
    for (int p = 0; p < cellIds.length; p++) {
      if (blocksPerCell[p] < 0) {
        throw new IllegalArgumentException("cell " + cellIds[p] + ": negative block count " + blocksPerCell[p]);
      }
      firstBlock[p + 1] = firstBlock[p] + blocksPerCell[p];
    }
    this.positions = positions;
  }

  /** Cell IDs in stored order. */
  public long[] cellIds() {
    return cellIds;
  }

  /** Block count of each cell, same order. */
  public int[] blocksPerCell() {
    return blocksPerCell;
  }

  public int cellCount() {
    return cellIds.length;
  }

  /** Index of the first block of the cell at {@code position}; {@code firstBlock(cellCount())} is the total. */
  public long firstBlock(int position) {
    return firstBlock[position];
  }

  public long totalBlocks() {
    return firstBlock[cellIds.length];
  }

  /** Position of a cell ID in stored order (the first, if listed twice). */
  public OptionalInt position(long cellId) {
    int p = positions.find(cellId);
    return p < 0 ? OptionalInt.empty() : OptionalInt.of(p);
  }

  @Override
  public String toString() {
    return "VdfCellIndex[" + cellIds.length + " cells, " + totalBlocks() + " blocks]";
  }
}
