package io.vdfc.budget;

import io.vdfc.codec.CodecRegistry;
import io.vdfc.codec.SharedModelCodec;
import io.vdfc.compress.CellCompressor;
import io.vdfc.compress.CellReport;
import io.vdfc.compress.CompressionSettings;
import io.vdfc.compress.EncodedCell;
import io.vdfc.metrics.ErrorMetrics.MomentErrors;
import io.vdfc.metrics.Moments;
import io.vdfc.vdf.CellVdf;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Holds every cell to the per-cell error budgets ({@code max_err_n}, {@code max_err_V}, {@code max_err_P}), not only
 * the cells {@code codec = auto} sampled: a cell that the chosen settings restore with a moment error over a budget is
 * encoded with the first other candidate, in the configured order, that keeps it within every budget (a lossless one
 * always does), and losslessly ({@value #LOSSLESS}) when none does. The record names its codec, so the format allows a
 * codec per cell. A cell's outcome depends on the cell and the settings alone, so it does not depend on the number of
 * ranks. The report counts such cells as special, each with a note naming the budget and the codec used.
 *
 * <p>On the real restart, zfpb with moments conserved restores the two sampled cells with {@code err_n} up to 4.9e-9
 * and the whole population with up to 1.5e-8: a budget of 1e-8 held on the sample and not on 17 of the 60 cells.
 */
public final class CellBudget {
  /** The lossless codec of last resort. */
  static final String LOSSLESS = "zstd";

  private final CodecChoice.Budgets budgets;
  private final CellCompressor chosen;
  private final String chosenLabel;
  private final List<CellCompressor> others = new ArrayList<>();
  private final List<String> otherLabels = new ArrayList<>();

  /**
   * @param chosen the settings every cell is tried with first
   * @param label their name in notes
   * @param candidates the settings to fall back on, in order (the chosen ones and shared-model codecs, which need a
   *     model trained for them, are skipped); {@value #LOSSLESS} last
   * @param labels their names
   */
  public CellBudget(CompressionSettings chosen, String label, List<CompressionSettings> candidates, List<String> labels,
      CodecChoice.Budgets budgets) {
    this.budgets = budgets;
    this.chosen = new CellCompressor(chosen);
    this.chosenLabel = label;
    for (int k = 0; k < candidates.size(); k++) {
      CompressionSettings s = candidates.get(k);
      if (!s.equals(chosen) && !(s.codec() instanceof SharedModelCodec)) {
        others.add(new CellCompressor(s));
        otherLabels.add(labels.get(k));
      }
    }
    others.add(new CellCompressor(new CompressionSettings(CodecRegistry.get().byName(LOSSLESS), chosen.tolerance(),
        chosen.conserve())));
    otherLabels.add(LOSSLESS);
  }

  /** Whether any error budget is set (otherwise {@link #compress} is the chosen settings' compression). */
  public boolean active() {
    return !Double.isNaN(budgets.maxErrN()) || !Double.isNaN(budgets.maxErrV()) || !Double.isNaN(budgets.maxErrP());
  }

  /** The cell's record with the chosen settings, or with the first fallback that keeps it within the budgets. */
  public EncodedCell compress(CellVdf cell, double minValue) {
    if (!active()) {
      return chosen.compress(cell, minValue);
    }
    CellCompressor.Restoring r = chosen.compressRestoring(cell, minValue);
    if (r.restored() == cell.values()) {
      return r.encoded(); // stored losslessly (NaN values, an empty or all-zero cell): no error
    }
    Moments original = r.original() != null ? r.original() : Moments.of(cell); // computed already when conserving
    String over = over(cell, original, r.restored());
    if (over == null) {
      return r.encoded();
    }
    for (int k = 0; k < others.size(); k++) {
      CellCompressor.Restoring alt = others.get(k).compressRestoring(cell, minValue);
      if (k == others.size() - 1 || over(cell, original, alt.restored()) == null) {
        return noted(alt.encoded(), over + " with " + chosenLabel + ": stored with " + otherLabels.get(k));
      }
    }
    throw new AssertionError("the lossless fallback is the last of the others");
  }

  /** The first budget the restored values exceed, as {@code "err_n 1.49e-08 over the budget 1e-08"}; null if none. */
  private String over(CellVdf cell, Moments original, float[] restored) {
    MomentErrors e = MomentErrors.of(original, Moments.of(cell.withValues(restored)));
    if (!within(e.errN(), budgets.maxErrN())) {
      return describe("err_n", e.errN(), budgets.maxErrN());
    }
    if (!within(e.errV(), budgets.maxErrV())) {
      return describe("err_V", e.errV(), budgets.maxErrV());
    }
    if (!within(e.errP(), budgets.maxErrP())) {
      return describe("err_P", e.errP(), budgets.maxErrP());
    }
    return null;
  }

  private static boolean within(double error, double budget) {
    return Double.isNaN(budget) || !(error > budget); // NaN: moments of NaN values, which are stored losslessly
  }

  private static String describe(String what, double error, double budget) {
    return String.format(Locale.ROOT, "%s %.3g over the budget %.3g", what, error, budget);
  }

  private static EncodedCell noted(EncodedCell e, String note) {
    CellReport r = e.report();
    String all = r.note().isEmpty() ? note : r.note() + "; " + note;
    return new EncodedCell(e.cellId(), e.record(), new CellReport(r.cellId(), r.blocks(), r.referenceBytes(),
        r.recordBytes(), r.tolerance(), r.maxAbs(), r.conserved(), r.attempts(), all), e.crc32c());
  }
}
