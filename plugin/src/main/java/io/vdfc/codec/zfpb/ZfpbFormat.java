package io.vdfc.codec.zfpb;

import io.vdfc.codec.zfpb.ZfpbSettings.Mode;

/**
 * The zfpb payload, format version 2 (all multi-byte fields little-endian; the bit stream is read least significant
 * bit first, byte after byte). Version 1 is version 2 without the entropy flag; this build reads both:
 *
 * <pre>
 * payload  := mode:u8 param:i16 blocks padding
 *   mode    low 4 bits: the mode; bit 4: trim (each coded block carries t:3, see below); bit 5: entropy-coded
 *           (version 2, not with rate mode: see below); bit 6: rounded (version 2, not with rate mode: each
 *           non-zero coefficient of a coded block decodes with {@link #roundingOffset} added); bit 7: 0
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
 * <p>Entropy-coded payloads ({@code entropy=on}, bit 5): after the 3 header bytes, one {@link
 * io.vdfc.codec.entropy.RangeEncoder} stream to the end of the payload holding the same syntax, with every field coded
 * as follows (probabilities start at 1/2 and adapt block after block, in the stored order; see {@link EntropyHeaders}
 * and {@link EntropyPlaneCoder}):
 * <pre>
 * block    := nz=0                                 zeros; nz adaptive, context: the previous block's nz (first: 1)
 *           | nz=1 esc=0 de [t] planes             de = e - e_prev ({@link io.vdfc.codec.entropy.IntCoder}, one
 *                                                  context; e_prev: the previous coded block's e, first 127);
 *                                                  t: 3-bit binary tree of adaptive bits; planes: the bits of
 *                                                  {@link BitPlaneCoder}, each adaptive ({@link EntropyPlaneCoder})
 *           | nz=1 esc=1 p:6 (p = 0: raw:32 * 64 | p in 1..32: de planes)   p and raw bits direct (probability 1/2)
 * </pre>
 * The range-coded stream must end exactly at the payload's end.
 *
 * <p>A coded block holds the 64 values scaled by {@code 2^(30 - emax)} and truncated to int, transformed by
 * {@link BlockTransform}, reordered by sequency, mapped to negabinary and written by {@link BitPlaneCoder}. Values decode
 * as {@code (float) (int * 2^(emax - 30))}, the ints being the inverse transform of the decoded coefficients (with the
 * rounding offset where bit 6 says so).
 */
final class ZfpbFormat {
  static final int VERSION = 2;
  static final int HEADER_BYTES = 3;
  static final int EXPONENT_BITS = 8;
  static final int EXPONENT_BIAS = 127;
  static final int ESCAPE_PLANE_BITS = 6;
  static final int TRIM_FLAG = 0x10;
  static final int ENTROPY_FLAG = 0x20;
  static final int ROUND_FLAG = 0x40;
  /** {@link #roundingOffset} by planes kept, 0..32. */
  private static final int[] OFFSETS = new int[33];

  static {
    for (int planes = 0; planes <= 32; planes++) {
      long max = 0;
      long min = 0;
      for (int i = 0; i < 32 - planes; i++) {
        if (i % 2 == 0) {
          max += 1L << i;
        } else {
          min -= 1L << i;
        }
      }
      OFFSETS[planes] = (int) ((max + min) >> 1);
    }
  }
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

  /**
   * With {@code round=on}: what a decoded non-zero coefficient of a block coded with {@code planes} planes gets added,
   * the middle of the interval its cleared negabinary planes can hold ({@code sum b_i (-2)^i}, {@code i < 32 - planes}),
   * so that its error is centred instead of one-sided. Zero coefficients stay zero.
   */
  static int roundingOffset(int planes) {
    return OFFSETS[Math.max(0, Math.min(32, planes))];
  }

  /** floor(log2(tolerance)), clamped to the accepted range. */
  static int minExp(double tolerance) {
    return Math.max(MIN_EXP_LOW, Math.min(MIN_EXP_HIGH, Math.getExponent(tolerance)));
  }
}
