package io.vdfc.restart;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vdfc.testing.SharedData;
import io.vdfc.vdf.VlsvVdfSource;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The balanced partition and its re-split by the ranks' measured speed. */
class CellPartitionTest {

  /** The time the slowest rank needs for what is left after the first parts, with the boundaries {@code split}. */
  private static double finish(long[] w, CellPartition.FirstParts first, double[] speeds, int[] split) {
    double t = 0;
    for (int r = 0; r < speeds.length; r++) {
      long left = CellPartition.weight(w, split[r], first.starts()[r]);
      long right = CellPartition.weight(w, first.ends()[r], split[r + 1]);
      t = Math.max(t, (left + right) / speeds[r]);
    }
    return t;
  }

  /** One contiguous range per rank, each holding its first part; the new boundaries lie in the rests. */
  private static void assertValid(long[] w, CellPartition.FirstParts first, int[] split) {
    int ranks = split.length - 1;
    assertEquals(0, split[0]);
    assertEquals(w.length, split[ranks]);
    for (int r = 1; r < ranks; r++) {
      int lo = first.ends()[r - 1], hi = first.starts()[r];
      assertTrue(split[r] >= lo && split[r] <= hi, "boundary " + r + " = " + split[r] + " outside [" + lo + ", " + hi
          + "]");
    }
  }

  private static long[] realWeights() throws Exception {
    try (VlsvVdfSource src = VlsvVdfSource.open(SharedData.realRestart())) {
      return CellPartition.weights(src.index("proton").blocksPerCell());
    }
  }

  private static long largest(long[] w) {
    long largest = 0;
    for (long b : w) {
      largest = Math.max(largest, b + 1);
    }
    return largest;
  }

  @Test
  void headIsTheFirstCellPastTheShareOfTheWeight() {
    long[] w = {9, 0, 0, 9, 9}; // weights 10 1 1 10 10
    assertEquals(2, CellPartition.head(w, 0, 4, 0.5)); // [0, 2) weighs 11 of 22: half
    assertEquals(4, CellPartition.head(w, 0, 5, 0.5)); // [0, 3) weighs 12 of 32, [0, 4) 22
    assertEquals(1, CellPartition.head(w, 0, 5, 0.25)); // [0, 1) weighs 10 of 32, over 8
    assertEquals(0, CellPartition.head(w, 0, 5, 0));
    assertEquals(5, CellPartition.head(w, 0, 5, 1));
    assertEquals(1, CellPartition.head(w, 0, 2, 0.5));
    assertEquals(4, CellPartition.head(w, 3, 5, 0.5));
    assertEquals(2, CellPartition.head(w, 2, 2, 0.5));
    assertEquals(32, CellPartition.weight(w, 0, 5));
  }

  /** Rank 0's first part opens its range, the last rank's closes it, the others' lie in the middle of theirs. */
  @Test
  void firstPartsLeaveEveryBoundaryFreeToMoveEitherWay() throws Exception {
    long[] w = realWeights();
    for (int ranks : new int[] {2, 3, 4}) {
      int[] bounds = CellPartition.balanced(w, ranks);
      CellPartition.FirstParts first = CellPartition.FirstParts.of(w, bounds, 0.25);
      for (int r = 0; r < ranks; r++) {
        int lo = bounds[r], hi = bounds[r + 1], a = first.starts()[r], b = first.ends()[r];
        assertTrue(lo <= a && a < b && b <= hi, ranks + " ranks, rank " + r + ": [" + a + ", " + b + ")");
        double share = (double) CellPartition.weight(w, a, b) / CellPartition.weight(w, lo, hi);
        assertEquals(0.25, share, (double) 2 * largest(w) / CellPartition.weight(w, lo, hi), "rank " + r);
        if (r == 0) {
          assertEquals(lo, a);
        } else if (r == ranks - 1) {
          assertEquals(hi, b);
        } else {
          long left = CellPartition.weight(w, lo, a), right = CellPartition.weight(w, b, hi);
          assertEquals(left, right, 2 * largest(w), ranks + " ranks, rank " + r + ": rests " + left + ", " + right);
        }
        if (r > 0) {
          assertTrue(first.ends()[r - 1] < bounds[r] && bounds[r] < first.starts()[r], "boundary " + r + " is stuck");
        }
      }
    }
  }

  @Test
  void equalSpeedsKeepTheBalancedRanges() throws Exception {
    long[] w = realWeights();
    for (int ranks : new int[] {2, 3, 4}) {
      int[] bounds = CellPartition.balanced(w, ranks);
      CellPartition.FirstParts first = CellPartition.FirstParts.of(w, bounds, 0.5);
      double[] speeds = new double[ranks];
      java.util.Arrays.fill(speeds, 1e6);
      int[] split = CellPartition.rebalanced(w, bounds, first, speeds);
      assertValid(w, first, split);
      // the re-split is never slower than the balanced ranges, and with equal speeds it stays within a cell of them
      assertTrue(finish(w, first, speeds, split) <= finish(w, first, speeds, bounds) * (1 + 1e-9));
      for (int r = 1; r < ranks; r++) {
        long moved = split[r] < bounds[r] ? CellPartition.weight(w, split[r], bounds[r])
            : CellPartition.weight(w, bounds[r], split[r]);
        assertTrue(moved <= largest(w), ranks + " ranks, boundary " + r + " moved by " + moved);
      }
    }
  }

  /**
   * The real restart's cells on 2 ranks, one rank running at 0.8 of the other's speed (a core shared with other work):
   * the slower rank gives cells to the other, whichever of the two it is, and both finish within one cell of each
   * other instead of 25 % apart.
   */
  @Test
  void aSlowerRankGivesCellsToTheOtherWhicheverItIs() throws Exception {
    long[] w = realWeights();
    int[] bounds = CellPartition.balanced(w, 2);
    CellPartition.FirstParts first = CellPartition.FirstParts.of(w, bounds, VlsvCompressor.FIRST_SHARE);
    for (int slow = 0; slow < 2; slow++) {
      double[] speeds = {1e6, 1e6};
      speeds[slow] = 0.8e6;
      int[] split = CellPartition.rebalanced(w, bounds, first, speeds);
      assertValid(w, first, split);
      assertTrue(slow == 0 ? split[1] < bounds[1] : split[1] > bounds[1], "rank " + slow + " kept its range: "
          + split[1] + " (balanced " + bounds[1] + ")");
      double t0 = CellPartition.weight(w, first.ends()[0], split[1]) / speeds[0];
      double t1 = CellPartition.weight(w, split[1], first.starts()[1]) / speeds[1];
      assertTrue(Math.abs(t0 - t1) <= largest(w) / 0.8e6, "rank " + slow + " slower: " + t0 + " s vs " + t1 + " s");
      double before = finish(w, first, speeds, bounds);
      assertTrue(finish(w, first, speeds, split) < 0.92 * before, "rank " + slow + " slower: no gain on " + before);
    }
  }

  /**
   * Against every valid set of boundaries, on small random cases: the re-split is the fastest there is, with the first
   * parts of {@link CellPartition.FirstParts} and with first parts anywhere in the ranges.
   */
  @Test
  void theResplitIsTheFastestPossible() {
    Random rnd = new Random(7);
    for (int trial = 0; trial < 600; trial++) {
      int ranks = 2 + rnd.nextInt(3);
      int n = ranks + rnd.nextInt(10);
      long[] w = new long[n];
      for (int i = 0; i < n; i++) {
        w[i] = rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(100);
      }
      int[] bounds = CellPartition.balanced(w, ranks);
      CellPartition.FirstParts first = trial % 2 == 0 ? CellPartition.FirstParts.of(w, bounds, rnd.nextDouble())
          : anywhere(rnd, bounds);
      double[] speeds = new double[ranks];
      for (int r = 0; r < ranks; r++) {
        speeds[r] = 0.5 + rnd.nextDouble();
      }
      int[] split = CellPartition.rebalanced(w, bounds, first, speeds);
      assertValid(w, first, split);
      double best = bestByEnumeration(w, first, speeds, new int[ranks + 1], 1);
      assertEquals(best, finish(w, first, speeds, split), best * 1e-6, "trial " + trial);
    }
  }

  /** First parts at random places in each range, empty ones included. */
  private static CellPartition.FirstParts anywhere(Random rnd, int[] bounds) {
    int ranks = bounds.length - 1;
    int[] starts = new int[ranks];
    int[] ends = new int[ranks];
    for (int r = 0; r < ranks; r++) {
      int a = bounds[r] + rnd.nextInt(bounds[r + 1] - bounds[r] + 1);
      int b = bounds[r] + rnd.nextInt(bounds[r + 1] - bounds[r] + 1);
      starts[r] = Math.min(a, b);
      ends[r] = Math.max(a, b);
    }
    return new CellPartition.FirstParts(starts, ends);
  }

  private static double bestByEnumeration(long[] w, CellPartition.FirstParts first, double[] speeds, int[] split,
      int r) {
    int ranks = speeds.length;
    if (r == ranks) {
      split[ranks] = w.length;
      return finish(w, first, speeds, split);
    }
    double best = Double.POSITIVE_INFINITY;
    for (int b = first.ends()[r - 1]; b <= first.starts()[r]; b++) {
      split[r] = b;
      best = Math.min(best, bestByEnumeration(w, first, speeds, split, r + 1));
    }
    return best;
  }

  @Test
  void aSpeedThatIsNotAPositiveNumberKeepsTheBalancedRanges() {
    long[] w = {5, 7, 1, 9, 3, 3, 8, 2};
    int[] bounds = CellPartition.balanced(w, 2);
    CellPartition.FirstParts first = CellPartition.FirstParts.of(w, bounds, 0.25);
    for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertArrayEquals(bounds, CellPartition.rebalanced(w, bounds, first, new double[] {1, bad}), "speed " + bad);
    }
  }
}
