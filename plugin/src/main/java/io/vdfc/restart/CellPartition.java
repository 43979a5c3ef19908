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

  /**
   * The end of the first {@code share} of a range by weight: the first cell {@code m} in {@code [lo, hi]} whose cells
   * {@code [lo, m)} weigh at least {@code share} of {@code [lo, hi)} (block count + 1 each, as in {@link #balanced}).
   */
  public static int head(long[] blocksPerCell, int lo, int hi, double share) {
    double goal = share * weight(blocksPerCell, lo, hi);
    long acc = 0;
    int m = lo;
    while (m < hi && acc < goal) {
      acc += blocksPerCell[m] + 1;
      m++;
    }
    return m;
  }

  /** The weight of cells {@code [lo, hi)}: block count + 1 each, as in {@link #balanced}. */
  public static long weight(long[] blocksPerCell, int lo, int hi) {
    long w = 0;
    for (int i = lo; i < hi; i++) {
      w += blocksPerCell[i] + 1;
    }
    return w;
  }

  /**
   * Splits what is left of a {@link #balanced} partition between the ranks by their measured speed, once every rank
   * has done a first part {@code [bounds[r], firstEnds[r])} of its range; the same inputs give the same result on every
   * rank. Rank r keeps one contiguous range: it goes on to the right of its first part into its own rest, and rank r+1
   * may take the end of that rest from the left, so the new boundary between ranks r and r+1 lies in {@code
   * [firstEnds[r], bounds[r+1]]}. The boundaries are those that let the slowest rank finish first (the smallest time T
   * in which every rank r can do its share at {@code speeds[r]} weight per second, searched by bisection; each rank
   * takes whole cells). With a speed that is not a positive finite number the balanced partition stands.
   *
   * @param firstEnds per rank, the end of the part done first, within {@code [bounds[r], bounds[r+1]]}
   * @param speeds per rank, weight (block count + 1 per cell) per second
   * @return {@code ranks+1} boundaries as from {@link #balanced}
   */
  public static int[] rebalanced(long[] blocksPerCell, int[] bounds, int[] firstEnds, double[] speeds) {
    int ranks = speeds.length;
    for (double s : speeds) {
      if (!(s > 0) || Double.isInfinite(s)) {
        return bounds.clone();
      }
    }
    long[] prefix = new long[blocksPerCell.length + 1];
    for (int i = 0; i < blocksPerCell.length; i++) {
      prefix[i + 1] = prefix[i] + blocksPerCell[i] + 1;
    }
    double hiT = 0;
    for (int r = 0; r < ranks; r++) {
      hiT = Math.max(hiT, (prefix[bounds[r + 1]] - prefix[firstEnds[r]]) / speeds[r]);
    }
    int[] best = bounds.clone();
    double loT = 0;
    for (int it = 0; it < 64 && hiT - loT > 1e-9 * hiT; it++) {
      double t = (loT + hiT) / 2;
      int[] split = splitWithin(prefix, bounds, firstEnds, speeds, t);
      if (split == null) {
        loT = t;
      } else {
        hiT = t;
        best = split;
      }
    }
    return best;
  }

  /**
   * Boundaries with which every rank does its share within {@code t} seconds, each rank but the last taking as many
   * cells of its rest as it can; null if there are none. {@code prefix[i]}: the weight of cells {@code [0, i)}.
   */
  private static int[] splitWithin(long[] prefix, int[] bounds, int[] firstEnds, double[] speeds, double t) {
    int ranks = speeds.length;
    int[] split = new int[ranks + 1];
    split[ranks] = bounds[ranks];
    for (int r = 0; r < ranks; r++) {
      double budget = speeds[r] * t - (prefix[bounds[r]] - prefix[split[r]]); // the end of rank r-1's rest
      if (budget < 0) {
        return null;
      }
      if (r == ranks - 1) {
        return prefix[bounds[ranks]] - prefix[firstEnds[r]] <= budget ? split : null;
      }
      int lo = firstEnds[r], hi = bounds[r + 1]; // the last end within the budget: prefix[end] - prefix[first] <= budget
      while (lo < hi) {
        int mid = (lo + hi + 1) >>> 1;
        if (prefix[mid] - prefix[firstEnds[r]] <= budget) {
          lo = mid;
        } else {
          hi = mid - 1;
        }
      }
      split[r + 1] = lo;
    }
    return split;
  }
}
