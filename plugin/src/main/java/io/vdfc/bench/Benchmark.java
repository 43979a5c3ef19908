package io.vdfc.bench;

import io.vdfc.metrics.ErrorMetrics;
import io.vdfc.vdf.CellVdf;
import io.vdfc.verify.MetricSummary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Measures subjects on the same cells in the same run: ratio (metrics.md: reference bytes over every byte needed to
 * decode), every error metric (maximum over cells and density-weighted mean) and single-core compress/decompress
 * throughput in reference MB/s (median of {@code repeats} timed passes after warm-up passes, work alone), and
 * optionally that speed as a multiple of a peer's timed in alternating passes.
 */
public final class Benchmark {
  /**
   * One row of results.
   *
   * @param compressVsPeer median over the timed passes of this subject's compression speed over the peer's in the pass
   *     just before ({@link #run(BenchSubject, BenchSubject)}); NaN without a peer
   * @param decompressVsPeer the same for decompression
   */
  public record Row(String label, long referenceBytes, long compressedBytes, MetricSummary errors,
      double compressMBps, double decompressMBps, double compressVsPeer, double decompressVsPeer) {
    public double ratio() {
      return compressedBytes == 0 ? 0 : (double) referenceBytes / compressedBytes;
    }
  }

  /** Untimed passes before the timed ones run for at least this long (at least one pass, at most {@link #MAX_WARM_UP_PASSES}). */
  static final double WARM_UP_SECONDS = 3;
  static final int MAX_WARM_UP_PASSES = 20;

  private final List<CellVdf> cells;
  private final double minValue;
  private final int repeats;

  public Benchmark(List<CellVdf> cells, double minValue, int repeats) {
    this.cells = cells;
    this.minValue = minValue;
    this.repeats = Math.max(1, repeats);
  }

  public Row run(BenchSubject s) {
    return run(s, null);
  }

  /**
   * As {@link #run(BenchSubject)}, with each timed pass of {@code s} right after a timed pass of {@code peer} (the
   * warm-up passes of each first), so that both see the same machine: on a shared machine the speed of either drifts by
   * a third between runs seconds apart, and a ratio of medians taken at different moments drifts with it. The row's
   * {@link Row#compressVsPeer} and {@link Row#decompressVsPeer} are the medians of the per-pass ratios; null
   * {@code peer}: NaN.
   */
  public Row run(BenchSubject s, BenchSubject peer) {
    long start = System.nanoTime();
    System.err.printf("bench: %s: %d cells, warm-up passes for %.0f s (at most %d) + %d timed%s...%n", s.label(),
        cells.size(), WARM_UP_SECONDS, MAX_WARM_UP_PASSES, repeats,
        peer == null ? "" : ", each after one of " + peer.label());
    long ref = 0;
    for (CellVdf c : cells) {
      ref += c.referenceBytes();
    }
    if (peer != null) {
      timedPass(peer); // its warm-up
    }
    List<BenchSubject.Encoded> enc = encodeAll(s); // warm-up, also the data measured
    warmUp(s, peer);
    long bytes = s.sharedBytes();
    MetricSummary errors = new MetricSummary();
    for (int i = 0; i < cells.size(); i++) {
      bytes += enc.get(i).bytes();
      CellVdf back = s.decode(enc.get(i), cells.get(i));
      errors.add(ErrorMetrics.compare(cells.get(i), back), cells.get(i).blockCount());
    }
    double[] tc = new double[repeats];
    double[] td = new double[repeats];
    double[] vc = new double[repeats];
    double[] vd = new double[repeats];
    for (int r = 0; r < repeats; r++) {
      double[] p = peer == null ? null : timedPass(peer);
      double[] t = timedPass(s);
      tc[r] = t[0];
      td[r] = t[1];
      // speed multiples: the peer's time over ours, pass by pass
      vc[r] = p == null ? Double.NaN : p[0] / t[0];
      vd[r] = p == null ? Double.NaN : p[1] / t[1];
    }
    System.err.printf("bench: %s: done in %.1f s%n", s.label(), (System.nanoTime() - start) / 1e9);
    return new Row(s.label(), ref, bytes, errors, ref / 1e6 / median(tc), ref / 1e6 / median(td), median(vc),
        median(vd));
  }

  /**
   * More untimed passes (of {@code peer} too, alternately) until {@link #WARM_UP_SECONDS} have gone by after the first
   * pass: the JIT compiles a codec's hot methods over several passes, and on the real bulk file zfpb with conservation
   * ran its second to sixth pass at 0.5x to 0.9x the speed of its tenth and later, so that timed passes right after one
   * warm-up pass measured the compiler as much as the codec. Native peers need none but get the same treatment.
   */
  private void warmUp(BenchSubject s, BenchSubject peer) {
    long end = System.nanoTime() + (long) (WARM_UP_SECONDS * 1e9);
    for (int pass = 0; pass < MAX_WARM_UP_PASSES && System.nanoTime() < end; pass++) {
      if (peer != null) {
        timedPass(peer);
      }
      timedPass(s);
    }
  }

  /** Seconds to encode every cell, then to decode every record. */
  private double[] timedPass(BenchSubject s) {
    long t0 = System.nanoTime();
    List<BenchSubject.Encoded> e = encodeAll(s);
    long t1 = System.nanoTime();
    for (int i = 0; i < cells.size(); i++) {
      s.decode(e.get(i), cells.get(i));
    }
    long t2 = System.nanoTime();
    return new double[] {(t1 - t0) / 1e9, (t2 - t1) / 1e9};
  }

  private List<BenchSubject.Encoded> encodeAll(BenchSubject s) {
    List<BenchSubject.Encoded> out = new ArrayList<>(cells.size());
    for (CellVdf c : cells) {
      out.add(s.encode(c, minValue));
    }
    return out;
  }

  /** The median of {@code v} (the mean of the middle two for an even count); not changed. */
  public static double median(double[] v) {
    if (v.length == 0) {
      throw new IllegalArgumentException("no values");
    }
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
