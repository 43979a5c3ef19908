package io.vdfc.codec.zfpb;

import io.vdfc.codec.entropy.BitModel;
import io.vdfc.codec.entropy.RangeDecoder;
import io.vdfc.codec.entropy.RangeEncoder;

/**
 * zfp's embedded bit-plane coder ({@link BitPlaneCoder}: the same bits in the same order) with every bit range-coded
 * against an adaptive probability instead of written verbatim: the {@code entropy=on} stage of zfpb. The contexts:
 * <ul>
 *   <li>a value bit of an already significant coefficient: the coefficient's sequency index {@code i} and the plane's
 *       rank below the block's top plane (capped at {@link #RANKS}{@code  - 1});
 *   <li>a group test ("another coefficient becomes significant in this plane"): the count {@code n} of significant
 *       coefficients and the plane's rank;
 *   <li>a bit of the run of zeros up to the next significant coefficient: that coefficient's index.
 * </ul>
 * Low-sequency coefficients become significant in the top planes and stay predictable there, and a block's group tests
 * follow the cell's smoothness; zfp spends a whole bit on each of these. One instance per cell: the probabilities adapt
 * from block to block and must evolve identically when decoding, block by block in the stored order.
 */
final class EntropyPlaneCoder {
  private static final int SIZE = 64;
  static final int RANKS = 8;

  private final short[] value = BitModel.slots(RANKS * SIZE);
  private final short[] group = BitModel.slots(RANKS * (SIZE + 1));
  private final short[] run = BitModel.slots(SIZE);

  /**
   * Codes planes {@code 31 .. 32 - maxPrec} of the negabinary coefficients {@code u}.
   *
   * @param planes work array of 32 longs, overwritten
   */
  void encode(RangeEncoder rc, int[] u, int maxPrec, long[] planes) {
    int kmin = 32 - Math.min(maxPrec, 32);
    BitPlaneCoder.toPlanes(u, planes);
    int n = 0;
    for (int k = 31; k >= kmin; k--) {
      int rank = Math.min(31 - k, RANKS - 1);
      long x = planes[k];
      int vbase = rank * SIZE;
      for (int i = 0; i < n; i++) {
        rc.encodeBit(value, vbase + i, (int) (x >>> i) & 1);
      }
      x = n == SIZE ? 0 : x >>> n;
      int gbase = rank * (SIZE + 1);
      while (n < SIZE) {
        if (x == 0) {
          rc.encodeBit(group, gbase + n, 0);
          break;
        }
        rc.encodeBit(group, gbase + n, 1);
        // zeros up to the next one-bit; the last coefficient's one-bit is implied
        while (n < SIZE - 1) {
          int b = (int) x & 1;
          rc.encodeBit(run, n, b);
          if (b != 0) {
            break;
          }
          x >>>= 1;
          n++;
        }
        x >>>= 1;
        n++;
      }
    }
  }

  /**
   * The mirror of {@link #encode}: the coefficients with their planes below {@code 32 - maxPrec} cleared.
   *
   * @param planes work array of 32 longs, overwritten
   */
  void decode(RangeDecoder rd, int[] u, int maxPrec, long[] planes) {
    int kmin = 32 - Math.min(maxPrec, 32);
    for (int k = 0; k < kmin; k++) {
      planes[k] = 0;
    }
    int n = 0;
    for (int k = 31; k >= kmin; k--) {
      int rank = Math.min(31 - k, RANKS - 1);
      int vbase = rank * SIZE;
      long x = 0;
      for (int i = 0; i < n; i++) {
        x |= (long) rd.decodeBit(value, vbase + i) << i;
      }
      int gbase = rank * (SIZE + 1);
      while (n < SIZE && rd.decodeBit(group, gbase + n) != 0) {
        while (n < SIZE - 1 && rd.decodeBit(run, n) == 0) {
          n++;
        }
        x |= 1L << n;
        n++;
      }
      planes[k] = x;
    }
    BitPlaneCoder.fromPlanes(planes, u);
  }
}
