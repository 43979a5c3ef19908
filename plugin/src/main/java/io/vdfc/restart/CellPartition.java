package io.vdfc.restart;

/**
 * Contiguous ranges of cells per rank, balanced by block count as Vlasiator's restart reader balances them. The same
 * inputs give the same ranges on every rank.
 */
public final class CellPartition {
  private CellPartition() {
    throw new AssertionError("no instances");
  }

  /** Block counts as partition weights. */
  public static long[] weights(int[] blocksPerCell) {
    long[] w = new long[blocksPerCell.length];
    for (int i = 0; i < w.length; i++) {
      w[i] = blocksPerCell[i];
    }
    return w;
  }

  /**
   * @return {@code ranks+1} boundaries: rank r owns cells {@code [b[r], b[r+1])}
   */
  public static int[] balanced(long[] blocksPerCell, int ranks) {
    int n = blocksPerCell.length;
    long total = 0;
    for (long b : blocksPerCell) {
      total += b + 1; // +1: empty cells still cost a record
    }
    int[] bounds = new int[ranks + 1];
    long acc = 0;
    int cell = 0;
    for (int r = 1; r < ranks; r++) {
      long goal = total * r / ranks;
      while (cell < n && acc + (blocksPerCell[cell] + 1) / 2 < goal) {
        acc += blocksPerCell[cell] + 1;
        cell++;
      }
      bounds[r] = cell;
    }
    bounds[ranks] = n;
    return bounds;
  }
}
