package io.vdfc.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vdfc.metrics.ErrorMetrics;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VelocityMesh;
import org.junit.jupiter.api.Test;

/** The density-weighted means of {@link MetricSummary}, and how they are merged across ranks. */
class MetricSummaryTest {
  private static final VelocityMesh MESH = new VelocityMesh("proton", 4, 4, 4, 4, -1, -1, -1, 0.1, 0.1, 0.1);

  /** A one-block cell with a bump of height {@code peak}, and the same with every value off by {@code rel}. */
  private static ErrorMetrics cell(long id, double peak, double rel, float nanAt) {
    float[] v = new float[64];
    for (int i = 0; i < 64; i++) {
      v[i] = (float) (peak * Math.exp(-((i % 4) - 1.5) * ((i % 4) - 1.5)));
    }
    float[] w = v.clone();
    for (int i = 0; i < 64; i++) {
      w[i] = (float) (v[i] * (1 + rel * ((i % 3) - 1)));
    }
    if (nanAt >= 0) {
      v[(int) nanAt] = Float.NaN; // stored losslessly: the reconstruction has it too
      w[(int) nanAt] = Float.NaN;
    }
    return ErrorMetrics.compare(new CellVdf(id, MESH, new int[] {0}, v), new CellVdf(id, MESH, new int[] {0}, w));
  }

  @Test
  void theMeansWeighByDensityAndLeaveOutACellWithANonFiniteDensity() {
    ErrorMetrics a = cell(1, 1e-12, 1e-3, -1);
    ErrorMetrics b = cell(2, 3e-12, 4e-3, -1);
    MetricSummary s = new MetricSummary();
    s.add(a, 1);
    s.add(b, 1);
    double na = a.original().n(), nb = b.original().n();
    for (int m = 0; m < MetricSummary.NAMES.length; m++) {
      double[] v = values(a), u = values(b);
      assertEquals((na * v[m] + nb * u[m]) / (na + nb), s.mean(m), 1e-12 * Math.abs(s.mean(m)) + 1e-300,
          MetricSummary.NAMES[m]);
    }
    // a cell with a NaN value (its density is NaN): kept out of the means, which had all become 0
    ErrorMetrics nan = cell(3, 2e-12, 1e-2, 5);
    assertTrue(Double.isNaN(nan.original().n()));
    MetricSummary t = new MetricSummary();
    t.add(a, 1);
    t.add(nan, 1);
    t.add(b, 1);
    for (int m = 0; m < MetricSummary.NAMES.length; m++) {
      assertEquals(s.mean(m), t.mean(m), 1e-12 * Math.abs(s.mean(m)) + 1e-300, MetricSummary.NAMES[m]);
    }
    assertEquals(3, t.cells());
    // merged across ranks: the same means as one summary of all cells
    MetricSummary r0 = new MetricSummary(), r1 = new MetricSummary();
    r0.add(a, 1);
    r1.add(nan, 1);
    r1.add(b, 1);
    double[] sums = r0.sumArray();
    double[] other = r1.sumArray();
    for (int i = 0; i < sums.length; i++) {
      sums[i] += other[i];
    }
    long[] counts = r0.countArray();
    for (int i = 0; i < counts.length; i++) {
      counts[i] += r1.countArray()[i];
    }
    double[] max = r0.maxArray();
    for (int i = 0; i < max.length; i++) {
      max[i] = Math.max(max[i], r1.maxArray()[i]);
    }
    MetricSummary merged = MetricSummary.fromArrays(max, sums, counts);
    for (int m = 0; m < MetricSummary.NAMES.length; m++) {
      assertEquals(t.mean(m), merged.mean(m), 1e-12 * Math.abs(t.mean(m)) + 1e-300, MetricSummary.NAMES[m]);
      assertEquals(t.max(m), merged.max(m), MetricSummary.NAMES[m]);
    }
  }

  private static double[] values(ErrorMetrics m) {
    return new double[] {m.errN(), m.errV(), m.errP(), m.l1(), m.l2(), m.maxAbs(), m.errAbsV()};
  }
}
