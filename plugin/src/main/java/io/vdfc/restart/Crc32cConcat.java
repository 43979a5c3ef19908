package io.vdfc.restart;

/**
 * The CRC32C ({@link java.util.zip.CRC32C}) of a concatenation from the CRCs of its pieces, without their bytes: the
 * ranks checksum the parts they write, and rank 0 joins them into each array's checksum instead of reading the file
 * back.
 *
 * <p>Arithmetic is on polynomials over GF(2) modulo the CRC32C polynomial in the reflected form the CRC uses (bit 31
 * holds the coefficient of x^0, bit 0 that of x^31). Appending n bytes to a message multiplies its CRC register by
 * x^(8n); with the CRC's initial and final inversions the two cancel, so {@code crc(A B) = crc(A) x^(8 |B|) + crc(B)}.
 */
final class Crc32cConcat {
  /** The Castagnoli polynomial, reflected (x^32 implied). */
  private static final int POLY = 0x82F63B78;
  /** x^0 = 1 in the reflected form. */
  private static final int ONE = 1 << 31;
  /** x^(2^k) mod P for k = 0..63: the squarings that raise x to any 64-bit power. */
  private static final int[] X_POW_2K = new int[64];

  static {
    X_POW_2K[0] = ONE >>> 1; // x^1
    for (int k = 1; k < X_POW_2K.length; k++) {
      X_POW_2K[k] = multiply(X_POW_2K[k - 1], X_POW_2K[k - 1]);
    }
  }

  private Crc32cConcat() {
    throw new AssertionError("no instances");
  }

  /**
   * @param crcA CRC32C of the first piece
   * @param crcB CRC32C of the second piece
   * @param lengthB bytes in the second piece
   * @return CRC32C of the first piece followed by the second
   */
  static int concat(int crcA, int crcB, long lengthB) {
    if (lengthB < 0) {
      throw new IllegalArgumentException("negative length " + lengthB);
    }
    return multiply(crcA, xPow(8 * lengthB)) ^ crcB;
  }

  /** x^n mod P, by the binary expansion of n (n < 2^63: lengths up to 2^60 bytes). */
  private static int xPow(long n) {
    int p = ONE;
    for (int k = 0; n != 0; k++, n >>>= 1) {
      if ((n & 1) != 0) {
        p = multiply(p, X_POW_2K[k]);
      }
    }
    return p;
  }

  /** a * b mod P: for each term x^i of a (bit 31 - i), add b x^i; b is multiplied by x as i grows. */
  private static int multiply(int a, int b) {
    int p = 0;
    for (int i = 0; i < 32 && a != 0; i++, a <<= 1) {
      if (a < 0) {
        p ^= b;
      }
      b = (b & 1) != 0 ? (b >>> 1) ^ POLY : b >>> 1;
    }
    return p;
  }
}
