package io.vdfc.codec.zfpb;

import java.util.Arrays;
import java.util.Comparator;

/**
 * The integer parts of zfp's block pipeline on one 4x4x4 block of 32-bit integers (index {@code x + 4y + 16z}):
 * the decorrelating lifting transform applied along x, then y, then z (inverse in reverse order), the reordering of
 * coefficients by sequency and the two's complement to negabinary mapping.
 *
 * <p>The 1-D lifting step is zfp's non-orthogonal transform (Lindstrom 2014, zfp docs "algorithm", step 3): forward
 * {@code 1/16 * [[4,4,4,4],[5,1,-1,-5],[-4,4,4,-4],[-2,6,-6,2]]}, computed with shifts and adds only. Its inverse is
 * exact up to the low bits that the forward shifts drop.
 */
final class BlockTransform {
  /** {@code ORDER[i]} is the block index of the {@code i}-th coefficient in sequency order. */
  static final int[] ORDER = sequencyOrder();

  private static final int NB = 0xaaaaaaaa;

  private BlockTransform() {
    throw new AssertionError("no instances");
  }

  /** In-place forward transform of the 64 values at {@code p[0..63]}. */
  static void forward(int[] p) {
    for (int row = 0; row < 64; row += 4) {
      fwdLift(p, row, 1);
    }
    for (int z = 0; z < 64; z += 16) {
      for (int x = 0; x < 4; x++) {
        fwdLift(p, z + x, 4);
      }
    }
    for (int yx = 0; yx < 16; yx++) {
      fwdLift(p, yx, 16);
    }
  }

  /** In-place inverse of {@link #forward}. */
  static void inverse(int[] p) {
    for (int yx = 0; yx < 16; yx++) {
      invLift(p, yx, 16);
    }
    for (int z = 0; z < 64; z += 16) {
      for (int x = 0; x < 4; x++) {
        invLift(p, z + x, 4);
      }
    }
    for (int row = 0; row < 64; row += 4) {
      invLift(p, row, 1);
    }
  }

  /** Two's complement to negabinary: the bits of small magnitudes of either sign stay in the low planes. */
  static int toNegabinary(int x) {
    return (x + NB) ^ NB;
  }

  static int fromNegabinary(int u) {
    return (u ^ NB) - NB;
  }

  private static void fwdLift(int[] p, int o, int s) {
    int x = p[o];
    int y = p[o + s];
    int z = p[o + 2 * s];
    int w = p[o + 3 * s];
    x = (x + w) >> 1;
    w -= x;
    z = (z + y) >> 1;
    y -= z;
    x = (x + z) >> 1;
    z -= x;
    w = (w + y) >> 1;
    y -= w;
    w += y >> 1;
    y -= w >> 1;
    p[o] = x;
    p[o + s] = y;
    p[o + 2 * s] = z;
    p[o + 3 * s] = w;
  }

  // Undoes the five steps of fwdLift from last to first.
  private static void invLift(int[] p, int o, int s) {
    int x = p[o];
    int y = p[o + s];
    int z = p[o + 2 * s];
    int w = p[o + 3 * s];
    y += w >> 1;
    w -= y >> 1;
    y += w;
    w = (w << 1) - y;
    z += x;
    x = (x << 1) - z;
    y += z;
    z = (z << 1) - y;
    w += x;
    x = (x << 1) - w;
    p[o] = x;
    p[o + s] = y;
    p[o + 2 * s] = z;
    p[o + 3 * s] = w;
  }

  // Low total frequency i+j+k first, then low i^2+j^2+k^2 (zfp's ordering rule); ties keep index order.
  private static int[] sequencyOrder() {
    Integer[] idx = new Integer[64];
    for (int i = 0; i < 64; i++) {
      idx[i] = i;
    }
    Comparator<Integer> bySum = Comparator.comparingInt(b -> (b & 3) + ((b >> 2) & 3) + (b >> 4));
    Comparator<Integer> bySquares = Comparator.comparingInt(b -> sq(b & 3) + sq((b >> 2) & 3) + sq(b >> 4));
    Arrays.sort(idx, bySum.thenComparing(bySquares));
    int[] out = new int[64];
    for (int i = 0; i < 64; i++) {
      out[i] = idx[i];
    }
    return out;
  }

  private static int sq(int v) {
    return v * v;
  }
}
