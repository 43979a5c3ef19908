package io.vdfc.codec.zfpb;

import io.vdfc.codec.zfpb.ZfpbSettings.Mode;

/**
 * The zfpb payload, format version 1 (all multi-byte fields little-endian; the bit stream is read least significant
 * bit first, byte after byte):
 *
 * <pre>
 * payload  := mode:u8 param:i16 blocks padding
 *   mode    low 4 bits: the mode; bit 4: trim (each coded block carries t:3, see below); bits 5-7: 0
 *           0 accuracy: param = minExp, floor(log2(tolerance)) at encoding
 *           1 precision: param = planes per block, 1..32
 *           2 rate: param = bits per block, 10..4137
 * blocks   := block * nBlocks, in the cell's stored block order
 * block    := '0'                                  all 64 values are 0 (rate mode: then bitsPerBlock-1 zero bits)
 *           | '1' e:8 (e in 1..255) [t:3] coefficients
 *                                                  emax = e - 127; t only with trim: t fewer planes than below
 *                                                  (at least 1 plane remains); the planes coded are
 *                                                  accuracy: min(32, max(0, emax - minExp + 8)); precision: param;
 *                                                  rate: as many as fit in bitsPerBlock - 9 bits, then zero bits
 *                                                  up to bitsPerBlock
 *           | '1' 0:8 p:6                          escape, never padded:
 *                 p = 0:        raw:32 * 64        the float bits of the 64 values, verbatim
 *                 p in 1..32:   e:8 coefficients   as a coded block, with p planes
 * padding  := '0' * (0..7)                         to the end of the last byte
 * </pre>
 *
 * A coded block holds the 64 values scaled by {@code 2^(30 - emax)} and truncated to int, transformed by
 * {@link BlockTransform}, reordered by sequency, mapped to negabinary and written by {@link BitPlaneCoder}. Values decode
 * as {@code (float) (int * 2^(emax - 30))}.
 */
final class ZfpbFormat {
  static final int VERSION = 1;
  static final int HEADER_BYTES = 3;
  static final int EXPONENT_BITS = 8;
  static final int EXPONENT_BIAS = 127;
  static final int ESCAPE_PLANE_BITS = 6;
  static final int TRIM_FLAG = 0x10;
  static final int TRIM_BITS = 3;
  static final int MAX_TRIM = (1 << TRIM_BITS) - 1;
  /** Lowest and highest minExp accepted: beyond these every block codes all or no planes anyway. */
  static final int MIN_EXP_LOW = -1100;
  static final int MIN_EXP_HIGH = 1100;

  private ZfpbFormat() {
    throw new AssertionError("no instances");
  }

  /** Planes a coded block gets in whole-plane modes (zfp's precision(): 2*(dims+1) = 8 guard planes for 3-D). */
  static int planes(Mode mode, int param, int emax) {
    return switch (mode) {
      case ACCURACY -> accuracyPlanes(param, emax);
      case PRECISION -> param;
      case RATE -> 32;
    };
  }

  static int accuracyPlanes(int minExp, int emax) {
    return Math.min(32, Math.max(0, emax - minExp + 8));
  }

  /** floor(log2(tolerance)), clamped to the accepted range. */
  static int minExp(double tolerance) {
    return Math.max(MIN_EXP_LOW, Math.min(MIN_EXP_HIGH, Math.getExponent(tolerance)));
  }
}
