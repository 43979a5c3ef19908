package io.vdfc.peer.zfp;

import io.vdfc.codec.zfpb.ZfpbCodec;
import io.vdfc.testing.StudyVdf;
import io.vdfc.vdf.CellVdf;
import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * Prints bytes, max error and speed of zfpb and libzfp on the study VDF cut into blocks (not a test: run by hand,
 * {@code java -cp target/classes:target/test-classes:target/lib/* io.vdfc.peer.zfp.ZfpComparison [seconds]}).
 */
public final class ZfpComparison {
  private ZfpComparison() {}

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 1.0;
    CellVdf cell = StudyVdf.cell();
    int n = cell.blockCount();
    float[] v = cell.values();
    long ref = cell.referenceBytes();
    System.out.printf(Locale.ROOT, "study VDF: %d blocks, reference %d B (64*4+4 per block)%n", n, ref);
    ZfpbCodec codec = (ZfpbCodec) new ZfpbCodec().configure(io.vdfc.codec.CodecOptions.parse("trim=off"));
    ZfpbCodec trim = (ZfpbCodec) codec.configure(io.vdfc.codec.CodecOptions.parse("trim=on"));
    for (double tol : new double[] {1e-13, 1e-14, 1e-15, 1e-16}) {
      byte[] a = codec.encodeBlocks(v, n, tol);
      float[] ad = codec.decodeBlocks(ByteBuffer.wrap(a), n);
      byte[] t = trim.encodeBlocks(v, n, tol);
      float[] td = trim.decodeBlocks(ByteBuffer.wrap(t), n);
      byte[] z = ZfpPeer.compress(v, n, tol);
      float[] zd = ZfpPeer.decompress(z, n, tol);
      System.out.printf(Locale.ROOT, "tol %.0e  zfpb trim=on %7d B (%6.2fx) max_abs %.3e%n", tol, t.length,
          (double) ref / t.length, maxAbs(v, td));
      System.out.printf(Locale.ROOT, "tol %.0e  zfpb %7d B (%6.2fx) max_abs %.3e | libzfp %7d B (%6.2fx) max_abs %.3e%n",
          tol, a.length, (double) ref / a.length, maxAbs(v, ad), z.length, (double) ref / z.length, maxAbs(v, zd));
    }
    double mb = v.length * 4.0 / 1e6;
    for (double tol : new double[] {1e-13, 1e-16}) {
      byte[] a = codec.encodeBlocks(v, n, tol);
      byte[] z = ZfpPeer.compress(v, n, tol);
      double ec = rate(mb, seconds, () -> codec.encodeBlocks(v, n, tol));
      double dc = rate(mb, seconds, () -> {
        try {
          codec.decodeBlocks(ByteBuffer.wrap(a), n);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      byte[] t = trim.encodeBlocks(v, n, tol);
      double et = rate(mb, seconds, () -> trim.encodeBlocks(v, n, tol));
      double dt = rate(mb, seconds, () -> {
        try {
          trim.decodeBlocks(ByteBuffer.wrap(t), n);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      System.out.printf(Locale.ROOT, "tol %.0e MB/s: zfpb trim=on compress %.0f decompress %.0f%n", tol, et, dt);
      double ez = rate(mb, seconds, () -> ZfpPeer.compress(v, n, tol));
      double dz = rate(mb, seconds, () -> ZfpPeer.decompress(z, n, tol));
      System.out.printf(Locale.ROOT, "tol %.0e MB/s of float32 values: zfpb compress %.0f decompress %.0f | libzfp compress %.0f decompress %.0f%n",
          tol, ec, dc, ez, dz);
    }
  }

  static double maxAbs(float[] a, float[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs((double) a[i] - b[i]));
    }
    return m;
  }

  private static double rate(double mb, double seconds, Runnable r) {
    long deadline = System.nanoTime() + (long) (seconds * 0.3e9);
    while (System.nanoTime() < deadline) {
      r.run();
    }
    // the machine is shared: count this thread's CPU time, not wall time, and keep the best of 5 slices
    java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
    double best = 0;
    for (int slice = 0; slice < 5; slice++) {
      long t0 = cpu.getCurrentThreadCpuTime();
      long end = System.nanoTime() + (long) (seconds * 0.2e9);
      int reps = 0;
      while (System.nanoTime() < end) {
        r.run();
        reps++;
      }
      best = Math.max(best, mb * reps / ((cpu.getCurrentThreadCpuTime() - t0) / 1e9));
    }
    return best;
  }
}
