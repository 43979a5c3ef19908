package io.vdfc.vdf;

import java.util.Arrays;

/**
 * Cell ID to position in a population's stored order, for files of millions of cells: the IDs sorted once, looked up by
 * binary search, 12 bytes a cell and no boxing (a {@code HashMap<Long, Integer>} took about 80, and a linear scan per
 * lookup made a pass over all cells quadratic).
 */
public final class CellPositions {
  private final long[] sorted;
  /** {@code at[k]}: the position of {@code sorted[k]}; of equal IDs the one listed first comes first. */
  private final int[] at;

  /** @param cellIds the cell IDs in stored order (not modified, not kept) */
  public CellPositions(long[] cellIds) {
    sorted = cellIds.clone();
    Arrays.sort(sorted);
    at = new int[sorted.length];
    int[] taken = new int[sorted.length]; // at the first slot of each run of equal IDs: how many of it are placed
    for (int p = 0; p < cellIds.length; p++) {
      int k = first(cellIds[p]);
      at[k + taken[k]++] = p; // an ID listed again takes the next slot of its run
    }
  }

  /** The position of {@code cellId} (the first, if it is listed more than once), or -1 if it is not listed. */
  public int find(long cellId) {
    int k = first(cellId);
    return k < sorted.length && sorted[k] == cellId ? at[k] : -1;
  }

  /**
   * The first entry, in stored order, whose ID an earlier entry has already: {@code {earlier, entry}}, or null when
   * every ID is listed once.
   */
  public int[] firstRepeat() {
    int[] best = null;
    int runStart = 0;
    for (int k = 1; k < sorted.length; k++) {
      if (sorted[k] != sorted[k - 1]) {
        runStart = k;
      } else if (k == runStart + 1 && (best == null || at[k] < best[1])) { // a run's second entry: its first repeat
        best = new int[] {at[runStart], at[k]};
      }
    }
    return best;
  }

  /** The first index of {@code id} in {@link #sorted}, or where it would be inserted. */
  private int first(long id) {
    int lo = 0, hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] < id) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
