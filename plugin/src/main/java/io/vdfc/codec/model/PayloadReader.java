package io.vdfc.codec.model;

import static io.vdfc.codec.CorruptRecordException.verify;

import io.vdfc.codec.CorruptRecordException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Guarded big-endian reads from a model codec's payload: every read checks the bytes left and names the offset. */
public final class PayloadReader {
  private final ByteBuffer in;
  private final String codec;

  public PayloadReader(ByteBuffer in, String codec) {
    this.in = in.duplicate().order(ByteOrder.BIG_ENDIAN);
    this.in.position(in.position()).limit(in.limit());
    this.codec = codec;
  }

  private void need(int n, String what) throws CorruptRecordException {
    verify(n >= 0 && in.remaining() >= n, "%s payload: %s needs %d bytes at offset %d, %d left", codec, what, n,
        in.position(), in.remaining());
  }

  public int u8(String what) throws CorruptRecordException {
    need(1, what);
    return in.get() & 0xff;
  }

  public int u16(String what) throws CorruptRecordException {
    need(2, what);
    return in.getShort() & 0xffff;
  }

  /** A float32 that must be finite. */
  public float f32(String what) throws CorruptRecordException {
    need(4, what);
    float v = in.getFloat();
    verify(Float.isFinite(v), "%s payload: %s is %s at offset %d, expected a finite number", codec, what, v,
        in.position() - 4);
    return v;
  }

  /** {@code count} values written by {@link Quantized#write} with {@code bits} bits each. */
  public double[] quantized(int count, int bits, String what) throws CorruptRecordException {
    verify(count >= 0 && count <= (1 << 24), "%s payload: %d %s is impossible", codec, count, what);
    int bytes = bits / 8;
    need(count * bytes, count + " " + what);
    double[] out = new double[count];
    for (int i = 0; i < count; i++) {
      int b = 0;
      for (int k = 0; k < bytes; k++) {
        b = (b << 8) | (in.get() & 0xff);
      }
      float v = Float.intBitsToFloat(b << (32 - bits));
      verify(Float.isFinite(v), "%s payload: %s %d is not finite (offset %d)", codec, what, i, in.position() - bytes);
      out[i] = v;
    }
    return out;
  }

  /** The rest of the payload, for the residual stage. */
  public ByteBuffer rest() {
    ByteBuffer r = in.slice();
    in.position(in.limit());
    return r;
  }

  public int remaining() {
    return in.remaining();
  }

  public int position() {
    return in.position();
  }
}
