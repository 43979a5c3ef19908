package io.vdfc.peer.zfp;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.Platform;

/**
 * The few functions of the real zfp library ({@code zfp.h}, Debian's libzfp 1.0) that {@link ZfpPeer} calls, mapped
 * by JavaCPP; the JNI library is built by the javacpp Maven plugin at {@code process-classes}. zfp's opaque handles
 * ({@code zfp_stream*}, {@code zfp_field*}, {@code bitstream*}) are plain {@link Pointer}s. Use {@link ZfpPeer}, not
 * this class: loading it fails with {@link UnsatisfiedLinkError} where libzfp is missing.
 */
@Platform(include = "zfp.h", link = "zfp")
public final class ZfpNative {
  static {
    Loader.load();
  }

  /** {@code zfp_type_float}. */
  public static final int ZFP_TYPE_FLOAT = 3;

  private ZfpNative() {
    throw new AssertionError("no instances");
  }

  public static native @Cast("bitstream*") Pointer stream_open(Pointer buffer, @Cast("size_t") long bytes);

  public static native void stream_close(@Cast("bitstream*") Pointer stream);

  public static native @Cast("zfp_stream*") Pointer zfp_stream_open(@Cast("bitstream*") Pointer stream);

  public static native void zfp_stream_close(@Cast("zfp_stream*") Pointer zfp);

  public static native void zfp_stream_set_bit_stream(@Cast("zfp_stream*") Pointer zfp, @Cast("bitstream*") Pointer stream);

  /** Returns the tolerance zfp will use: the requested one rounded down to a power of two. */
  public static native double zfp_stream_set_accuracy(@Cast("zfp_stream*") Pointer zfp, double tolerance);

  public static native @Cast("size_t") long zfp_stream_maximum_size(
      @Cast("const zfp_stream*") Pointer zfp, @Cast("const zfp_field*") Pointer field);

  public static native void zfp_stream_rewind(@Cast("zfp_stream*") Pointer zfp);

  public static native @Cast("zfp_field*") Pointer zfp_field_3d(
      Pointer data, @Cast("zfp_type") int type, @Cast("size_t") long nx, @Cast("size_t") long ny, @Cast("size_t") long nz);

  public static native void zfp_field_free(@Cast("zfp_field*") Pointer field);

  /** Returns the byte offset after compression (the stream's length, word aligned), 0 on failure. */
  public static native @Cast("size_t") long zfp_compress(@Cast("zfp_stream*") Pointer zfp, @Cast("const zfp_field*") Pointer field);

  /** Returns the byte offset after decompression, 0 on failure. */
  public static native @Cast("size_t") long zfp_decompress(@Cast("zfp_stream*") Pointer zfp, @Cast("zfp_field*") Pointer field);
}
