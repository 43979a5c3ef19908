package io.vdfc.verify;

import io.vdfc.metrics.ErrorMetrics;

/**
 * Per-population accumulation of {@link ErrorMetrics} over cells: the maximum of each metric and its density-weighted
 * mean (metrics.md, "A whole file or rank"). Mergeable across ranks through {@link #toArrays}/{@link #fromArrays}.
 */
public final class MetricSummary {
  /** Metric order in the arrays: errN, errV, errP, l1, l2, maxAbs, errAbsV. */
  public static final String[] NAMES = {"err_n", "err_V", "err_P", "L1", "L2", "max_abs", "err_absV"};
  private final double[] max = new double[NAMES.length];
  private final double[] weighted = new double[NAMES.length];
  /** Per metric: the densities of the cells in its mean (those with a finite density and a finite metric). */
  private final double[] weight = new double[NAMES.length];
  private long cells;
  private long blocks;
  private long neg;
  private long boundViolations;

  public synchronized void add(ErrorMetrics m, int blockCount) {
    double[] v = {m.errN(), m.errV(), m.errP(), m.l1(), m.l2(), m.maxAbs(), m.errAbsV()};
    double w = Math.abs(m.original().n());
    for (int i = 0; i < v.length; i++) {
      max[i] = Math.max(max[i], v[i]);
      // a cell whose density or metric is not finite (a NaN value, stored losslessly) has no place in a mean: its
      // density had made every mean 0
      if (w > 0 && Double.isFinite(w) && Double.isFinite(v[i])) {
        weighted[i] += w * v[i];
        weight[i] += w;
      }
    }
    cells++;
    blocks += blockCount;
    neg += m.neg();
  }

  public synchronized void addBoundViolation() {
    boundViolations++;
  }

  public double max(int metric) {
    return max[metric];
  }

  public double mean(int metric) {
    return weight[metric] > 0 ? weighted[metric] / weight[metric] : 0;
  }

  public long cells() {
    return cells;
  }

  public long blocks() {
    return blocks;
  }

  public long neg() {
    return neg;
  }

  public long boundViolations() {
    return boundViolations;
  }

  /** {maxima} and {weighted sums..., weights...} and {cells, blocks, neg, violations}, for collectives. */
  public double[] maxArray() {
    return max.clone();
  }

  public double[] sumArray() {
    double[] s = new double[2 * NAMES.length];
    System.arraycopy(weighted, 0, s, 0, NAMES.length);
    System.arraycopy(weight, 0, s, NAMES.length, NAMES.length);
    return s;
  }

  public long[] countArray() {
    return new long[] {cells, blocks, neg, boundViolations};
  }

  public static MetricSummary fromArrays(double[] max, double[] sums, long[] counts) {
    MetricSummary m = new MetricSummary();
    System.arraycopy(max, 0, m.max, 0, NAMES.length);
    System.arraycopy(sums, 0, m.weighted, 0, NAMES.length);
    System.arraycopy(sums, NAMES.length, m.weight, 0, NAMES.length);
    m.cells = counts[0];
    m.blocks = counts[1];
    m.neg = counts[2];
    m.boundViolations = counts[3];
    return m;
  }
}
