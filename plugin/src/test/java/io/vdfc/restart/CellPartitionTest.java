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

  private static int[] heads(long[] w, int[] bounds, double share) {
    int[] h = new int[bounds.length - 1];
    for (int r = 0; r < h.length; r++) {
      h[r] = CellPartition.head(w, bounds[r], bounds[r + 1], share);
    }
    return h;
  }

  /** The time the slowest rank needs for what is left after the first parts, with the boundaries {@code split}. */
  private static double finish(long[] w, int[] bounds, int[] heads, double[] speeds, int[] split) {
    double t = 0;
    for (int r = 0; r < speeds.length; r++) {
      long left = CellPartition.weight(w, split[r], bounds[r]);
      long right = CellPartition.weight(w, heads[r], split[r + 1]);
      t = Math.max(t, (left + right) / speeds[r]);
    }
    return t;
  }

  /** One contiguous range per rank, each holding its first part; the new boundaries lie in the rests. */
  private static void assertValid(long[] w, int[] bounds, int[] heads, int[] split) {
    int ranks = heads.length;
    assertEquals(0, split[0]);
    assertEquals(w.length, split[ranks]);
    for (int r = 1; r < ranks; r++) {
      assertTrue(split[r] >= heads[r - 1] && split[r] <= bounds[r],
          "boundary " + r + " = " + split[r] + " outside [" + heads[r - 1] + ", " + bounds[r] + "]");
    }
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

  @Test
  void equalSpeedsKeepTheBalancedRanges() throws Exception {
    long[] w;
    try (VlsvVdfSource src = VlsvVdfSource.open(SharedData.realRestart())) {
      w = CellPartition.weights(src.index("proton").blocksPerCell());
    }
    for (int ranks : new int[] {2, 3, 4}) {
      int[] bounds = CellPartition.balanced(w, ranks);
      int[] h = heads(w, bounds, 0.5);
      double[] speeds = new double[ranks];
      java.util.Arrays.fill(speeds, 1e6);
      int[] split = CellPartition.rebalanced(w, bounds, h, speeds);
      assertValid(w, bounds, h, split);
      // the re-split is never slower than the balanced ranges, and with equal speeds they are near-optimal already
      assertTrue(finish(w, bounds, h, speeds, split) <= finish(w, bounds, h, speeds, bounds) * (1 + 1e-9));
    }
  }

  /**
   * The real restart's cells on 2 ranks, rank 0 running at 0.8 of rank 1's speed (a core shared with other work): rank 0
   * gives cells away, and both finish within one cell of each other instead of 25 % apart.
   */
  @Test
  void aSlowerRankGivesCellsToTheNext() throws Exception {
    long[] w;
    try (VlsvVdfSource src = VlsvVdfSource.open(SharedData.realRestart())) {
      w = CellPartition.weights(src.index("proton").blocksPerCell());
    }
    int[] bounds = CellPartition.balanced(w, 2);
    int[] h = heads(w, bounds, VlsvCompressor.FIRST_SHARE);
    double[] speeds = {0.8e6, 1e6};
    int[] split = CellPartition.rebalanced(w, bounds, h, speeds);
    assertValid(w, bounds, h, split);
    assertTrue(split[1] < bounds[1], "rank 0 keeps its balanced range: " + split[1]);
    double t0 = CellPartition.weight(w, h[0], split[1]) / speeds[0];
    double t1 = (CellPartition.weight(w, split[1], bounds[1]) + CellPartition.weight(w, h[1], w.length)) / speeds[1];
    long largest = 0;
    for (long b : w) {
      largest = Math.max(largest, b + 1);
    }
    assertTrue(Math.abs(t0 - t1) <= largest / speeds[0], t0 + " s vs " + t1 + " s");
    double before = finish(w, bounds, h, speeds, bounds);
    assertTrue(finish(w, bounds, h, speeds, split) < 0.92 * before, "no gain: " + before);
  }

  /** Against every valid set of boundaries, on small random cases: the re-split is the fastest there is. */
  @Test
  void theResplitIsTheFastestPossible() {
    Random rnd = new Random(7);
    for (int trial = 0; trial < 300; trial++) {
      int ranks = 2 + rnd.nextInt(2);
      int n = ranks + rnd.nextInt(10);
      long[] w = new long[n];
      for (int i = 0; i < n; i++) {
        w[i] = rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(100);
      }
      int[] bounds = CellPartition.balanced(w, ranks);
      int[] h = heads(w, bounds, rnd.nextDouble());
      double[] speeds = new double[ranks];
      for (int r = 0; r < ranks; r++) {
        speeds[r] = 0.5 + rnd.nextDouble();
      }
      int[] split = CellPartition.rebalanced(w, bounds, h, speeds);
      assertValid(w, bounds, h, split);
      double best = bestByEnumeration(w, bounds, h, speeds, new int[ranks + 1], 1);
      assertEquals(best, finish(w, bounds, h, speeds, split), best * 1e-6, "trial " + trial);
    }
  }

  private static double bestByEnumeration(long[] w, int[] bounds, int[] h, double[] speeds, int[] split, int r) {
    int ranks = speeds.length;
    if (r == ranks) {
      split[ranks] = w.length;
      return finish(w, bounds, h, speeds, split);
    }
    double best = Double.POSITIVE_INFINITY;
    for (int b = h[r - 1]; b <= bounds[r]; b++) {
      split[r] = b;
      best = Math.min(best, bestByEnumeration(w, bounds, h, speeds, split, r + 1));
    }
    return best;
  }

  @Test
  void aSpeedThatIsNotAPositiveNumberKeepsTheBalancedRanges() {
    long[] w = {5, 7, 1, 9, 3, 3, 8, 2};
    int[] bounds = CellPartition.balanced(w, 2);
    int[] h = heads(w, bounds, 0.25);
    for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertArrayEquals(bounds, CellPartition.rebalanced(w, bounds, h, new double[] {1, bad}), "speed " + bad);
    }
  }
}
