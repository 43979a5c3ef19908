package io.vdfc.budget;

import io.vdfc.compress.CellCompressor;
import io.vdfc.compress.CompressionSettings;
import io.vdfc.compress.EncodedCell;
import io.vdfc.metrics.ErrorMetrics;
import io.vdfc.parallel.Collectives;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VdfSource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code codec = auto}: every rank trials each candidate on its share of a deterministic sample of the population's
 * cells (spread by weight: {@link #sample}), the ranks sum the sizes and take the maxima of the errors with
 * collectives, and all adopt the same decision: the smallest candidate whose errors meet the budgets. Sums are of
 * integers and maxima are exact, so the decision does not depend on the number of ranks.
 */
public final class CodecChoice {
  /** Share of the cells sampled per candidate (at least one cell): keeps the decision a few % of the work. */
  static final double SAMPLE_FRACTION = 0.02;
  /**
   * A lossless candidate is trialled on every {@code LOSSLESS_BLOCK_STRIDE}-th block of each sampled cell: its errors
   * are 0 whatever the cell, so only its size is needed, and that scales with the blocks encoded. On the real restart
   * the zstd trial of whole cells cost more than the lossy one (2 sampled cells, ~6 % of a warm 1-rank pass).
   */
  static final int LOSSLESS_BLOCK_STRIDE = 4;
  /**
   * First, a lossless candidate is trialled on every {@code COARSE_BLOCK_STRIDE}-th block only; when that estimate is
   * more than {@link #COARSE_MARGIN} times the cell's smallest lossy record it stands, otherwise the finer one is taken.
   * The coarse estimate was within 5 % of whole cells on the real restart: that far from the lossy records it cannot
   * turn the choice, and on the real restart (zstd ~1.2x against zfpb ~12x) it takes a quarter of the trial's time. The
   * rule looks at one cell's own trials, so the sums, and the decision, still do not depend on the number of ranks.
   */
  static final int COARSE_BLOCK_STRIDE = 16;
  static final double COARSE_MARGIN = 2;

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

  /**
   * What one candidate did on the sample, summed over ranks. {@code estimated}: a lossless candidate's size, from every
   * {@link #LOSSLESS_BLOCK_STRIDE}-th block of each sampled cell, scaled per cell to the whole cell's reference bytes.
   */
  public record Trial(String label, long referenceBytes, long bytes, double maxErrN, double maxErrV, double maxErrP,
      long specialCells, boolean estimated) {
    public double ratio() {
      return bytes == 0 ? 0 : (double) referenceBytes / bytes;
    }
  }

  /**
   * The agreed choice and every trial behind it; {@code encodeNanos[k]}: this rank's own time reading its sampled cells
   * and encoding them with candidate k into the records kept for the caller, what a fixed codec k would spend on them (0
   * for a lossless candidate; not agreed: a timing, not part of the decision).
   */
  public record Decision(int chosen, List<Trial> trials, String reason, long[] encodeNanos) {}

  private CodecChoice() {
    throw new AssertionError("no instances");
  }

  /**
   * This rank's trials on its share of the sample, before any collective: the sizes ({@code sums}: reference bytes,
   * bytes and special cells per candidate) and error maxima ({@code maxes}: err_n, err_V, err_P per candidate) that
   * {@link #agree} sums and maximises over the ranks; {@code encodeNanos} as in {@link Decision}; {@code sampled}: this
   * rank holds at least one sampled cell.
   */
  public record LocalTrials(long[] sums, double[] maxes, long[] encodeNanos, boolean sampled) {}

  /**
   * Trials every candidate on the sampled cells in {@code [lo, hi)}; no collective. Keeps the trial records of the
   * lossy candidates: {@code records.get(k)} receives, for each cell position this rank sampled, candidate k's record of
   * it (exactly what {@code new CellCompressor(candidates.get(k)).compress(cell, minValue)} returns), so that the caller
   * need not encode the sampled cells again with the chosen candidate. A lossless candidate is trialled on part of each
   * cell (its size is estimated: {@link Trial#estimated}), so its map stays empty.
   *
   * <p>A lossy candidate's errors are those of the values the reader restores from its record, which the compressor
   * hands back with it ({@link CellCompressor#compressRestoring}): the trial does not decode.
   *
   * @param candidates settings to choose among, in order of preference for ties
   * @param weights each cell's block count ({@link io.vdfc.restart.CellPartition#weights}), in stored order: the sample
   *     is spread by weight ({@link #sample})
   * @param lo first cell position owned by this rank
   * @param hi end of this rank's cells
   * @param budgets the per-cell budgets: a sampled cell's record that leaves it over one is not kept (the encoding
   *     goes through {@link CellBudget} for it)
   * @param records one map per candidate, filled here; {@code null}: keep nothing
   */
  public static LocalTrials trial(VdfSource src, String pop, List<CompressionSettings> candidates, Budgets budgets,
      double minValue, long[] weights, int lo, int hi, List<Map<Integer, EncodedCell>> records) throws IOException {
    int n = candidates.size();
    long[] sums = new long[3 * n];
    double[] maxes = new double[3 * n];
    long[] encodeNanos = new long[n];
    boolean sampled = false;
    List<CellCompressor> compressors = new ArrayList<>(n);
    for (CompressionSettings s : candidates) {
      compressors.add(new CellCompressor(s));
    }
    for (int i : sample(weights)) {
      if (i < lo || i >= hi) {
        continue; // another rank's cell: that rank trials it
      }
      sampled = true;
      long r0 = System.nanoTime();
      CellVdf cell = src.cellAt(pop, i);
      long read = System.nanoTime() - r0; // the encoding reads the cells whose records it reuses: it counts with them
      long smallestLossy = Long.MAX_VALUE;
      for (int k = 0; k < n; k++) {
        sums[3 * k] += cell.referenceBytes();
        if (candidates.get(k).codec().lossless()) {
          continue; // below, once the lossy records of this cell are known
        }
        long t0 = System.nanoTime();
        CellCompressor.Restoring r = compressors.get(k).compressRestoring(cell, minValue);
        encodeNanos[k] += System.nanoTime() - t0 + read;
        EncodedCell e = r.encoded();
        sums[3 * k + 1] += e.record().length;
        sums[3 * k + 2] += e.report().note().isEmpty() ? 0 : 1;
        smallestLossy = Math.min(smallestLossy, e.record().length);
        ErrorMetrics m = ErrorMetrics.compare(cell, cell.withValues(r.restored()));
        if (records != null && budgets.met(m.errN(), m.errV(), m.errP())) {
          records.get(k).put(i, e);
        }
        maxes[3 * k] = Math.max(maxes[3 * k], finite(m.errN()));
        maxes[3 * k + 1] = Math.max(maxes[3 * k + 1], finite(m.errV()));
        maxes[3 * k + 2] = Math.max(maxes[3 * k + 2], finite(m.errP()));
      }
      for (int k = 0; k < n; k++) {
        if (candidates.get(k).codec().lossless()) {
          // its record restores the cell exactly: every error is 0, only the size counts (estimated, not kept)
          Estimate e = losslessEstimate(compressors.get(k), cell, COARSE_BLOCK_STRIDE, minValue);
          if (e.bytes() <= COARSE_MARGIN * smallestLossy) {
            e = losslessEstimate(compressors.get(k), cell, LOSSLESS_BLOCK_STRIDE, minValue);
          }
          sums[3 * k + 1] += e.bytes();
          sums[3 * k + 2] += e.special() ? 1 : 0;
        }
      }
    }
    return new LocalTrials(sums, maxes, encodeNanos, sampled);
  }

  /**
   * The candidate this rank's own trials point to, by the rule of {@link #agree} applied to them alone; the first
   * candidate (the preferred one) when this rank sampled no cell. A rank can start encoding with it before the ranks
   * agree and encode again only if the agreement differs.
   */
  public static int guess(LocalTrials t, List<CompressionSettings> candidates, Budgets budgets) {
    if (!t.sampled()) {
      return 0;
    }
    int best = best(trials(t.sums(), t.maxes(), candidates, null), budgets);
    return best < 0 ? candidates.size() - 1 : best;
  }

  /** The ranks sum their trials' sizes and take the maxima of their errors, and all adopt the same decision. */
  public static Decision agree(LocalTrials t, List<CompressionSettings> candidates, List<String> labels, Budgets budgets,
      Collectives c) {
    int n = candidates.size();
    long[] s = c.allreduceSum(t.sums());
    double[] mx = c.allreduceMax(t.maxes());
    List<Trial> trials = trials(s, mx, candidates, labels);
    int best = best(trials, budgets);
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
    return new Decision(best, trials, reason, t.encodeNanos());
  }

  private static List<Trial> trials(long[] s, double[] mx, List<CompressionSettings> candidates, List<String> labels) {
    List<Trial> trials = new ArrayList<>();
    for (int k = 0; k < candidates.size(); k++) {
      trials.add(new Trial(labels == null ? "" : labels.get(k), s[3 * k], s[3 * k + 1], mx[3 * k], mx[3 * k + 1],
          mx[3 * k + 2], s[3 * k + 2], candidates.get(k).codec().lossless() && LOSSLESS_BLOCK_STRIDE > 1));
    }
    return trials;
  }

  /** The smallest trial whose errors meet the budgets (the first of equals); -1 if none does. */
  private static int best(List<Trial> trials, Budgets budgets) {
    int best = -1;
    for (int k = 0; k < trials.size(); k++) {
      Trial t = trials.get(k);
      if (budgets.met(t.maxErrN(), t.maxErrV(), t.maxErrP()) && (best < 0 || t.bytes() < trials.get(best).bytes())) {
        best = k;
      }
    }
    return best;
  }

  /**
   * The sampled cell positions, ascending: {@code ceil(SAMPLE_FRACTION * cells)} (at least one) cells at the centres of
   * equal slices of the total weight, i.e. spread by data volume. They depend only on the weights, so the decision does
   * not depend on the number of ranks; and as the ranks' ranges are equal slices of the same weights, each rank gets
   * its share of the sample (2 samples on 2 ranks: one each), so the trials run in parallel.
   */
  public static int[] sample(long[] weights) {
    int cells = weights.length;
    if (cells == 0) {
      return new int[0];
    }
    int samples = Math.max(1, (int) Math.ceil(cells * SAMPLE_FRACTION));
    long total = 0;
    for (long w : weights) {
      total += w + 1; // + 1: as the partition weighs cells (an empty cell still costs a record)
    }
    int[] out = new int[samples];
    int count = 0;
    long acc = 0;
    int cell = 0;
    for (int k = 0; k < samples; k++) {
      // the cell holding weight point (2k+1) total / (2 samples), compared in 2*samples units to stay in integers
      long point = (2L * k + 1) * total;
      while (cell < cells - 1 && 2L * samples * (acc + weights[cell] + 1) <= point) {
        acc += weights[cell] + 1;
        cell++;
      }
      if (count == 0 || out[count - 1] != cell) {
        out[count++] = cell; // a heavy cell holding several points is sampled once
      }
    }
    return java.util.Arrays.copyOf(out, count);
  }

  /** A lossless candidate's estimated record size for a cell, and whether its record of the part had a note. */
  private record Estimate(long bytes, boolean special) {}

  /**
   * A lossless candidate's record size for {@code cell}, from its record of every {@code stride}-th block scaled to the
   * whole cell's reference bytes.
   */
  private static Estimate losslessEstimate(CellCompressor lossless, CellVdf cell, int stride, double minValue) {
    CellVdf thin = everyKthBlock(cell, stride);
    EncodedCell e = lossless.compress(thin, minValue);
    long bytes = e.record().length;
    return new Estimate(thin.referenceBytes() == 0 ? bytes
        : Math.round((double) bytes * cell.referenceBytes() / thin.referenceBytes()), !e.report().note().isEmpty());
  }

  /** Every k-th block of a cell (from its first), values with them; the cell itself for k <= 1. */
  static CellVdf everyKthBlock(CellVdf cell, int k) {
    if (k <= 1 || cell.blockCount() <= 1) {
      return cell;
    }
    int per = cell.mesh().cellsPerBlock();
    int blocks = (cell.blockCount() + k - 1) / k;
    int[] ids = new int[blocks];
    float[] values = new float[blocks * per];
    for (int j = 0; j < blocks; j++) {
      ids[j] = cell.blockIds()[j * k];
      System.arraycopy(cell.values(), j * k * per, values, j * per, per);
    }
    return new CellVdf(cell.cellId(), cell.mesh(), ids, values);
  }

  private static double finite(double v) {
    return Double.isFinite(v) ? v : Double.MAX_VALUE;
  }
}
