package io.vdfc.codec.zfpb;

import io.vdfc.codec.CorruptRecordException;

/**
 * zfp's embedded coder for the 64 negabinary coefficients of one block (zfp docs "algorithm", step 7): bit planes from
 * the most significant down, each plane as (a) the bits of the {@code n} coefficients already known to be significant,
 * verbatim, then (b) group tests: a 1 says "another coefficient becomes significant in this plane" and is followed by
 * zeros up to that coefficient's one-bit (the last coefficient's one-bit is implied), a 0 ends the plane.
 *
 * <p>The {@code *Budget} variants stop after {@code maxBits} bits (fixed rate); the others code whole planes
 * {@code 31 .. 32 - maxPrec}, so the decoded coefficients are the originals with their lower planes cleared.
 */
final class BitPlaneCoder {
  private static final int SIZE = 64;

  private BitPlaneCoder() {
    throw new AssertionError("no instances");
  }

  /** The plane mask that whole-plane coding with {@code maxPrec} planes keeps. */
  static int keptMask(int maxPrec) {
    return maxPrec >= 32 ? -1 : -1 << (32 - maxPrec);
  }

  /**
   * @param planes work array of 32 longs, overwritten
   */
  static void encode(BitWriter out, int[] u, int maxPrec, long[] planes) {
    int kmin = 32 - Math.min(maxPrec, 32);
    toPlanes(u, planes);
    int n = 0;
    for (int k = 31; k >= kmin; k--) {
      long x = planes[k];
      if (n > 0) {
        out.writeBits(x, n);
        x = n == SIZE ? 0 : x >>> n;
      }
      while (n < SIZE) {
        if (x == 0) {
          out.writeBit(0);
          break;
        }
        int tz = Long.numberOfTrailingZeros(x);
        if (n + tz < SIZE - 1) {
          // group test 1, tz zeros, the one-bit
          out.writeBits(1L | (1L << (tz + 1)), tz + 2);
          x >>>= tz + 1;
          n += tz + 1;
        } else {
          // group test 1, zeros up to the last coefficient, whose one-bit is implied
          out.writeBits(1L, SIZE - n);
          x = 0;
          n = SIZE;
        }
      }
    }
  }

  /**
   * @param planes work array of 32 longs, overwritten
   */
  static void decode(BitReader in, int[] u, int maxPrec, long[] planes) throws CorruptRecordException {
    int kmin = 32 - Math.min(maxPrec, 32);
    for (int k = 0; k < kmin; k++) {
      planes[k] = 0;
    }
    int n = 0;
    for (int k = 31; k >= kmin; k--) {
      long x = n > 0 ? in.readBits(n) : 0;
      while (n < SIZE) {
        if (in.readBit() == 0) {
          break;
        }
        n += in.skipZerosThroughOne(SIZE - 1 - n);
        x |= 1L << n;
        n++;
      }
      planes[k] = x;
    }
    fromPlanes(planes, u);
  }

  /** Rate-limited encoding; returns the bits written ({@code <= maxBits}). */
  static int encodeBudget(BitWriter out, int[] u, int maxPrec, int maxBits) {
    int kmin = 32 - Math.min(maxPrec, 32);
    int bits = maxBits;
    int n = 0;
    for (int k = 31; bits > 0 && k >= kmin; k--) {
      long x = plane(u, k);
      int m = Math.min(n, bits);
      bits -= m;
      out.writeBits(x, m);
      x = m == SIZE ? 0 : x >>> m;
      for (; bits > 0 && n < SIZE; x >>>= 1, n++) {
        bits--;
        int any = x != 0 ? 1 : 0;
        out.writeBit(any);
        if (any == 0) {
          break;
        }
        for (; bits > 0 && n < SIZE - 1; x >>>= 1, n++) {
          bits--;
          int b = (int) x & 1;
          out.writeBit(b);
          if (b != 0) {
            break;
          }
        }
      }
    }
    return maxBits - bits;
  }

  /** Rate-limited decoding, the mirror of {@link #encodeBudget}; returns the bits read. */
  static int decodeBudget(BitReader in, int[] u, int maxPrec, int maxBits) throws CorruptRecordException {
    int kmin = 32 - Math.min(maxPrec, 32);
    for (int i = 0; i < SIZE; i++) {
      u[i] = 0;
    }
    int bits = maxBits;
    int n = 0;
    for (int k = 31; bits > 0 && k >= kmin; k--) {
      int m = Math.min(n, bits);
      bits -= m;
      long x = in.readBits(m);
      while (n < SIZE && bits > 0) {
        bits--;
        if (in.readBit() == 0) {
          break;
        }
        while (n < SIZE - 1 && bits > 0) {
          bits--;
          if (in.readBit() != 0) {
            break;
          }
          n++;
        }
        // the one-bit found, implied (last coefficient) or, when the budget ran out mid-scan, assumed here
        x |= 1L << n;
        n++;
      }
      deposit(u, x, k);
    }
    return maxBits - bits;
  }

  /** {@code planes[k]} bit {@code i} = bit {@code k} of {@code u[i]}: a 64x32 bit transpose. */
  static void toPlanes(int[] u, long[] planes) {
    for (int k = 0; k < 32; k++) {
      planes[k] = (u[k] & 0xffffffffL) | ((long) u[k + 32] << 32);
    }
    transpose(planes);
  }

  /** The inverse of {@link #toPlanes}; {@code planes} is overwritten. */
  static void fromPlanes(long[] planes, int[] u) {
    transpose(planes);
    for (int k = 0; k < 32; k++) {
      long w = planes[k];
      u[k] = (int) w;
      u[k + 32] = (int) (w >>> 32);
    }
  }

  // Transposes the two 32x32 bit matrices held in the low and the high halves of w[0..31] at once (row r = w[r],
  // column c = bit c): at each level j the off-diagonal j x j sub-blocks swap.
  private static void transpose(long[] w) {
    swapLevel(w, 16, 0x0000ffff0000ffffL);
    swapLevel(w, 8, 0x00ff00ff00ff00ffL);
    swapLevel(w, 4, 0x0f0f0f0f0f0f0f0fL);
    swapLevel(w, 2, 0x3333333333333333L);
    swapLevel(w, 1, 0x5555555555555555L);
  }

  private static void swapLevel(long[] w, int j, long mask) {
    for (int base = 0; base < 32; base += 2 * j) {
      for (int k = base; k < base + j; k++) {
        long t = ((w[k] >>> j) ^ w[k + j]) & mask;
        w[k + j] ^= t;
        w[k] ^= t << j;
      }
    }
  }

  private static long plane(int[] u, int k) {
    long x = 0;
    for (int i = 0; i < SIZE; i++) {
      x |= (long) ((u[i] >>> k) & 1) << i;
    }
    return x;
  }

  private static void deposit(int[] u, long x, int k) {
    int bit = 1 << k;
    while (x != 0) {
      u[Long.numberOfTrailingZeros(x)] |= bit;
      x &= x - 1;
    }
  }
}
