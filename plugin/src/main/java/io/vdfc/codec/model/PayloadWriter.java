package io.vdfc.codec.model;

import java.io.ByteArrayOutputStream;

/** Big-endian writes for a model codec's payload (the counterpart of {@link PayloadReader}). */
public final class PayloadWriter {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  public PayloadWriter u8(int v) {
    if (v < 0 || v > 255) {
      throw new IllegalArgumentException("u8 out of range: " + v);
    }
    out.write(v);
    return this;
  }

  public PayloadWriter u16(int v) {
    if (v < 0 || v > 65535) {
      throw new IllegalArgumentException("u16 out of range: " + v);
    }
    out.write(v >>> 8);
    out.write(v);
    return this;
  }

  public PayloadWriter f32(float v) {
    int b = Float.floatToRawIntBits(v);
    for (int s = 24; s >= 0; s -= 8) {
      out.write(b >>> s);
    }
    return this;
  }

  /** Coefficients rounded to {@code bits} (16, 24 or 32) leading bits of their float32 form. */
  public PayloadWriter quantized(double[] values, int bits) {
    for (double v : values) {
      int b = Quantized.bits(v, bits);
      for (int s = bits - 8; s >= 0; s -= 8) {
        out.write(b >>> s);
      }
    }
    return this;
  }

  public PayloadWriter bytes(byte[] b) {
    out.write(b, 0, b.length);
    return this;
  }

  public int size() {
    return out.size();
  }

  public byte[] toByteArray() {
    return out.toByteArray();
  }
}
