package io.vdfc.codec.model;

/**
 * Coefficients stored as the leading 16, 24 or 32 bits of their float32 form (sign, 8-bit exponent, 7, 15 or 23
 * mantissa bits), rounded to nearest: a per-value exponent keeps the relative precision ({@code 2^-8}, {@code 2^-16},
 * {@code 2^-24}) whatever the coefficient's magnitude, which matters for expansions whose terms span many decades.
 */
public final class Quantized {
  private Quantized() {
    throw new AssertionError("no instances");
  }

  /** Checks an option value: 16, 24 or 32. */
  public static int checkBits(int bits) {
    if (bits != 16 && bits != 24 && bits != 32) {
      throw new IllegalArgumentException("codec option bits=" + bits + " must be 16, 24 or 32");
    }
    return bits;
  }

  /** The value's leading {@code bits} bits as an unsigned integer (right-aligned); non-finite values become 0. */
  static int bits(double v, int bits) {
    float f = (float) v;
    if (!Float.isFinite(f)) {
      f = 0;
    }
    int b = Float.floatToRawIntBits(f);
    if (bits == 32) {
      return b;
    }
    int drop = 32 - bits;
    int mag = b & 0x7fffffff;
    int rounded = (mag + (1 << (drop - 1))) >>> drop;
    if ((rounded << drop) >= 0x7f800000) {
      rounded = (0x7f7fffff >>> drop); // stays finite
    }
    return ((b >>> 31) << (bits - 1)) | rounded;
  }

  /** The value as the decoder will read it. */
  public static double round(double v, int bits) {
    return Float.intBitsToFloat(bits(v, bits) << (32 - bits));
  }
}
