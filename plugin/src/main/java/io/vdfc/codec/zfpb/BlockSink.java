package io.vdfc.codec.zfpb;

import io.vdfc.codec.entropy.RangeEncoder;

/**
 * Where {@link ZfpbEncoder} puts the blocks of whole-plane modes (accuracy, precision): verbatim bits ({@link Plain},
 * zfp's own stream) or range-coded ({@link Entropy}, {@code entropy=on}). Both carry the same syntax of
 * {@link ZfpbFormat}.
 */
interface BlockSink {
  /** A block of zeros. */
  void zero();

  /** A coded block: exponent field {@code e} (1..255), trim {@code t} (or -1 without trim), {@code planes} planes. */
  void coded(int e, int t, int[] u, int planes, long[] work);

  /** An escaped block coded with {@code p} (1..32) planes and exponent field {@code e}. */
  void escaped(int p, int e, int[] u, long[] work);

  /** An escaped block stored raw. */
  void raw(float[] v, int off);

  /** zfp's verbatim bit stream. */
  final class Plain implements BlockSink {
    private final BitWriter out;

    Plain(BitWriter out) {
      this.out = out;
    }

    @Override
    public void zero() {
      out.writeBit(0);
    }

    @Override
    public void coded(int e, int t, int[] u, int planes, long[] work) {
      out.writeBits(1 | (e << 1), 1 + ZfpbFormat.EXPONENT_BITS);
      if (t >= 0) {
        out.writeBits(t, ZfpbFormat.TRIM_BITS);
      }
      BitPlaneCoder.encode(out, u, planes, work);
    }

    @Override
    public void escaped(int p, int e, int[] u, long[] work) {
      out.writeBits(1, 1 + ZfpbFormat.EXPONENT_BITS);
      out.writeBits(p, ZfpbFormat.ESCAPE_PLANE_BITS);
      out.writeBits(e, ZfpbFormat.EXPONENT_BITS);
      BitPlaneCoder.encode(out, u, p, work);
    }

    @Override
    public void raw(float[] v, int off) {
      out.writeBits(1, 1 + ZfpbFormat.EXPONENT_BITS);
      out.writeBits(0, ZfpbFormat.ESCAPE_PLANE_BITS);
      for (int i = 0; i < 64; i++) {
        out.writeBits(Float.floatToRawIntBits(v[off + i]), 32);
      }
    }
  }

  /**
   * The range-coded stream of {@code entropy=on} ({@link ZfpbFormat} documents its contexts). One instance per cell.
   */
  final class Entropy implements BlockSink {
    final RangeEncoder rc = new RangeEncoder();
    private final EntropyHeaders headers = new EntropyHeaders();
    private final EntropyPlaneCoder planeCoder = new EntropyPlaneCoder();

    @Override
    public void zero() {
      headers.encodeNonZero(rc, false);
    }

    @Override
    public void coded(int e, int t, int[] u, int planes, long[] work) {
      headers.encodeNonZero(rc, true);
      headers.encodeEscape(rc, false);
      headers.encodeExponent(rc, e);
      if (t >= 0) {
        headers.encodeTrim(rc, t);
      }
      planeCoder.encode(rc, u, planes, work);
    }

    @Override
    public void escaped(int p, int e, int[] u, long[] work) {
      headers.encodeNonZero(rc, true);
      headers.encodeEscape(rc, true);
      rc.encodeDirect(p, ZfpbFormat.ESCAPE_PLANE_BITS);
      headers.encodeExponent(rc, e);
      planeCoder.encode(rc, u, p, work);
    }

    @Override
    public void raw(float[] v, int off) {
      headers.encodeNonZero(rc, true);
      headers.encodeEscape(rc, true);
      rc.encodeDirect(0, ZfpbFormat.ESCAPE_PLANE_BITS);
      for (int i = 0; i < 64; i++) {
        rc.encodeDirect(Float.floatToRawIntBits(v[off + i]), 32);
      }
    }
  }
}
