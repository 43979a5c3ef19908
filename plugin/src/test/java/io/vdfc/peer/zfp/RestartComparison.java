package io.vdfc.peer.zfp;

import io.vdfc.codec.CodecOptions;
import io.vdfc.codec.zfpb.ZfpbCodec;
import io.vdfc.testing.RestartProtonBlocks;
import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * Prints bytes and max error of zfpb, zfpb trim=on and libzfp over every cell of the real restart, counting 4 bytes
 * per block ID as Vlasiator does (not a test: run by hand like {@link ZfpComparison}).
 */
public final class RestartComparison {
  private RestartComparison() {}

  public static void main(String[] args) throws Exception {
    float[][] cells = RestartProtonBlocks.cells();
    long total = 0;
    for (float[] c : cells) {
      total += c.length / 64;
    }
    ZfpbCodec plain = (ZfpbCodec) new ZfpbCodec().configure(io.vdfc.codec.CodecOptions.parse("trim=off"));
    ZfpbCodec trim = (ZfpbCodec) plain.configure(CodecOptions.parse("trim=on"));
    long ref = total * (64 * 4 + 4);
    System.out.printf(Locale.ROOT, "real restart: %d cells, %d blocks, reference %d B%n", cells.length, total, ref);
    for (double tol : new double[] {1e-13, 1e-14, 1e-15, 1e-16}) {
      long[] bytes = new long[3];
      double[] err = new double[3];
      for (float[] v : cells) {
        int n = v.length / 64;
        if (n == 0) {
          continue;
        }
        byte[] a = plain.encodeBlocks(v, n, tol);
        byte[] t = trim.encodeBlocks(v, n, tol);
        byte[] z = ZfpPeer.compress(v, n, tol);
        bytes[0] += a.length + 4L * n;
        bytes[1] += t.length + 4L * n;
        bytes[2] += z.length + 4L * n;
        err[0] = Math.max(err[0], ZfpComparison.maxAbs(v, plain.decodeBlocks(ByteBuffer.wrap(a), n)));
        err[1] = Math.max(err[1], ZfpComparison.maxAbs(v, trim.decodeBlocks(ByteBuffer.wrap(t), n)));
        err[2] = Math.max(err[2], ZfpComparison.maxAbs(v, ZfpPeer.decompress(z, n, tol)));
      }
      System.out.printf(Locale.ROOT,
          "tol %.0e  zfpb %d B %.2fx max_abs %.2e | zfpb trim=on %d B %.2fx max_abs %.2e | libzfp %d B %.2fx max_abs %.2e%n",
          tol, bytes[0], (double) ref / bytes[0], err[0], bytes[1], (double) ref / bytes[1], err[1], bytes[2],
          (double) ref / bytes[2], err[2]);
    }
  }
}
