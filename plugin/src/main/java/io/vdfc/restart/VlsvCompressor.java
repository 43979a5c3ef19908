package io.vdfc.restart;

import io.vdfc.budget.CellBudget;
import io.vdfc.budget.CodecChoice;
import io.vdfc.codec.CodecRegistry;
import io.vdfc.codec.SharedModelCodec;
import io.vdfc.codec.Tolerance;
import io.vdfc.compress.BadVdfException;
import io.vdfc.compress.CellReport;
import io.vdfc.compress.CompressionSettings;
import io.vdfc.compress.EncodedCell;
import io.vdfc.parallel.Collectives;
import io.vdfc.parallel.FaultInjection;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.NoVdfException;
import io.vdfc.vdf.VdfCellIndex;
import io.vdfc.vdf.VelocityMesh;
import io.vdfc.vdf.VlsvVdfSource;
import io.vdfc.vlsv.DirectArena;
import io.vdfc.vlsv.VlsvFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Compresses the VDFs of a VLSV file (restart or bulk) into the {@link CompressedVlsv} layout, on one rank or many:
 * each rank reads and encodes its contiguous, block-balanced share of every population's cells; the records land in
 * rank order, so the output does not depend on the number of ranks.
 */
public final class VlsvCompressor {
  /** {@code codec = auto}: the candidates and budgets {@link CodecChoice} decides among. */
  public record Auto(List<CompressionSettings> candidates, List<String> labels, CodecChoice.Budgets budgets) {}

  private final Function<String, CompressionSettings> settingsFor;
  private Auto auto;
  private CodecChoice.Budgets budgets = CodecChoice.Budgets.NONE;
  private final double minValueOverride;
  private final int threads;
  private final boolean quiet;
  private Phases phases = new Phases(0, 0, 0, 0, 0);
  private long heldWeight;
  private VlsvRewrite.BeforeWrite beforeWrite = VlsvRewrite.BeforeWrite.NOTHING;

  /**
   * Wall time of each phase of the last {@link #compress} on this rank, in seconds: choosing the codec ({@code codec =
   * auto}: trials on the sample, their agreement, and encoding again where a rank's first guess was overruled) and
   * training shared models; encoding this rank's cells; writing the file (placement, copies, records, sync, rename); and
   * agreeing on the report. Waiting for the slowest rank at the barrier before the write is in none of them.
   *
   * <p>The trials encode the sampled cells with every candidate, and the chosen candidate's records are kept (those
   * cells are not encoded again): that part of the trials, {@code keptTrialSeconds}, is encoding a fixed codec would do
   * as well, so it counts in {@code encodeSeconds}, not in {@code decideSeconds}. The decision phase as run is {@code
   * decideSeconds + keptTrialSeconds}.
   */
  public record Phases(double decideSeconds, double encodeSeconds, double writeSeconds, double reportSeconds,
      double keptTrialSeconds) {}

  /**
   * @param settingsFor the settings of each population
   * @param minValueOverride the sparsity threshold to use instead of the file's CONFIG (NaN: the file's)
   * @param threads worker threads of this rank
   * @param quiet no progress lines
   */
  public VlsvCompressor(Function<String, CompressionSettings> settingsFor, double minValueOverride, int threads, boolean quiet) {
    this.settingsFor = settingsFor;
    this.minValueOverride = minValueOverride;
    this.threads = Math.max(1, threads);
    this.quiet = quiet;
  }

  /** Choose the codec of each population among candidates, agreed by all ranks (instead of {@code settingsFor}). */
  public VlsvCompressor withAuto(Auto auto) {
    this.auto = auto;
    this.budgets = auto.budgets();
    return this;
  }

  /**
   * Per-cell error budgets for a fixed codec: a cell its records would leave over one is stored losslessly instead
   * ({@link CellBudget}). With {@code codec = auto} they come with {@link #withAuto}.
   */
  public VlsvCompressor withBudgets(CodecChoice.Budgets budgets) {
    this.budgets = budgets;
    return this;
  }

  /** Runs {@code hook} on every rank right before each write phase, outside the phases' times (benchmarks only). */
  public VlsvCompressor beforeWrite(VlsvRewrite.BeforeWrite hook) {
    this.beforeWrite = hook;
    return this;
  }

  /** The phase times of the last {@link #compress} call on this rank. */
  public Phases phases() {
    return phases;
  }

  /**
   * The cells this rank encoded in the last {@link #compress} call, weighed as {@link CellPartition} weighs them (block
   * count + 1 each), summed over populations: with several ranks they follow the ranks' speed ({@link #encodeSharing}).
   */
  public long heldWeight() {
    return heldWeight;
  }

  /**
   * Compresses {@code in} into {@code out} collectively; every rank passes the same paths. First every rank stops if
   * {@code out} cannot be written ({@link VlsvRewrite#prepareTarget}: the input itself, a directory) or if {@code in} is
   * already a vdfc file; a stale {@code out.vdfc-partial} left by an interrupted earlier run is removed.
   */
  public List<PopulationReport> compress(Path in, Path out, Collectives c) throws IOException {
    try (OutputLock held = VlsvRewrite.prepareTarget(in, out, c)) {
      return compressUnderLock(in, out, c);
    }
  }

  private List<PopulationReport> compressUnderLock(Path in, Path out, Collectives c) throws IOException {
    long decide = 0, encode = 0, kept = 0;
    try (VlsvVdfSource src = VlsvVdfSource.open(in); DirectArena arena = new DirectArena()) {
      if (CompressedFile.isCompressed(src.file())) { // every rank sees the same file: all stop here, none waits
        throw new VlsvFormatException(in, src.file().footerOffset(), "already vdfc-compressed (it has PARAMETER "
            + CompressedVlsv.VERSION_PARAMETER + "); restore it first with vdfc restart decompress");
      }
      if (src.populations().isEmpty()) { // the same on every rank
        throw new NoVdfException(in, "nothing to compress");
      }
      List<Population> pops = new ArrayList<>();
      for (String pop : src.populations()) {
        double minValue = Double.isNaN(minValueOverride) ? src.minValue(pop) : minValueOverride;
        CompressionSettings fixed = auto == null ? settingsFor.apply(pop) : null;
        for (CompressionSettings s : auto == null ? List.of(fixed) : auto.candidates()) {
          requireMinValue(in, pop, s, minValue); // on every rank, before any rank encodes or trains
          requireMesh(in, s, src.mesh(pop));
        }
        long[] blocks = CellPartition.weights(src.index(pop).blocksPerCell());
        int[] bounds = CellPartition.balanced(blocks, c.size());
        Population p = new Population(pop, minValue, bounds[c.rank()], bounds[c.rank() + 1]);
        p.weights = blocks;
        p.bounds = bounds;
        long t0 = System.nanoTime();
        Map<Integer, EncodedCell> done = Map.of();
        long keptNanos = 0;
        if (auto != null) {
          bindModels(p, src, c);
          for (int k = 0; k < p.candidates.size(); k++) {
            p.trialRecords.add(new HashMap<>());
          }
          p.trials = CodecChoice.trial(src, pop, p.candidates, auto.budgets(), minValue, blocks, p.lo, p.hi,
              p.trialRecords);
          if (speculate()) {
            // encode with what this rank's own trials point to and agree after the encoding (see speculate())
            p.chosen = CodecChoice.guess(p.trials, p.candidates, auto.budgets());
          } else {
            agree(p, c);
          }
          p.settings = p.candidates.get(p.chosen);
          p.model = p.models[p.chosen];
          done = p.trialRecords.get(p.chosen); // the sampled cells' records with these settings: not encoded twice
          keptNanos = p.trials.encodeNanos()[p.chosen];
        } else {
          p.settings = fixed;
        }
        if (p.model == null && p.settings.codec() instanceof SharedModelCodec smc) {
          p.model = SharedModels.train(smc, src, pop, p.settings.tolerance(), minValue, c);
          p.settings = SharedModels.bind(p.settings, smc, p.model);
          done = Map.of(); // the trials ran without the model
          keptNanos = 0;
        }
        long t1 = System.nanoTime();
        decide += t1 - t0 - keptNanos;
        encode += keptNanos;
        kept += keptNanos;
        p.cells = encodeSharing(src, p, done, c, arena);
        pops.add(p);
        encode += System.nanoTime() - t1;
      }
      c.barrier(); // the agreements and the write start when the slowest rank has encoded
      for (Population p : pops) {
        if (auto != null && p.decision == null) {
          long t0 = System.nanoTime();
          int guessed = p.chosen;
          agree(p, c);
          if (p.chosen != guessed) {
            // the other ranks' trials outweighed this rank's: encode again with the agreed candidate (a cost of the
            // decision, and said in the report)
            p.settings = p.candidates.get(p.chosen);
            p.model = p.models[p.chosen];
            p.cells = encodeRange(src, p, p.trialRecords.get(p.chosen), c.rank(), arena);
            p.reencoded = true;
          }
          decide += System.nanoTime() - t0;
        }
      }
      List<CompressedRestartWriter.PopulationPart> parts = new ArrayList<>();
      for (Population p : pops) {
        parts.add(new CompressedRestartWriter.PopulationPart(p.name, p.cells,
            settingsText(p.settings, p.minValue, p.decision, budgets), p.model));
      }
      beforeWrite.run();
      long t2 = System.nanoTime();
      Map<String, VdfCellIndex> indexes = new HashMap<>();
      for (Population p : pops) {
        indexes.put(p.name, src.index(p.name));
      }
      Map<String, Long> totals = CompressedRestartWriter.write(src.file(), indexes, out, parts, c);
      long t3 = System.nanoTime();
      List<PopulationReport> reports = new ArrayList<>();
      for (int i = 0; i < parts.size(); i++) {
        CompressedRestartWriter.PopulationPart part = parts.get(i);
        Population p = pops.get(i);
        long cells = src.cellIds(part.population()).length;
        long bytes = totals.get(part.population()) + (long) CompressedVlsv.INDEX_ENTRY_BYTES * cells
            + part.settingsText().length
            + (part.model() == null ? 0 : part.model().length);
        reports.add(aggregate(p, cells, bytes, c));
      }
      phases = new Phases(decide / 1e9, encode / 1e9, (t3 - t2) / 1e9, (System.nanoTime() - t3) / 1e9, kept / 1e9);
      heldWeight = 0;
      for (Population p : pops) {
        heldWeight += CellPartition.weight(p.weights, p.lo, p.hi);
      }
      return reports;
    }
  }

  /**
   * Fails naming the file and population when {@code s}'s tolerance is a multiple of minValue and the run's sparsity
   * threshold is unknown (the file's CONFIG has none and no {@code --min-value} was given). Every rank sees the same
   * file, so every rank stops here with the same message; found later, only the ranks that met it in a cell said so.
   */
  private static void requireMinValue(Path in, String pop, CompressionSettings s, double minValue) {
    if (!s.codec().lossless() && s.tolerance().kind() == Tolerance.Kind.MIN_VALUE && !(minValue > 0)) {
      throw new IllegalArgumentException(in + ": " + pop + ": tolerance " + s.tolerance() + " needs the sparsity "
          + "threshold, and the file's CONFIG has no " + pop + "_sparse.minValue; give it with --min-value");
    }
  }

  /** Fails naming the file when {@code s}'s codec cannot code cells on the population's mesh (the same on every rank). */
  private static void requireMesh(Path in, CompressionSettings s, VelocityMesh mesh) {
    String problem = s.codec().meshProblem(mesh);
    if (problem != null) {
      throw new IllegalArgumentException(in + ": " + problem + "; choose another codec (these code that mesh: "
          + String.join(", ", CodecRegistry.get().namesFor(mesh)) + ")");
    }
  }

  /** One population on this rank, through the phases of {@link #compress}. */
  private static final class Population {
    final String name;
    final double minValue;
    /** This rank's cells {@code [lo, hi)}: the balanced range until {@link #encodeSharing} moves them. */
    int lo;
    int hi;
    CompressionSettings settings;
    byte[] model;
    List<EncodedCell> cells;
    /**
     * {@code codec = auto}: the candidates, those of a shared-model codec bound to the model trained for this
     * population ({@link #models}, null for the others); this rank's trials, the candidates' records of its sampled
     * cells, the candidate in use.
     */
    List<CompressionSettings> candidates;
    byte[][] models;
    /** Blocks of every cell of the population, in file order (what the sample and the partition are drawn from). */
    long[] weights;
    /** The balanced partition of {@link #weights} over the ranks ({@link CellPartition#balanced}). */
    int[] bounds;
    CodecChoice.LocalTrials trials;
    final List<Map<Integer, EncodedCell>> trialRecords = new ArrayList<>();
    int chosen;
    /** The agreed decision in words; null until the ranks agreed (or without {@code auto}). */
    String decision;
    boolean reencoded;

    Population(String name, double minValue, int lo, int hi) {
      this.name = name;
      this.minValue = minValue;
      this.lo = lo;
      this.hi = hi;
    }
  }

  /**
   * Rank 0 adds to each shared-model candidate's sampled bytes its model's share, the model's bytes times the sample's
   * share of the population's blocks: the model is written once per population, and the trials compare samples. Every
   * rank knows the weights, so the share does not depend on the number of ranks.
   */
  private static void addModelShares(Population p) {
    long sampled = 0, all = 0;
    for (long w : p.weights) {
      all += w;
    }
    for (int i : CodecChoice.sample(p.weights)) {
      sampled += p.weights[i];
    }
    for (int k = 0; k < p.models.length; k++) {
      if (p.models[k] != null && all > 0) {
        p.trials.sums()[3 * k + 1] += Math.round((double) p.models[k].length * sampled / all);
      }
    }
  }

  /**
   * {@code codec = auto}: the population's candidates, each shared-model codec (vq, mlpmulti) with its model trained on
   * this population first (collective, as for a fixed codec), so that the trials measure it as it would write (its
   * model's share is added to its sampled bytes before the agreement: {@link #addModelShares}).
   */
  private void bindModels(Population p, VlsvVdfSource src, Collectives c) throws IOException {
    p.candidates = new ArrayList<>(auto.candidates());
    p.models = new byte[p.candidates.size()][];
    for (int k = 0; k < p.candidates.size(); k++) {
      CompressionSettings s = p.candidates.get(k);
      if (s.codec() instanceof SharedModelCodec smc) {
        p.models[k] = SharedModels.train(smc, src, p.name, s.tolerance(), p.minValue, c);
        p.candidates.set(k, SharedModels.bind(s, smc, p.models[k]));
      }
    }
  }

  private void agree(Population p, Collectives c) {
    if (c.rank() == 0 && p.models != null) {
      addModelShares(p);
    }
    CodecChoice.Decision d = CodecChoice.agree(p.trials, p.candidates, auto.labels(), auto.budgets(), c);
    p.chosen = d.chosen();
    p.decision = describe(d);
  }

  /**
   * With {@code codec = auto}, whether each rank encodes its cells with the candidate its own trials point to
   * ({@link CodecChoice#guess}) and the ranks agree afterwards, at the barrier before the write, instead of agreeing
   * first: the ranks' trials take different times (their sampled cells differ), and an agreement before the encoding
   * made the rank that finished first wait for the other, which was half the decision's cost on 2 ranks. A rank whose
   * guess the agreement overrules encodes again (said in the report). Not with a shared-model candidate: training is
   * collective, so every rank must know the codec before it.
   */
  private boolean speculate() {
    for (CompressionSettings s : auto.candidates()) {
      if (s.codec() instanceof SharedModelCodec) {
        return false;
      }
    }
    return true;
  }

  /**
   * The share of its balanced range (by weight) a rank encodes before the ranks share their speed ({@link
   * #encodeSharing}). The faster ranks wait for the slowest at that point, so the share is small; a quarter is about
   * 7 of the real restart's cells per rank on 2 ranks, some 40 ms of work. In single launches on 2 ranks the encoding
   * ended 6-31 % apart with block-balanced ranges (six launches), 5-6 % with half first (two) and 5-14 % with a quarter
   * first (three); see mpi-driver/README.md, eighth stop.
   */
  static final double FIRST_SHARE = 0.25;

  /**
   * Encodes this rank's cells of {@code p}. On one rank, its whole range. On several, first its part of {@link
   * #FIRST_SHARE} (by weight) of its balanced range ({@link CellPartition.FirstParts}: at the start of rank 0's range,
   * at the end of the last rank's, in the middle of the others'); then the ranks share their speed in it (one
   * collective) and each encodes its share of the rest, {@link CellPartition#rebalanced}: a rank that ran slower (a
   * core shared with other work, costlier cells) leaves cells of its rest to its neighbours, a faster one takes cells
   * of theirs. Each rank keeps one contiguous range, and {@code p.lo}, {@code p.hi} become it. Every cell's record is
   * the same whichever rank makes it, so the file is too.
   */
  private List<EncodedCell> encodeSharing(VlsvVdfSource src, Population p, Map<Integer, EncodedCell> done,
      Collectives c, DirectArena arena) throws IOException {
    if (c.size() == 1) {
      return encodeRange(src, p, done, c.rank(), arena);
    }
    int lo = p.lo, hi = p.hi;
    CellPartition.FirstParts parts = CellPartition.FirstParts.of(p.weights, p.bounds, FIRST_SHARE);
    int from = parts.starts()[c.rank()], to = parts.ends()[c.rank()];
    Progress progress = progress(p, c.rank(), hi - lo);
    int faultAt = from + (to - from) / 2; // in the first part, which no split moves to another rank
    long t0 = System.nanoTime();
    List<EncodedCell> first = encodeCells(src, p, done, c.rank(), arena, from, to, progress, faultAt);
    double seconds = (System.nanoTime() - t0) / 1e9;
    long encoded = 0; // the trials' kept records cost nothing here
    for (int i = from; i < to; i++) {
      encoded += done.containsKey(i) ? 0 : p.weights[i] + 1;
    }
    double[] speeds = new double[c.size()];
    speeds[c.rank()] = encoded / seconds; // 0 or NaN when it encoded nothing: the balanced partition stands
    speeds = c.allreduceSum(speeds);
    int[] split = CellPartition.rebalanced(p.weights, p.bounds, parts, speeds);
    int newLo = split[c.rank()], newHi = split[c.rank() + 1];
    progress.grow((newHi - newLo) - (hi - lo));
    List<EncodedCell> out = new ArrayList<>(newHi - newLo);
    out.addAll(encodeCells(src, p, done, c.rank(), arena, newLo, from, progress, faultAt));
    out.addAll(first);
    out.addAll(encodeCells(src, p, done, c.rank(), arena, to, newHi, progress, faultAt));
    p.lo = newLo;
    p.hi = newHi;
    return out;
  }

  private Progress progress(Population p, int rank, int cells) {
    return new Progress("compress " + p.name + " (rank " + rank + ")", cells, quiet || rank != 0);
  }

  /**
   * Encodes this rank's cells {@code [p.lo, p.hi)} of {@code p} ({@link #encodeCells}).
   */
  private List<EncodedCell> encodeRange(VlsvVdfSource src, Population p, Map<Integer, EncodedCell> done, int rank,
      DirectArena arena) throws IOException {
    return encodeCells(src, p, done, rank, arena, p.lo, p.hi, progress(p, rank, p.hi - p.lo), p.lo + (p.hi - p.lo) / 2);
  }

  /**
   * Encodes cells {@code [lo, hi)} of {@code p}, each record copied into {@code arena} right after it is made (for the
   * writer: {@link DirectArena}); the fault injection point {@code encode} is the cell {@code faultAt}.
   */
  private List<EncodedCell> encodeCells(VlsvVdfSource src, Population p, Map<Integer, EncodedCell> done, int rank,
      DirectArena arena, int lo, int hi, Progress progress, int faultAt) throws IOException {
    if (lo >= hi) {
      return List.of();
    }
    String pop = p.name;
    CellBudget encoder = auto == null
        ? new CellBudget(p.settings, p.settings.codec().name(), List.of(), List.of(), budgets)
        : new CellBudget(p.settings, auto.labels().get(p.chosen), p.candidates, auto.labels(), budgets);
    double minValue = p.minValue;
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, hi - lo)));
    try {
      List<Future<EncodedCell>> futures = new ArrayList<>(hi - lo);
      for (int i = lo; i < hi; i++) {
        final int pos = i;
        futures.add(pool.submit(() -> {
          if (pos == faultAt) {
            FaultInjection.at("encode", rank);
          }
          EncodedCell known = done.get(pos);
          if (known != null) {
            progress.advance(1);
            return known.withCopy(arena.put(known.record()));
          }
          CellVdf cell;
          synchronized (src) {
            cell = src.cellAt(pop, pos);
          }
          EncodedCell e;
          try {
            e = encoder.compress(cell, minValue);
          } catch (BadVdfException bad) {
            throw new BadVdfException(src.path() + ": " + bad.getMessage());
          }
          progress.advance(1);
          return e.withCopy(arena.put(e.record())); // while the record is in cache
        }));
      }
      List<EncodedCell> out = new ArrayList<>(hi - lo);
      for (Future<EncodedCell> f : futures) {
        out.add(f.get());
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while compressing " + pop, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof UncheckedIOException u) {
        throw u.getCause();
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(cause);
    } finally {
      pool.shutdownNow();
    }
  }

  /** At most this many cells with special handling are named in a population's report (the rest are counted). */
  static final int NAMED_CELLS = 20;

  /**
   * The population's report over all ranks; with {@code codec = auto} its first note is the decision, with the number
   * of ranks that encoded again (summed in the same allreduce as the cells' figures). Then the first {@link
   * #NAMED_CELLS} cells with special handling in the file's cell order, gathered from every rank (each sends its first
   * ones: the ranks hold the cells in order, so the report is the same on any number of ranks), and a count of the
   * others; last, when the config sets {@code target_ratio}, whether the population's ratio in the file reaches it.
   */
  private PopulationReport aggregate(Population p, long cells, long compressedBytes, Collectives c) {
    long blocks = 0, ref = 0, conserved = 0, special = 0;
    double maxTol = 0, maxAbs = 0;
    StringBuilder mine = new StringBuilder();
    int named = 0;
    for (EncodedCell e : p.cells) {
      CellReport r = e.report();
      blocks += r.blocks();
      ref += r.referenceBytes();
      conserved += r.conserved() ? 1 : 0;
      maxTol = Math.max(maxTol, r.tolerance());
      maxAbs = Math.max(maxAbs, r.maxAbs());
      if (!r.note().isEmpty()) {
        special++;
        if (named++ < NAMED_CELLS) {
          mine.append(PopulationReport.note(r).replace('\n', ' ')).append('\n');
        }
      }
    }
    long[] sums = c.allreduceSum(new long[] {blocks, ref, conserved, special, p.reencoded ? 1 : 0});
    double[] maxes = c.allreduceMax(new double[] {maxTol, maxAbs});
    List<String> notes = new ArrayList<>();
    if (p.decision != null) {
      notes.add(p.decision + (sums[4] == 0 ? ""
          : " (" + sums[4] + " of " + c.size() + " ranks had started with another candidate and encoded again)"));
    }
    if (sums[3] > 0) { // every rank knows: all or none take part
      List<String> cellNotes = new ArrayList<>();
      for (byte[] rank : c.allgather(mine.toString().getBytes(StandardCharsets.UTF_8))) {
        String text = new String(rank, StandardCharsets.UTF_8);
        for (String line : text.isEmpty() ? new String[0] : text.split("\n")) {
          if (cellNotes.size() < NAMED_CELLS) {
            cellNotes.add(line);
          }
        }
      }
      notes.addAll(cellNotes);
      if (sums[3] > cellNotes.size()) {
        notes.add("... and " + (sums[3] - cellNotes.size()) + " more cells with special handling");
      }
    }
    double ratio = compressedBytes == 0 ? 0 : (double) sums[1] / compressedBytes;
    if (!Double.isNaN(budgets.targetRatio()) && ratio < budgets.targetRatio()) {
      notes.add(String.format(java.util.Locale.ROOT, "target_ratio %.2f not reached: %.2f in the file",
          budgets.targetRatio(), ratio));
    }
    return new PopulationReport(p.name, cells, sums[0], sums[1], compressedBytes, maxes[0], maxes[1], sums[2], sums[3],
        notes);
  }

  private static String describe(CodecChoice.Decision d) {
    StringBuilder sb = new StringBuilder("auto chose " + d.trials().get(d.chosen()).label() + " (" + d.reason() + "); trials:");
    for (CodecChoice.Trial t : d.trials()) {
      sb.append(String.format(" %s %s%.2fx err_n %.1e err_V %.1e err_P %.1e;", t.label(), t.estimated() ? "~" : "",
          t.ratio(), t.maxErrN(), t.maxErrV(), t.maxErrP()));
    }
    return sb.toString();
  }

  /**
   * The {@code VDFC_SETTINGS} text of a population (key=value lines: codec, version, the codec options if any were
   * given, tolerance, conserve, minValue, the per-cell budgets and the auto decision if any); shared with the C++
   * adapter, which writes restarts of cells it compressed in memory.
   *
   * @param decision null when the codec was not chosen by {@code auto}
   */
  public static byte[] settingsText(CompressionSettings s, double minValue, String decision) {
    return settingsText(s, minValue, decision, CodecChoice.Budgets.NONE);
  }

  /** As {@link #settingsText(CompressionSettings, double, String)}, with the per-cell budgets every cell was held to. */
  public static byte[] settingsText(CompressionSettings s, double minValue, String decision, CodecChoice.Budgets b) {
    String budgets = (Double.isNaN(b.maxErrN()) ? "" : " err_n<=" + b.maxErrN())
        + (Double.isNaN(b.maxErrV()) ? "" : " err_V<=" + b.maxErrV())
        + (Double.isNaN(b.maxErrP()) ? "" : " err_P<=" + b.maxErrP());
    String text = "codec=" + s.codec().name() + "\n"
        + "codec_version=" + s.codec().version() + "\n"
        + (s.options().isEmpty() ? "" : "codec_options=" + s.options() + "\n")
        + "tolerance=" + (s.codec().lossless() ? "lossless" : s.tolerance().toString()) + "\n"
        + "conserve=" + (s.conserve() && !s.codec().lossless() ? "on" : "off") + "\n"
        + "minValue=" + (Double.isNaN(minValue) ? "unknown" : minValue) + "\n" // NaN: the file has none
        + (budgets.isEmpty() ? "" : "cell_budgets=" + budgets.strip() + "\n")
        + (decision == null ? "" : "decision=" + decision + "\n")
        + "written_by=vdfc " + CompressedVlsv.FORMAT_VERSION + "\n";
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
