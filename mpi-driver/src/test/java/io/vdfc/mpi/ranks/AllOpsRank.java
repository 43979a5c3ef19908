package io.vdfc.mpi.ranks;

import io.vdfc.mpi.MpjCollectives;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import mpi.MPI;

/**
 * A rank that calls every {@link io.vdfc.parallel.Collectives} operation on inputs derived from its rank (see {@link
 * #longs}, {@link #doubles}, {@link #gatherPayload}, {@link #broadcastPayload}, {@link #scanValue}) and returns what it
 * got, by operation name. App args: {@code [rounds]} (default 1): the whole sequence is repeated and the results of the
 * last round returned, after checking every round returned the same.
 */
public final class AllOpsRank {
  private AllOpsRank() {}

  public static Object run(String[] mpiArgs) throws Exception {
    String[] app = MPI.Init(mpiArgs);
    int rounds = app.length > 0 ? Integer.parseInt(app[0]) : 1;
    Map<String, Object> result;
    try (MpjCollectives c = new MpjCollectives(MPI.COMM_WORLD, Duration.ofSeconds(30), MpjCollectives.TimeoutAction.HALT)) {
      result = round(c);
      for (int i = 1; i < rounds; i++) {
        Map<String, Object> again = round(c);
        if (!String.valueOf(Rendered.of(again)).equals(String.valueOf(Rendered.of(result)))) {
          throw new AssertionError("round " + i + " differs: " + Rendered.of(again) + " vs " + Rendered.of(result));
        }
      }
    }
    MPI.Finalize();
    return result;
  }

  private static Map<String, Object> round(MpjCollectives c) {
    int r = c.rank();
    int n = c.size();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("rank", r);
    out.put("size", n);
    c.barrier();
    out.put("sumLong", c.allreduceSum(longs(r)));
    out.put("minLong", c.allreduceMin(longs(r)));
    out.put("maxLong", c.allreduceMax(longs(r)));
    out.put("sumDouble", c.allreduceSum(doubles(r)));
    out.put("minDouble", c.allreduceMin(doubles(r)));
    out.put("maxDouble", c.allreduceMax(doubles(r)));
    out.put("empty", c.allreduceSum(new long[0]));
    byte[] b = r == n - 1 ? broadcastPayload() : new byte[broadcastPayload().length];
    c.broadcast(b, n - 1);
    out.put("broadcast", b);
    out.put("allgather", c.allgather(gatherPayload(r)));
    out.put("scan", c.exclusiveScan(scanValue(r)));
    // hundreds of kilobytes: MPJ's buffers in several pieces
    out.put("bigSumLong", c.allreduceSum(bigLongs(r)));
    out.put("bigMinDouble", c.allreduceMin(bigDoubles(r)));
    out.put("bigMaxDouble", c.allreduceMax(bigDoubles(r)));
    byte[] big = r == 0 ? bigPayload(0) : new byte[bigPayload(0).length];
    c.broadcast(big, 0);
    out.put("bigBroadcast", big);
    out.put("bigAllgather", c.allgather(bigPayload(r)));
    c.barrier();
    return out;
  }

  /** Signs, extremes and a value above 2^53 so that a double-based reduction would show. */
  public static long[] longs(int r) {
    return new long[] {r + 1, -(long) r * r, Long.MAX_VALUE - r, (1L << 53) + 1 + r, Long.MIN_VALUE / 8 + r};
  }

  /** Exact in every summation order (small integers times powers of two), so results compare with ==. */
  public static double[] doubles(int r) {
    return new double[] {r + 0.5, -1.25 * r, Math.scalb(1.0, -1000) * (r + 1), Math.scalb(3.0, 1000) * (r + 1)};
  }

  /** Rank 0 sends nothing; others 3r bytes, and rank 2 (when present) a 70,000-byte array. */
  public static byte[] gatherPayload(int r) {
    byte[] b = new byte[r == 2 ? 70_000 : 3 * r];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) (31 * r + i);
    }
    return b;
  }

  public static byte[] broadcastPayload() {
    byte[] b = new byte[1000];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) (i * 7 + 3);
    }
    return b;
  }

  /** 40,000 longs (320 kB). */
  public static long[] bigLongs(int r) {
    long[] v = new long[40_000];
    for (int i = 0; i < v.length; i++) {
      v[i] = (long) i * (r + 1) - r;
    }
    return v;
  }

  /**
   * 2,000 doubles (16 kB, past the inline room: MPJ's own reduction): signed zeros, infinities, and NaNs that only
   * some ranks hold (index 7 on rank 0, index 8 + r on rank r), which the minimum and maximum must keep.
   */
  public static double[] bigDoubles(int r) {
    double[] v = new double[2_000];
    for (int i = 0; i < v.length; i++) {
      v[i] = switch (i % 5) {
        case 0 -> (r % 2 == 0 ? -0.0 : 0.0);
        case 1 -> (i + r) % 3 == 0 ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        default -> Math.scalb((double) (i * (r + 1) % 97) - 40, i % 50 - 25);
      };
    }
    v[8 + r] = Double.NaN;
    if (r == 0) {
      v[7] = Double.NaN; // rank 0 alone here: the other ranks' values meet it in any order
    }
    return v;
  }

  /** 150,000 bytes. */
  public static byte[] bigPayload(int r) {
    byte[] b = new byte[150_000];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) (i * 13 + r);
    }
    return b;
  }

  public static long scanValue(int r) {
    return 10L * r + 1;
  }

  /** Arrays rendered by value, so that two rounds' maps compare. */
  private static final class Rendered {
    static String of(Map<String, Object> m) {
      StringBuilder s = new StringBuilder();
      m.forEach((k, v) -> s.append(k).append('=').append(render(v)).append(';'));
      return s.toString();
    }

    private static String render(Object v) {
      if (v instanceof long[] a) return java.util.Arrays.toString(a);
      if (v instanceof double[] a) return java.util.Arrays.toString(a);
      if (v instanceof byte[] a) return java.util.Arrays.toString(a);
      if (v instanceof byte[][] a) return java.util.Arrays.deepToString(a);
      return String.valueOf(v);
    }
  }
}
