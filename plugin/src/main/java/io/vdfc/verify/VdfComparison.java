package io.vdfc.verify;

import io.vdfc.metrics.ErrorMetrics;
import io.vdfc.parallel.Collectives;
import io.vdfc.restart.CellPartition;
import io.vdfc.restart.CompressedFile;
import io.vdfc.restart.Progress;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VdfSource;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Compares the VDFs of an original and a candidate cell by cell, on one rank or many (each rank its block-balanced
 * share of cells), and checks each compressed cell's achieved error against the bound recorded with it.
 */
public final class VdfComparison {
  private VdfComparison() {
    throw new AssertionError("no instances");
  }

  /** Cells of a rank from which on rank 0 shows a progress line on standard error. */
  static final int PROGRESS_CELLS = 10_000;

  /** Summaries per population, identical on every rank. Cells missing from the candidate fail the comparison. */
  public static Map<String, MetricSummary> compare(VdfSource original, VdfSource candidate, Collectives c) throws IOException {
    return compare(original, candidate, c, null);
  }

  /**
   * As {@link #compare(VdfSource, VdfSource, Collectives)}, also filling {@code profiles} (when not null) with every
   * population's errors cell by cell, on every rank: each rank fills its cells and one allreduce sums the others' zeros
   * in, which is exact, so the profile does not depend on the number of ranks.
   */
  public static Map<String, MetricSummary> compare(VdfSource original, VdfSource candidate, Collectives c,
      Map<String, CellProfile> profiles) throws IOException {
    Map<String, MetricSummary> out = new LinkedHashMap<>();
    for (String pop : candidate.populations()) {
      if (!original.populations().contains(pop)) {
        throw new ContentMismatch(candidate.path() + " has population " + pop + ", which " + original.path()
            + " has not (has " + original.populations() + ")");
      }
    }
    for (String pop : original.populations()) {
      if (!candidate.populations().contains(pop)) {
        throw new ContentMismatch(candidate.path() + " has no population " + pop + " (has "
            + candidate.populations() + ")");
      }
      original.requireSameMesh(candidate, pop);
      long[] ids = original.cellIds(pop);
      int[] bounds = CellPartition.balanced(blocksPerCell(original, pop, ids.length), c.size());
      MetricSummary s = new MetricSummary();
      CellProfile profile = profiles == null ? null : CellProfile.empty(ids);
      int mine = bounds[c.rank() + 1] - bounds[c.rank()];
      // a progress line where the comparison takes long enough to be watched (a 600,000-cell file: 19 s)
      Progress progress = new Progress("verify " + pop + " (rank " + c.rank() + ")", mine,
          c.rank() != 0 || mine < PROGRESS_CELLS);
      for (int i = bounds[c.rank()]; i < bounds[c.rank() + 1]; i++) {
        CellVdf a = original.cellAt(pop, i);
        CellVdf b;
        try {
          b = candidate.cell(pop, ids[i]);
        } catch (IllegalArgumentException e) { // it stores no VDF for this cell
          throw new ContentMismatch(e.getMessage());
        }
        ErrorMetrics m = ErrorMetrics.compare(a, b);
        s.add(m, a.blockCount());
        double bound = 0;
        // a candidate's recorded bounds hold against the true original: against another vdfc file they mean nothing
        if (candidate instanceof CompressedFile cf && !(original instanceof CompressedFile)) {
          bound = cf.recordTolerance(pop, cf.population(pop).position(ids[i]));
          if (bound > 0 && m.maxAbs() > bound) {
            s.addBoundViolation();
          }
        }
        if (profile != null) {
          profile.maxAbs()[i] = m.maxAbs();
          profile.bound()[i] = bound;
          profile.errN()[i] = m.errN();
          profile.errV()[i] = m.errV();
          profile.errP()[i] = m.errP();
        }
        progress.advance(1);
      }
      if (profile != null) {
        profiles.put(pop, CellProfile.of(ids, c.allreduceSum(profile.flat())));
      }
      out.put(pop, MetricSummary.fromArrays(c.allreduceMax(s.maxArray()), c.allreduceSum(s.sumArray()),
          c.allreduceSum(s.countArray())));
    }
    return out;
  }

  /** Block counts for balancing; sources that cannot say cheaply count every cell as one block. */
  private static long[] blocksPerCell(VdfSource src, String pop, int n) throws IOException {
    if (src instanceof io.vdfc.vdf.VlsvVdfSource v) {
      return CellPartition.weights(v.index(pop).blocksPerCell());
    }
    long[] ones = new long[n];
    java.util.Arrays.fill(ones, 1);
    return ones;
  }
}
