package io.vdfc.mpi;

import io.vdfc.budget.CellBudget;
import io.vdfc.budget.CodecChoice;
import io.vdfc.codec.CodecRegistry;
import io.vdfc.compress.CompressionSettings;
import io.vdfc.config.CompressionConfig;
import io.vdfc.config.VlasiatorConfig;
import io.vdfc.restart.CellPartition;
import io.vdfc.vdf.VlsvVdfSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The machine's own ceiling for the scaling benchmark's efficiency: the per-cell work of a compression (each cell read
 * from the restart, encoded with the chosen codec, its budgets checked: what {@code VlsvCompressor} does per cell) for
 * every cell of the restart on one thread, against the same cells split in two block-balanced halves ({@link
 * CellPartition}, as two ranks split them) on two threads, in the same JVM, with no MPI, decision, write or report.
 * Each thread opens the restart itself. The two take turns, so that both see the same machine. Where this
 * efficiency is below 1 the machine, not vdfc, took it: the cores share caches, memory bandwidth and, on a virtual
 * machine, their host's other tenants.
 */
final class MachineCeiling {
  private final Path restart;
  private final CompressionSettings settings;
  private final String label;
  private final CodecChoice.Budgets budgets;

  /** The chosen codec with {@code config}'s tolerance, conserve and budgets. */
  MachineCeiling(Path restart, Path config, String codec) throws IOException {
    CompressionConfig cfg = CompressionConfig.from(VlasiatorConfig.parse(config));
    this.restart = restart;
    this.settings = new CompressionSettings(CodecRegistry.get().byName(codec), cfg.tolerance(), cfg.conserve());
    this.label = codec;
    this.budgets = new CodecChoice.Budgets(cfg.maxErrN().orElse(Double.NaN), cfg.maxErrV().orElse(Double.NaN),
        cfg.maxErrP().orElse(Double.NaN), Double.NaN);
  }

  /** Seconds of each turn: {@code [0]} one thread, all cells; {@code [1]} two threads, a half each. */
  record Turns(List<Double> one, List<Double> two) {}

  /** {@code warmup} untimed turns, then {@code passes} timed ones, the order of the two swapped every turn. */
  Turns measure(int warmup, int passes) throws Exception {
    List<Double> one = new ArrayList<>(), two = new ArrayList<>();
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      for (int i = 0; i < warmup + passes; i++) {
        double a = 0, b = 0;
        if (i % 2 == 0) {
          a = time(threads, 1);
          b = time(threads, 2);
        } else {
          b = time(threads, 2);
          a = time(threads, 1);
        }
        if (i >= warmup) {
          one.add(a);
          two.add(b);
        }
      }
    } finally {
      threads.shutdownNow();
    }
    return new Turns(one, two);
  }

  /** Wall seconds for the whole restart's cells on {@code n} threads (1 or 2), each thread a balanced share. */
  private double time(ExecutorService threads, int n) throws Exception {
    long t0 = System.nanoTime();
    List<Future<Long>> shares = new ArrayList<>();
    for (int part = 0; part < n; part++) {
      final int p = part;
      shares.add(threads.submit(() -> encodeShare(p, n)));
    }
    long records = 0;
    for (Future<Long> f : shares) {
      records += f.get();
    }
    if (records <= 0) {
      throw new IllegalStateException("the ceiling encoded nothing from " + restart);
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  /** Encodes share {@code part} of {@code parts} of every population; @return the record bytes (so none is skipped) */
  private long encodeShare(int part, int parts) throws IOException {
    long bytes = 0;
    CellBudget encoder = new CellBudget(settings, label, List.of(), List.of(), budgets);
    try (VlsvVdfSource src = VlsvVdfSource.open(restart)) {
      for (String pop : src.populations()) {
        int[] bounds = CellPartition.balanced(CellPartition.weights(src.index(pop).blocksPerCell()), parts);
        double minValue = src.minValue(pop);
        for (int pos = bounds[part]; pos < bounds[part + 1]; pos++) {
          bytes += encoder.compress(src.cellAt(pop, pos), minValue).record().length;
        }
      }
    }
    return bytes;
  }
}
