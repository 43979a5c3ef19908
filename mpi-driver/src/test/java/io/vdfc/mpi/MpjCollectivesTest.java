package io.vdfc.mpi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vdfc.mpi.ranks.AllOpsRank;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every collective on 1 to 4 multicore ranks (3: a size that is no power of two), with payloads of a few bytes and of
 * hundreds of kilobytes, checked against values computed here from each rank's inputs.
 */
class MpjCollectivesTest {

  @ParameterizedTest(name = "{0} ranks")
  @ValueSource(ints = {1, 2, 3, 4})
  void everyOperationGivesTheReducedValueOnEveryRank(int np) throws Exception {
    MpjHarness.Run run = MpjHarness.runRanks(np, AllOpsRank.class.getName(), new String[0], Duration.ofSeconds(30));
    List<Object> values = run.values();
    for (int r = 0; r < np; r++) {
      @SuppressWarnings("unchecked")
      Map<String, Object> got = (Map<String, Object>) values.get(r);
      assertEquals(r, got.get("rank"));
      assertEquals(np, got.get("size"));
      assertArrayEquals(expectedLongs(np, Long::sum), (long[]) got.get("sumLong"), "sum rank " + r);
      assertArrayEquals(expectedLongs(np, Math::min), (long[]) got.get("minLong"));
      assertArrayEquals(expectedLongs(np, Math::max), (long[]) got.get("maxLong"));
      assertArrayEquals(expectedDoubles(np, Double::sum), (double[]) got.get("sumDouble"), 0.0);
      assertArrayEquals(expectedDoubles(np, Math::min), (double[]) got.get("minDouble"), 0.0);
      assertArrayEquals(expectedDoubles(np, Math::max), (double[]) got.get("maxDouble"), 0.0);
      assertEquals(0, ((long[]) got.get("empty")).length);
      assertArrayEquals(AllOpsRank.broadcastPayload(), (byte[]) got.get("broadcast"));
      byte[][] gathered = (byte[][]) got.get("allgather");
      assertEquals(np, gathered.length);
      for (int q = 0; q < np; q++) {
        assertArrayEquals(AllOpsRank.gatherPayload(q), gathered[q], "rank " + r + " got rank " + q + "'s bytes");
      }
      long scan = 0;
      for (int q = 0; q < r; q++) {
        scan += AllOpsRank.scanValue(q);
      }
      assertEquals(scan, got.get("scan"));
      long[] bigSum = new long[AllOpsRank.bigLongs(0).length];
      for (int q = 0; q < np; q++) {
        long[] v = AllOpsRank.bigLongs(q);
        for (int i = 0; i < v.length; i++) {
          bigSum[i] += v[i];
        }
      }
      assertArrayEquals(bigSum, (long[]) got.get("bigSumLong"));
      // as Math.min and Math.max fold them, bit for bit: NaN kept, -0.0 below 0.0 (JUnit compares the bits)
      double[] min = fold(np, AllOpsRank::bigDoubles, Math::min);
      double[] max = fold(np, AllOpsRank::bigDoubles, Math::max);
      assertArrayEquals(min, (double[]) got.get("bigMinDouble"), "min rank " + r);
      assertArrayEquals(max, (double[]) got.get("bigMaxDouble"), "max rank " + r);
      assertArrayEquals(AllOpsRank.bigPayload(0), (byte[]) got.get("bigBroadcast"));
      byte[][] bigGathered = (byte[][]) got.get("bigAllgather");
      for (int q = 0; q < np; q++) {
        assertArrayEquals(AllOpsRank.bigPayload(q), bigGathered[q], "rank " + r + " got rank " + q + "'s big bytes");
      }
    }
  }

  @ParameterizedTest(name = "run {0}")
  @ValueSource(ints = {1, 2, 3})
  void repeatedRunsInOneJvmStayIndependent(int attempt) throws Exception {
    MpjHarness.Run run = MpjHarness.runRanks(4, AllOpsRank.class.getName(), new String[] {"5"}, Duration.ofSeconds(30));
    assertEquals(4, run.values().size());
    assertTrue(run.elapsed().toMillis() < 10_000, "4 ranks x 5 rounds took " + run.elapsed());
  }

  private static long[] expectedLongs(int np, java.util.function.LongBinaryOperator op) {
    long[] acc = AllOpsRank.longs(0);
    for (int q = 1; q < np; q++) {
      long[] v = AllOpsRank.longs(q);
      for (int i = 0; i < acc.length; i++) {
        acc[i] = op.applyAsLong(acc[i], v[i]);
      }
    }
    return acc;
  }

  /** Summed in rank order; the inputs are chosen so any order gives the same doubles. */
  private static double[] expectedDoubles(int np, java.util.function.DoubleBinaryOperator op) {
    return fold(np, AllOpsRank::doubles, op);
  }

  /** {@code of(0)} .. {@code of(np - 1)} folded element by element with {@code op}, in rank order. */
  private static double[] fold(int np, java.util.function.IntFunction<double[]> of,
      java.util.function.DoubleBinaryOperator op) {
    double[] acc = of.apply(0);
    for (int q = 1; q < np; q++) {
      double[] v = of.apply(q);
      for (int i = 0; i < acc.length; i++) {
        acc[i] = op.applyAsDouble(acc[i], v[i]);
      }
    }
    return acc;
  }
}
