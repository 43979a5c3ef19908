package io.vdfc.codec.nn;

import static io.vdfc.codec.CorruptRecordException.verify;

import io.vdfc.codec.CorruptRecordException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Float tensors stored as {@code bits}-bit signed integers with one float32 scale per tensor (symmetric linear
 * quantisation: {@code value = q * scale}, {@code |q| <= 2^(bits-1) - 1}).
 *
 * <p>Layout per tensor: float32 LE scale (finite, {@code >= 0}), then {@code ceil(len * bits / 8)} bytes of the
 * two's-complement integers packed LSB-first. The lengths are not stored: the reader knows the shapes.
 */
public final class Quantiser {
  private Quantiser() {
    throw new AssertionError("no instances");
  }

  /** Rounds {@code t} in place to what {@link #read} will return, and appends its encoding to {@code out}. */
  public static void write(ByteArrayOutputStream out, float[] t, int bits) {
    checkBits(bits);
    int qmax = (1 << (bits - 1)) - 1;
    float max = 0;
    for (float v : t) {
      max = Math.max(max, Math.abs(v));
    }
    float scale = max / qmax;
    ByteBuffer sb = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(scale);
    out.write(sb.array(), 0, 4);
    PackedBits.Writer packed = new PackedBits.Writer(out);
    for (int k = 0; k < t.length; k++) {
      int q = scale == 0 ? 0 : Math.max(-qmax, Math.min(qmax, Math.round(t[k] / scale)));
      t[k] = q * scale;
      packed.write(q, bits); // two's complement, its low bits
    }
    packed.finish();
  }

  /** Bytes {@link #write} takes for {@code len} values. */
  public static int size(int len, int bits) {
    return 4 + (int) (((long) len * bits + 7) / 8);
  }

  /** Reads a tensor of {@code t.length} values into {@code t}. */
  public static void read(ByteBuffer in, float[] t, int bits, String what) throws CorruptRecordException {
    verify(bits >= 2 && bits <= 16, "%s: %d bits per weight, expected 2..16", what, bits);
    verify(in.remaining() >= size(t.length, bits), "%s: %d bytes left at offset %d, the tensor needs %d", what,
        in.remaining(), in.position(), size(t.length, bits));
    float scale = in.order(ByteOrder.LITTLE_ENDIAN).getFloat();
    verify(Float.isFinite(scale) && scale >= 0, "%s: scale %s is not a finite non-negative number", what, scale);
    PackedBits.Reader packed = new PackedBits.Reader(in);
    int shift = 64 - bits;
    for (int k = 0; k < t.length; k++) {
      long q = (packed.read(bits) << shift) >> shift; // sign-extended
      t[k] = q * scale;
    }
  }

  private static void checkBits(int bits) {
    if (bits < 2 || bits > 16) {
      throw new IllegalArgumentException("weights of " + bits + " bits, expected 2..16");
    }
  }
}
