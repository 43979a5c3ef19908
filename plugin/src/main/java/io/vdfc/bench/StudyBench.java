package io.vdfc.bench;

import io.vdfc.codec.CodecOptions;
import io.vdfc.codec.CodecRegistry;
import io.vdfc.codec.CorruptRecordException;
import io.vdfc.codec.SharedModelCodec;
import io.vdfc.codec.Tolerance;
import io.vdfc.codec.VdfCodec;
import io.vdfc.compress.CellCompressor;
import io.vdfc.compress.CompressionSettings;
import io.vdfc.compress.EncodedCell;
import io.vdfc.metrics.ErrorMetrics;
import io.vdfc.vdf.CellVdf;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The method study reproduced: every {@link StudyTable} method whose codec is registered, plus every other registered
 * lossy codec, run on the study VDF through vdfc's full per-cell pipeline (record with block IDs, moment conservation
 * unless turned off, bound check), ratio against the study's 500,000 B reference with every byte needed to decode
 * counted (a shared model trained on the one cell is counted in full).
 *
 * <p>Per row two settings are found by bisection on the tolerance, relative to the VDF's peak: the largest tolerance
 * whose L2 is at most the study's L2 for that method (so ratios compare at equal quality: "at least as good" means a
 * ratio not lower), and the largest whose L2 is at most the common target (default 0.032, the study's zfp row). Each
 * evaluated setting is kept as a point of the method's ratio-vs-L2 curve. Times: compress and decompress of the study
 * VDF (median of {@code repeats}); decode of the real restart's largest cell at {@code 1*minValue} when a restart is
 * given; for shared-model codecs also the real restart's ratio with the model counted once per file.
 */
public final class StudyBench {
  /** Bisection range of the tolerance, relative to the peak. */
  static final double MIN_REL = 1e-9;
  static final double MAX_REL = 1.0;

  /**
   * How the bench runs.
   *
   * @param iterations bisection steps per search (8 to 14 are enough)
   * @param repeats timed runs per figure, median reported
   * @param conserve exact moment conservation in the pipeline (on by default)
   * @param l2Target the common quality every row is also measured at
   * @param restartCells real restart cells for per-cell decode time and the shared-model figure (empty: skipped)
   * @param restartMinValue the restart's sparsity threshold
   */
  public record Settings(int iterations, int repeats, boolean conserve, double l2Target, List<CellVdf> restartCells,
      double restartMinValue) {}

  /**
   * One evaluated setting: tolerance relative to the peak, every byte, the errors, whether the pipeline conserved the
   * moments and its note when it handled the cell specially (tightened bound, lossless fallback).
   */
  public record Point(double relTolerance, long bytes, double ratio, ErrorMetrics errors, boolean conserved,
      String note) {}

  /**
   * One method's row.
   *
   * @param entry the study's method (synthetic, NaN figures, for a registered codec the study did not have)
   * @param atStudy the best setting with L2 at most the study's (the row's main figures)
   * @param atTarget the best setting with L2 at most the common target
   * @param extra further figures (times, restart figures), by JSON name
   */
  public record Row(StudyTable.Entry entry, boolean lossless, Point atStudy, Point atTarget, List<Point> curve,
      Map<String, Object> extra) {
    /** True when the row is at least as good as the study's: ratio not lower at L2 not higher. */
    public boolean beatsStudy() {
      return !Double.isNaN(entry.studyRatio()) && atStudy.ratio() >= entry.studyRatio()
          && atStudy.errors().l2() <= entry.studyL2() + 1e-12;
    }
  }

  private final CellVdf cell;
  private final double peak;
  private final Settings settings;

  public StudyBench(CellVdf studyCell, Settings settings) {
    this.cell = studyCell;
    this.peak = studyCell.peak();
    this.settings = settings;
  }

  /** Rows for every study method with a registered codec, then every other registered lossy codec. */
  public List<Row> run() {
    return run(StudyTable.ENTRIES);
  }

  /** As {@link #run()} with the given study methods (a quick run can leave out the slow model-only settings). */
  public List<Row> run(List<StudyTable.Entry> entries) {
    List<Row> rows = new ArrayList<>();
    Set<String> covered = new HashSet<>();
    CodecRegistry reg = CodecRegistry.get();
    Set<String> names = new HashSet<>();
    for (VdfCodec c : reg.all()) {
      names.add(c.name());
    }
    for (StudyTable.Entry e : entries) {
      if (names.contains(e.codec())) {
        rows.add(row(e));
        covered.add(e.codec());
      }
    }
    for (VdfCodec c : reg.all()) {
      if (!c.lossless() && !covered.contains(c.name())) {
        rows.add(row(new StudyTable.Entry(c.name(), c.name(), "", "not in the study", Double.NaN, Double.NaN,
            Double.NaN, Double.NaN, "no study figure: measured at the common L2 target")));
      }
    }
    return rows;
  }

  /** Measures one method. */
  public Row row(StudyTable.Entry e) {
    long start = System.nanoTime();
    System.err.printf("study: %s (%s%s)...%n", e.method(), e.codec(), e.options().isEmpty() ? "" : " " + e.options());
    VdfCodec codec = CodecRegistry.get().byName(e.codec()).configure(CodecOptions.parse(e.options()));
    List<Point> curve = new ArrayList<>();
    Map<String, Object> extra = new LinkedHashMap<>();
    Point atStudy;
    Point atTarget;
    if (codec.lossless()) {
      atStudy = evaluate(codec, 1);
      atTarget = atStudy;
    } else {
      atTarget = search(codec, settings.l2Target(), curve);
      double studyL2 = e.studyL2();
      atStudy = Double.isNaN(studyL2) ? atTarget : search(codec, Math.max(studyL2, 1e-6), curve);
    }
    curve.sort((a, b) -> Double.compare(a.errors().l2(), b.errors().l2()));
    double rel = atStudy.relTolerance();
    extra.put("compress_ms", timeMs(() -> encodeOnce(codec, rel)));
    Encoded enc = encodeOnce(codec, rel);
    extra.put("decompress_ms", timeMs(() -> decodeOnce(enc)));
    if (!settings.restartCells().isEmpty()) {
      restartFigures(codec, extra);
    }
    System.err.printf("study: %s (%s): done in %.1f s%n", e.method(), e.codec(), (System.nanoTime() - start) / 1e9);
    return new Row(e, codec.lossless(), atStudy, atTarget, curve, extra);
  }

  /** Largest tolerance (relative to the peak) with L2 at most {@code target}, by bisection in log space. */
  Point search(VdfCodec codec, double target, List<Point> curve) {
    double lo = Math.log(MIN_REL);
    double hi = Math.log(MAX_REL);
    Point best = null;
    Point top = evaluate(codec, MAX_REL);
    curve.add(top);
    if (top.errors().l2() <= target) {
      return top;
    }
    for (int i = 0; i < settings.iterations(); i++) {
      double mid = (lo + hi) / 2;
      Point p = evaluate(codec, Math.exp(mid));
      curve.add(p);
      if (p.errors().l2() <= target) {
        lo = mid;
        if (best == null || p.ratio() > best.ratio()) {
          best = p;
        }
      } else {
        hi = mid;
      }
    }
    if (best == null) {
      best = evaluate(codec, MIN_REL);
      curve.add(best);
    }
    return best;
  }

  /** The codec with its model (trained on the cell when it has one), the record, and the model bytes. */
  record Encoded(VdfCodec codec, byte[] record, long modelBytes, io.vdfc.compress.CellReport report) {}

  Encoded encodeOnce(VdfCodec codec, double relTolerance) {
    double tol = relTolerance * peak;
    return encode(codec, cell, tol, settings.conserve());
  }

  static Encoded encode(VdfCodec codec, CellVdf cell, double tol, boolean conserve) {
    long modelBytes = 0;
    VdfCodec bound = codec;
    if (codec instanceof SharedModelCodec smc && !codec.lossless()) {
      byte[] model = smc.trainModel(List.of(cell), tol);
      modelBytes = model.length;
      bound = bind(smc, model);
    }
    CellCompressor cc = new CellCompressor(new CompressionSettings(bound, new Tolerance(Tolerance.Kind.ABSOLUTE, tol),
        conserve && !codec.lossless()));
    EncodedCell e = cc.compress(cell, Double.NaN);
    return new Encoded(bound, e.record(), modelBytes, e.report());
  }

  static VdfCodec bind(SharedModelCodec smc, byte[] model) {
    try {
      return smc.withModel(ByteBuffer.wrap(model));
    } catch (CorruptRecordException ex) {
      throw new IllegalStateException(smc.name() + " cannot read the model it trained: " + ex.getMessage(), ex);
    }
  }

  CellVdf decodeOnce(Encoded e) {
    return decode(e, cell);
  }

  static CellVdf decode(Encoded e, CellVdf original) {
    try {
      return CellCompressor.decompress(ByteBuffer.wrap(e.record()), original.mesh(), original.cellId(),
          original.blockCount(), registered -> registered.id() == e.codec().id() ? e.codec() : registered);
    } catch (CorruptRecordException ex) {
      throw new IllegalStateException(e.codec().name() + " cannot decode its own record: " + ex.getMessage(), ex);
    }
  }

  Point evaluate(VdfCodec codec, double relTolerance) {
    Encoded e = encodeOnce(codec, relTolerance);
    CellVdf back = decodeOnce(e);
    long bytes = e.record().length + e.modelBytes();
    return new Point(relTolerance, bytes, (double) StudyVdf.REFERENCE_BYTES / bytes, ErrorMetrics.compare(cell, back),
        e.report().conserved(), e.report().note());
  }

  private double timeMs(Runnable r) {
    double[] t = new double[settings.repeats()];
    for (int i = 0; i < t.length; i++) {
      long t0 = System.nanoTime();
      r.run();
      t[i] = (System.nanoTime() - t0) / 1e6;
    }
    return Benchmark.median(t);
  }

  /** Decode time of the restart's largest cell at 1*minValue; for shared-model codecs the file-level ratio. */
  private void restartFigures(VdfCodec codec, Map<String, Object> extra) {
    double mv = settings.restartMinValue();
    CellVdf largest = settings.restartCells().get(0);
    for (CellVdf c : settings.restartCells()) {
      if (c.blockCount() > largest.blockCount()) {
        largest = c;
      }
    }
    CellVdf big = largest;
    Encoded e = encode(codec, big, mv, settings.conserve());
    extra.put("restart_largest_cell_blocks", big.blockCount());
    extra.put("restart_largest_cell_decode_ms", timeMs(() -> decode(e, big)));
    extra.put("restart_largest_cell_ratio", (double) big.referenceBytes() / (e.record().length + e.modelBytes()));
    if (codec instanceof SharedModelCodec smc && !codec.lossless()) {
      long ref = 0;
      long bytes = 0;
      List<CellVdf> cells = settings.restartCells();
      byte[] model = smc.trainModel(cells.size() > smc.maxTrainingCells() ? cells.subList(0, smc.maxTrainingCells())
          : cells, mv);
      VdfCodec bound = bind(smc, model);
      CellCompressor cc = new CellCompressor(new CompressionSettings(bound, new Tolerance(Tolerance.Kind.ABSOLUTE, mv),
          settings.conserve()));
      for (CellVdf c : cells) {
        ref += c.referenceBytes();
        bytes += cc.compress(c, mv).record().length;
      }
      extra.put("restart_cells", cells.size());
      extra.put("restart_model_bytes", model.length);
      extra.put("restart_ratio_model_once", (double) ref / (bytes + model.length));
    }
  }

  /** The rows as the JSON list of {@code vdfc bench --study --json}. */
  public static List<Map<String, Object>> toJson(List<Row> rows, Settings s) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Row r : rows) {
      Map<String, Object> m = new LinkedHashMap<>();
      StudyTable.Entry e = r.entry();
      ErrorMetrics x = r.atStudy().errors();
      m.put("method", e.codec());
      m.put("study_method", e.method());
      m.put("options", e.options());
      m.put("study_setting", e.studySetting());
      m.put("conserved", r.atStudy().conserved());
      m.put("pipeline_note", r.atStudy().note());
      m.put("tolerance_rel_peak", r.lossless() ? 0.0 : r.atStudy().relTolerance());
      m.put("bytes", r.atStudy().bytes());
      m.put("ratio", r.atStudy().ratio());
      m.put("err_n", x.errN());
      m.put("err_V", x.errV());
      m.put("err_P", x.errP());
      m.put("L1", x.l1());
      m.put("L2", x.l2());
      m.put("max_abs", x.maxAbs());
      m.put("study_ratio", e.studyRatio());
      m.put("study_n_percent", e.studyN());
      m.put("study_L1", e.studyL1());
      m.put("study_L2", e.studyL2());
      m.put("beats_study", r.beatsStudy());
      m.put("L2_target", s.l2Target());
      m.put("ratio_at_L2_target", r.atTarget().ratio());
      m.put("L2_at_target", r.atTarget().errors().l2());
      m.put("tolerance_rel_peak_at_target", r.lossless() ? 0.0 : r.atTarget().relTolerance());
      m.putAll(r.extra());
      m.put("note", e.note());
      out.add(m);
    }
    return out;
  }

  /** The curve points of every row as {@code [L2, ratio]} pairs, for plots. */
  public static double[][] curve(Row r) {
    return r.curve().stream().map(p -> new double[] {p.errors().l2(), p.ratio()}).toArray(double[][]::new);
  }

  static String fmt(double[] v) {
    return Arrays.toString(v);
  }
}
