package io.vdfc.restart;

import io.vdfc.budget.CodecChoice;
import io.vdfc.codec.SharedModelCodec;
import io.vdfc.compress.CellCompressor;
import io.vdfc.compress.CellReport;
import io.vdfc.compress.CompressionSettings;
import io.vdfc.compress.EncodedCell;
import io.vdfc.parallel.Collectives;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VlsvVdfSource;
import io.vdfc.vlsv.VlsvArray;
import io.vdfc.vlsv.VlsvDataType;
import io.vdfc.vlsv.VlsvFile;
import io.vdfc.vlsv.VlsvFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
  private final double minValueOverride;
  private final int threads;
  private final boolean quiet;

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
    return this;
  }

  public List<PopulationReport> compress(Path in, Path out, Collectives c) throws IOException {
    try (VlsvVdfSource src = VlsvVdfSource.open(in)) {
      VlsvFile file = src.file();
      List<String> pops = src.populations();
      Map<String, Integer> slot = new LinkedHashMap<>();
      int k = 0;
      for (VlsvArray a : VlsvRewrite.inFileOrder(file)) {
        if (a.tag().equals(CompressedVlsv.BLOCKIDS) && pops.contains(a.name())) {
          slot.put(a.name(), k);
          k += 2;
        }
      }
      List<VlsvRewrite.Part> parts = new ArrayList<>();
      List<PopulationReport> reports = new ArrayList<>();
      Map<String, Long> totalRecordBytes = new LinkedHashMap<>();
      Map<String, byte[]> settingsText = new LinkedHashMap<>();
      Map<String, byte[]> models = new LinkedHashMap<>();
      for (String pop : pops) {
        if (!slot.containsKey(pop)) {
          throw new VlsvFormatException(file.path(), file.footerOffset(), "population " + pop + " has no BLOCKIDS array");
        }
        double minValue = Double.isNaN(minValueOverride) ? src.minValue(pop) : minValueOverride;
        long[] cellIds = src.cellIds(pop);
        long[] blocks = CellPartition.weights(src.index(pop).blocksPerCell());
        int[] bounds = CellPartition.balanced(blocks, c.size());
        int lo = bounds[c.rank()], hi = bounds[c.rank() + 1];
        CompressionSettings settings;
        String decision = null;
        if (auto != null) {
          CodecChoice.Decision d = CodecChoice.choose(src, pop, auto.candidates(), auto.labels(), auto.budgets(), minValue, lo, hi, c);
          settings = auto.candidates().get(d.chosen());
          decision = describe(d);
        } else {
          settings = settingsFor.apply(pop);
        }
        if (settings.codec() instanceof SharedModelCodec smc) {
          byte[] model = SharedModels.train(smc, src, pop, settings.tolerance(), minValue, c);
          models.put(pop, model);
          settings = SharedModels.bind(settings, smc, model);
        }
        List<EncodedCell> mine = encodeRange(src, pop, lo, hi, new CellCompressor(settings), minValue,
            new Progress("compress " + pop + " (rank " + c.rank() + ")", hi - lo, quiet || c.rank() != 0));
        long myBytes = 0;
        ByteBuffer index = ByteBuffer.allocate(8 * (hi - lo)).order(ByteOrder.LITTLE_ENDIAN);
        for (EncodedCell e : mine) {
          myBytes += e.record().length;
          index.putLong(e.record().length);
        }
        long recordOffset = c.exclusiveScan(myBytes);
        long total = c.allreduceSum(new long[] {myBytes})[0];
        totalRecordBytes.put(pop, total);
        ByteBuffer recs = ByteBuffer.allocate(Math.toIntExact(myBytes));
        for (EncodedCell e : mine) {
          recs.put(e.record());
        }
        parts.add(new VlsvRewrite.Part(slot.get(pop), 8L * lo, index.flip()));
        parts.add(new VlsvRewrite.Part(slot.get(pop) + 1, recordOffset, recs.flip()));
        byte[] text = settingsText(settings, minValue, decision);
        settingsText.put(pop, text);
        long modelBytes = models.containsKey(pop) ? models.get(pop).length : 0;
        PopulationReport rep = aggregate(pop, cellIds.length, mine, total + 8L * cellIds.length + text.length + modelBytes, c);
        if (decision != null) {
          rep.notes().add(0, decision);
        }
        reports.add(rep);
      }
      Plan plan = new Plan(file, slot.keySet(), totalRecordBytes, settingsText, models);
      if (c.rank() == 0) {
        int next = k;
        parts.add(new VlsvRewrite.Part(next++, 0, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN)
            .putInt(CompressedVlsv.FORMAT_VERSION).flip()));
        for (String pop : slot.keySet()) {
          parts.add(new VlsvRewrite.Part(next++, 0, ByteBuffer.wrap(settingsText.get(pop))));
        }
        for (byte[] model : models.values()) {
          parts.add(new VlsvRewrite.Part(next++, 0, ByteBuffer.wrap(model)));
        }
      }
      VlsvRewrite.write(file, out, plan, parts, c);
      return reports;
    }
  }

  private List<EncodedCell> encodeRange(VlsvVdfSource src, String pop, int lo, int hi, CellCompressor cc,
      double minValue, Progress progress) throws IOException {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<EncodedCell>> futures = new ArrayList<>(hi - lo);
      for (int i = lo; i < hi; i++) {
        final int pos = i;
        futures.add(pool.submit(() -> {
          CellVdf cell;
          synchronized (src) {
            cell = src.cellAt(pop, pos);
          }
          EncodedCell e = cc.compress(cell, minValue);
          progress.advance(1);
          return e;
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

  private static PopulationReport aggregate(String pop, long cells, List<EncodedCell> mine, long compressedBytes, Collectives c) {
    long blocks = 0, ref = 0, conserved = 0, special = 0;
    double maxTol = 0, maxAbs = 0;
    List<String> notes = new ArrayList<>();
    for (EncodedCell e : mine) {
      CellReport r = e.report();
      blocks += r.blocks();
      ref += r.referenceBytes();
      conserved += r.conserved() ? 1 : 0;
      maxTol = Math.max(maxTol, r.tolerance());
      maxAbs = Math.max(maxAbs, r.maxAbs());
      if (!r.note().isEmpty()) {
        special++;
        if (notes.size() < 5) {
          notes.add(PopulationReport.note(r));
        }
      }
    }
    long[] sums = c.allreduceSum(new long[] {blocks, ref, conserved, special});
    double[] maxes = c.allreduceMax(new double[] {maxTol, maxAbs});
    return new PopulationReport(pop, cells, sums[0], sums[1], compressedBytes, maxes[0], maxes[1], sums[2], sums[3], notes);
  }

  private static String describe(CodecChoice.Decision d) {
    StringBuilder sb = new StringBuilder("auto chose " + d.trials().get(d.chosen()).label() + " (" + d.reason() + "); trials:");
    for (CodecChoice.Trial t : d.trials()) {
      sb.append(String.format(" %s %.2fx err_n %.1e err_V %.1e err_P %.1e;", t.label(), t.ratio(), t.maxErrN(), t.maxErrV(),
          t.maxErrP()));
    }
    return sb.toString();
  }

  static byte[] settingsText(CompressionSettings s, double minValue, String decision) {
    String text = "codec=" + s.codec().name() + "\n"
        + "codec_version=" + s.codec().version() + "\n"
        + "tolerance=" + (s.codec().lossless() ? "lossless" : s.tolerance().toString()) + "\n"
        + "conserve=" + (s.conserve() && !s.codec().lossless() ? "on" : "off") + "\n"
        + "minValue=" + minValue + "\n"
        + (decision == null ? "" : "decision=" + decision + "\n")
        + "written_by=vdfc " + CompressedVlsv.FORMAT_VERSION + "\n";
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** BLOCKIDS -> VDFC_INDEX and BLOCKVARIABLE -> VDFC_RECORDS per population; version, settings and models appended. */
  private record Plan(VlsvFile file, java.util.Set<String> pops, Map<String, Long> recordBytes, Map<String, byte[]> settings,
      Map<String, byte[]> models) implements VlsvRewrite.Plan {
    @Override
    public List<VlsvRewrite.NewArray> replace(VlsvArray a) {
      if (!pops.contains(a.name())) {
        return null;
      }
      if (a.tag().equals(CompressedVlsv.BLOCKIDS)) {
        long cells = cellCount(a.name());
        return List.of(new VlsvRewrite.NewArray(CompressedVlsv.INDEX, attrs(a.name()), VlsvDataType.UINT, 8, 1, cells));
      }
      if (a.tag().equals(CompressedVlsv.BLOCKVARIABLE)) {
        Map<String, String> at = attrs(a.name());
        at.put(CompressedVlsv.ATTR_VALUE_DATASIZE, Integer.toString(a.dataSize()));
        at.put(CompressedVlsv.ATTR_WID3, Integer.toString(a.vectorSize()));
        return List.of(new VlsvRewrite.NewArray(CompressedVlsv.RECORDS, at, VlsvDataType.UINT, 1, 1, recordBytes.get(a.name())));
      }
      return null;
    }

    private long cellCount(String pop) {
      return file.find(CompressedVlsv.BLOCKSPERCELL, Map.of("name", pop)).orElseThrow().arraySize();
    }

    @Override
    public List<VlsvRewrite.NewArray> appended() {
      List<VlsvRewrite.NewArray> out = new ArrayList<>();
      out.add(new VlsvRewrite.NewArray("PARAMETER", new LinkedHashMap<>(Map.of("name", CompressedVlsv.VERSION_PARAMETER)),
          VlsvDataType.UINT, 4, 1, 1));
      for (String pop : pops) {
        out.add(new VlsvRewrite.NewArray(CompressedVlsv.SETTINGS, new LinkedHashMap<>(Map.of("name", pop)),
            VlsvDataType.UINT, 1, 1, settings.get(pop).length));
      }
      models.forEach((pop, m) -> out.add(new VlsvRewrite.NewArray(CompressedVlsv.MODEL,
          new LinkedHashMap<>(Map.of("name", pop)), VlsvDataType.UINT, 1, 1, m.length)));
      return out;
    }

    private static Map<String, String> attrs(String pop) {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("mesh", "SpatialGrid");
      m.put("name", pop);
      return m;
    }
  }
}
