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

  /**
   * The parts of a {@link #balanced} partition that the ranks do first, before {@link #rebalanced} splits the rest:
   * {@code share} of each rank's range by weight, placed so that every boundary between two ranks can move either way.
   * Rank 0's part opens its range and the last rank's closes it (neither has a neighbour on that side); the others' lie
   * in the middle of theirs. Rank r's part is {@code [starts[r], ends[r])}.
   */
  public record FirstParts(int[] starts, int[] ends) {

    /** The first parts of {@code share} of every rank's range in {@code bounds}. */
    public static FirstParts of(long[] blocksPerCell, int[] bounds, double share) {
      int ranks = bounds.length - 1;
      int[] starts = new int[ranks];
      int[] ends = new int[ranks];
      for (int r = 0; r < ranks; r++) {
        int lo = bounds[r], hi = bounds[r + 1];
        if (r == 0) {
          starts[r] = lo;
          ends[r] = head(blocksPerCell, lo, hi, share);
        } else if (r == ranks - 1) {
          starts[r] = head(blocksPerCell, lo, hi, 1 - share);
          ends[r] = hi;
        } else {
          starts[r] = head(blocksPerCell, lo, hi, (1 - share) / 2);
          ends[r] = head(blocksPerCell, lo, hi, (1 + share) / 2);
        }
      }
      return new FirstParts(starts, ends);
    }
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
   * has done its first part ({@link FirstParts}); the same inputs give the same result on every rank. Rank r keeps one
   * contiguous range around its first part, so the new boundary between ranks r and r+1 lies between the end of r's
   * first part and the start of r+1's: {@code [first.ends[r], first.starts[r+1]]}, in either rank's rest. The
   * boundaries are those that let the slowest rank finish first (the smallest time T in which every rank r can do its
   * rest at {@code speeds[r]} weight per second, searched by bisection; each rank takes whole cells). With a speed
   * that is not a positive finite number the balanced partition stands.
   *
   * @param first per rank, the part done first, within {@code [bounds[r], bounds[r+1]]}
   * @param speeds per rank, weight (block count + 1 per cell) per second
   * @return {@code ranks+1} boundaries as from {@link #balanced}
   */
  public static int[] rebalanced(long[] blocksPerCell, int[] bounds, FirstParts first, double[] speeds) {
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
      long rest = prefix[first.starts[r]] - prefix[bounds[r]] + prefix[bounds[r + 1]] - prefix[first.ends[r]];
      hiT = Math.max(hiT, rest / speeds[r]);
    }
    int[] best = bounds.clone();
    double loT = 0;
    for (int it = 0; it < 64 && hiT - loT > 1e-9 * hiT; it++) {
      double t = (loT + hiT) / 2;
      int[] split = splitWithin(prefix, bounds, first, speeds, t);
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
   * Boundaries with which every rank does its rest within {@code t} seconds, each rank but the last taking as many
   * cells to the right of its first part as it can (which leaves the next rank least to do on its left); null if there
   * are none. {@code prefix[i]}: the weight of cells {@code [0, i)}.
   */
  private static int[] splitWithin(long[] prefix, int[] bounds, FirstParts first, double[] speeds, double t) {
    int ranks = speeds.length;
    int[] split = new int[ranks + 1];
    split[0] = bounds[0];
    split[ranks] = bounds[ranks];
    for (int r = 0; r < ranks; r++) {
      int from = first.ends[r];
      double budget = speeds[r] * t - (prefix[first.starts[r]] - prefix[split[r]]); // its rest left of its first part
      if (budget < 0) {
        return null;
      }
      if (r == ranks - 1) {
        return prefix[bounds[ranks]] - prefix[from] <= budget ? split : null;
      }
      int lo = from, hi = first.starts[r + 1]; // the last end within the budget: prefix[end] - prefix[from] <= budget
      while (lo < hi) {
        int mid = (lo + hi + 1) >>> 1;
        if (prefix[mid] - prefix[from] <= budget) {
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
