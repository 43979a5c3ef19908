package io.vdfc.budget;

import io.vdfc.compress.CellCompressor;
import io.vdfc.compress.CompressionSettings;
import io.vdfc.compress.EncodedCell;
import io.vdfc.metrics.ErrorMetrics;
import io.vdfc.parallel.Collectives;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VdfSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code codec = auto}: every rank trials each candidate on its share of a deterministic sample of the population's
 * cells (every k-th cell of the file's order), the ranks sum the sizes and take the maxima of the errors with
 * collectives, and all adopt the same decision: the smallest candidate whose errors meet the budgets. Sums are of
 * integers and maxima are exact, so the decision does not depend on the number of ranks.
 */
public final class CodecChoice {
  /** Share of the cells sampled per candidate (at least one cell): keeps the decision a few % of the work. */
  static final double SAMPLE_FRACTION = 0.02;

  /** Per-cell error budgets (fractions); NaN for none. */
  public record Budgets(double maxErrN, double maxErrV, double maxErrP, double targetRatio) {
    public static final Budgets NONE = new Budgets(Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    boolean met(double errN, double errV, double errP) {
      return ok(errN, maxErrN) && ok(errV, maxErrV) && ok(errP, maxErrP);
    }

    private static boolean ok(double v, double budget) {
      return Double.isNaN(budget) || v <= budget;
    }
  }

  /** What one candidate did on the sample, summed over ranks. */
  public record Trial(String label, long referenceBytes, long bytes, double maxErrN, double maxErrV, double maxErrP,
      long specialCells) {
    public double ratio() {
      return bytes == 0 ? 0 : (double) referenceBytes / bytes;
    }
  }

  /** The agreed choice and every trial behind it. */
  public record Decision(int chosen, List<Trial> trials, String reason) {}

  private CodecChoice() {
    throw new AssertionError("no instances");
  }

  /**
   * @param candidates settings to choose among, in order of preference for ties
   * @param lo first cell position owned by this rank
   * @param hi end of this rank's cells
   */
  public static Decision choose(VdfSource src, String pop, List<CompressionSettings> candidates, List<String> labels,
      Budgets budgets, double minValue, int lo, int hi, Collectives c) throws IOException {
    return choose(src, pop, candidates, labels, budgets, minValue, lo, hi, c, null);
  }

  /**
   * As {@link #choose(VdfSource, String, List, List, Budgets, double, int, int, Collectives)}, and keeps the trial
   * records: {@code records.get(k)} receives, for each cell position this rank sampled, candidate k's record of it
   * (exactly what {@code new CellCompressor(candidates.get(k)).compress(cell, minValue)} returns), so that the caller
   * need not encode the sampled cells again with the chosen candidate.
   *
   * @param records one map per candidate, filled here; {@code null}: keep nothing
   */
  public static Decision choose(VdfSource src, String pop, List<CompressionSettings> candidates, List<String> labels,
      Budgets budgets, double minValue, int lo, int hi, Collectives c, List<Map<Integer, EncodedCell>> records)
      throws IOException {
    int cells = src.cellIds(pop).length;
    int samples = Math.max(1, (int) Math.ceil(cells * SAMPLE_FRACTION));
    int stride = Math.max(1, cells / samples);
    int n = candidates.size();
    long[] sums = new long[3 * n];
    double[] maxes = new double[3 * n];
    for (int i = (lo + stride - 1) / stride * stride; i < hi; i += stride) {
      CellVdf cell = src.cellAt(pop, i);
      for (int k = 0; k < n; k++) {
        EncodedCell e = new CellCompressor(candidates.get(k)).compress(cell, minValue);
        if (records != null) {
          records.get(k).put(i, e);
        }
        sums[3 * k] += cell.referenceBytes();
        sums[3 * k + 1] += e.record().length;
        sums[3 * k + 2] += e.report().note().isEmpty() ? 0 : 1;
        if (candidates.get(k).codec().lossless()) {
          continue; // a lossless codec's record restores the cell exactly: every error is 0
        }
        CellVdf back;
        try {
          back = CellCompressor.decompress(ByteBuffer.wrap(e.record()), cell.mesh(), cell.cellId(), cell.blockCount());
        } catch (io.vdfc.codec.CorruptRecordException ex) {
          throw new IllegalStateException("candidate " + labels.get(k) + " cannot decode its own record", ex);
        }
        ErrorMetrics m = ErrorMetrics.compare(cell, back);
        maxes[3 * k] = Math.max(maxes[3 * k], finite(m.errN()));
        maxes[3 * k + 1] = Math.max(maxes[3 * k + 1], finite(m.errV()));
        maxes[3 * k + 2] = Math.max(maxes[3 * k + 2], finite(m.errP()));
      }
    }
    long[] s = c.allreduceSum(sums);
    double[] mx = c.allreduceMax(maxes);
    List<Trial> trials = new ArrayList<>();
    int best = -1;
    for (int k = 0; k < n; k++) {
      Trial t = new Trial(labels.get(k), s[3 * k], s[3 * k + 1], mx[3 * k], mx[3 * k + 1], mx[3 * k + 2], s[3 * k + 2]);
      trials.add(t);
      if (budgets.met(t.maxErrN(), t.maxErrV(), t.maxErrP()) && (best < 0 || t.bytes() < trials.get(best).bytes())) {
        best = k;
      }
    }
    String reason;
    if (best < 0) {
      best = n - 1;
      reason = "no candidate met the error budgets on the sample; using the last candidate, " + labels.get(best);
    } else {
      reason = "smallest candidate within the budgets on " + trials.get(best).referenceBytes() + " sampled bytes";
      double target = budgets.targetRatio();
      if (!Double.isNaN(target) && trials.get(best).ratio() < target) {
        reason += String.format("; target ratio %.2f not reached (%.2f on the sample)", target, trials.get(best).ratio());
      }
    }
    return new Decision(best, trials, reason);
  }

  private static double finite(double v) {
    return Double.isFinite(v) ? v : Double.MAX_VALUE;
  }
}
