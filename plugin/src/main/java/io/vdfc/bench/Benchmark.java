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
 * throughput in reference MB/s (median of {@code repeats} timed passes after one warm-up pass, work alone).
 */
public final class Benchmark {
  /** One row of results. */
  public record Row(String label, long referenceBytes, long compressedBytes, MetricSummary errors,
      double compressMBps, double decompressMBps) {
    public double ratio() {
      return compressedBytes == 0 ? 0 : (double) referenceBytes / compressedBytes;
    }
  }

  private final List<CellVdf> cells;
  private final double minValue;
  private final int repeats;

  public Benchmark(List<CellVdf> cells, double minValue, int repeats) {
    this.cells = cells;
    this.minValue = minValue;
    this.repeats = Math.max(1, repeats);
  }

  public Row run(BenchSubject s) {
    long start = System.nanoTime();
    System.err.printf("bench: %s: %d cells, 1 + %d passes...%n", s.label(), cells.size(), repeats);
    long ref = 0;
    for (CellVdf c : cells) {
      ref += c.referenceBytes();
    }
    List<BenchSubject.Encoded> enc = encodeAll(s); // warm-up, also the data measured
    long bytes = s.sharedBytes();
    MetricSummary errors = new MetricSummary();
    for (int i = 0; i < cells.size(); i++) {
      bytes += enc.get(i).bytes();
      CellVdf back = s.decode(enc.get(i), cells.get(i));
      errors.add(ErrorMetrics.compare(cells.get(i), back), cells.get(i).blockCount());
    }
    double[] tc = new double[repeats];
    double[] td = new double[repeats];
    for (int r = 0; r < repeats; r++) {
      long t0 = System.nanoTime();
      List<BenchSubject.Encoded> e = encodeAll(s);
      long t1 = System.nanoTime();
      for (int i = 0; i < cells.size(); i++) {
        s.decode(e.get(i), cells.get(i));
      }
      long t2 = System.nanoTime();
      tc[r] = (t1 - t0) / 1e9;
      td[r] = (t2 - t1) / 1e9;
    }
    System.err.printf("bench: %s: done in %.1f s%n", s.label(), (System.nanoTime() - start) / 1e9);
    return new Row(s.label(), ref, bytes, errors, ref / 1e6 / median(tc), ref / 1e6 / median(td));
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
