package io.vdfc.peer.zfp;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;

/**
 * The real zfp library (libzfp, fixed-accuracy mode) as a comparison peer for zfpb, called in-process through
 * JavaCPP. A cell's {@code nBlocks} blocks of 4x4x4 values ({@code 64b .. 64b+63}, x fastest) are compressed as one
 * zfp 3-D float field of 4 x 4 x (4 * nBlocks), so zfp codes exactly the same blocks as zfpb. The stream has no zfp
 * header: decompress with the same block count and tolerance.
 *
 * <p>Each call opens its own zfp stream and native buffers, so calls from several threads are independent. zfp does not
 * validate its input stream: decompress only what {@link #compress} wrote (a benchmark peer, not a file reader).
 */
public final class ZfpPeer {
  private static final String UNAVAILABLE_REASON = probe();

  private ZfpPeer() {
    throw new AssertionError("no instances");
  }

  /** True when the JNI bridge and libzfp load; otherwise {@link #unavailableReason()} says why. */
  public static boolean available() {
    return UNAVAILABLE_REASON == null;
  }

  /** Why the peer cannot run, or null when it can. */
  public static String unavailableReason() {
    return UNAVAILABLE_REASON;
  }

  /**
   * Compresses {@code 64 * nBlocks} values with zfp's fixed-accuracy mode.
   *
   * @param tolerance the absolute tolerance handed to {@code zfp_stream_set_accuracy}
   * @return zfp's stream, {@code zfp_compress}'s byte count long
   */
  public static byte[] compress(float[] values, int nBlocks, double tolerance) {
    requireAvailable();
    checkShape(values.length, nBlocks);
    if (nBlocks == 0) {
      return new byte[0];
    }
    try (FloatPointer data = new FloatPointer(values)) {
      Pointer field = ZfpNative.zfp_field_3d(data, ZfpNative.ZFP_TYPE_FLOAT, 4, 4, 4L * nBlocks);
      Pointer zfp = ZfpNative.zfp_stream_open(null);
      try {
        ZfpNative.zfp_stream_set_accuracy(zfp, tolerance);
        long max = ZfpNative.zfp_stream_maximum_size(zfp, field);
        try (BytePointer buffer = new BytePointer(max)) {
          Pointer stream = ZfpNative.stream_open(buffer, max);
          try {
            ZfpNative.zfp_stream_set_bit_stream(zfp, stream);
            ZfpNative.zfp_stream_rewind(zfp);
            long size = ZfpNative.zfp_compress(zfp, field);
            if (size == 0) {
              throw new IllegalStateException("zfp_compress failed on " + nBlocks + " blocks");
            }
            byte[] out = new byte[Math.toIntExact(size)];
            buffer.get(out);
            return out;
          } finally {
            ZfpNative.stream_close(stream);
          }
        }
      } finally {
        ZfpNative.zfp_stream_close(zfp);
        ZfpNative.zfp_field_free(field);
      }
    }
  }

  /**
   * Decompresses a stream written by {@link #compress} with the same {@code nBlocks} and {@code tolerance}.
   *
   * @throws IllegalArgumentException when zfp reports failure
   */
  public static float[] decompress(byte[] compressed, int nBlocks, double tolerance) {
    requireAvailable();
    checkShape(64L * nBlocks, nBlocks);
    float[] values = new float[64 * nBlocks];
    if (nBlocks == 0) {
      return values;
    }
    try (FloatPointer data = new FloatPointer(values.length);
        BytePointer buffer = new BytePointer(compressed.length + 8L)) {
      buffer.put(compressed);
      buffer.position(0);
      Pointer field = ZfpNative.zfp_field_3d(data, ZfpNative.ZFP_TYPE_FLOAT, 4, 4, 4L * nBlocks);
      Pointer zfp = ZfpNative.zfp_stream_open(null);
      Pointer stream = ZfpNative.stream_open(buffer, compressed.length);
      try {
        ZfpNative.zfp_stream_set_accuracy(zfp, tolerance);
        ZfpNative.zfp_stream_set_bit_stream(zfp, stream);
        ZfpNative.zfp_stream_rewind(zfp);
        if (ZfpNative.zfp_decompress(zfp, field) == 0) {
          throw new IllegalArgumentException("zfp_decompress failed on " + compressed.length + " bytes for " + nBlocks + " blocks");
        }
      } finally {
        ZfpNative.stream_close(stream);
        ZfpNative.zfp_stream_close(zfp);
        ZfpNative.zfp_field_free(field);
      }
      data.get(values);
      return values;
    }
  }

  private static void checkShape(long length, int nBlocks) {
    if (nBlocks < 0 || length != 64L * nBlocks || length > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(length + " values for " + nBlocks + " blocks of 64");
    }
  }

  private static void requireAvailable() {
    if (!available()) {
      throw new IllegalStateException("the zfp peer is unavailable: " + UNAVAILABLE_REASON);
    }
  }

  private static String probe() {
    try {
      Loader.load(ZfpNative.class);
      return null;
    } catch (Throwable t) {
      return "cannot load libzfp through JavaCPP (" + t + ")";
    }
  }
}
