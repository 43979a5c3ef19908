package io.vdfc.codec.entropy;

import io.vdfc.codec.CorruptRecordException;

/**
 * Adaptive context model for quantised signed integers on top of the binary range coder: per context a zero flag, a
 * sign, the exponent {@code e = floor(log2 |v|)} in unary with one adaptive slot per position, the two mantissa bits
 * below the leading one adaptive per exponent, and the remaining mantissa bits direct. Contexts are chosen by the
 * caller (e.g. a transform coefficient's frequency band), so the coder learns each band's statistics separately.
 * Magnitudes are limited to {@code 2^31 - 1}. Encoder and decoder must be built with the same context count.
 */
public final class IntCoder {
  /** Largest exponent: |v| < 2^31. */
  static final int MAX_EXP = 30;
  private static final int MANT_CTX = 3; // 2 adaptive bits: slots 1..3 of a binary tree

  private final short[] zero;
  private final short[] sign;
  private final short[] exp;
  private final short[] mant;

  /** A fresh model with {@code contexts} independent contexts. */
  public IntCoder(int contexts) {
    if (contexts < 1) {
      throw new IllegalArgumentException("contexts must be >= 1, got " + contexts);
    }
    zero = BitModel.slots(contexts);
    sign = BitModel.slots(contexts);
    exp = BitModel.slots(contexts * (MAX_EXP + 1));
    mant = BitModel.slots(contexts * (MAX_EXP + 1) * (MANT_CTX + 1));
  }

  /** Codes {@code v} (|v| <= 2^31 - 1) in context {@code ctx}. */
  public void encode(RangeEncoder rc, int ctx, int v) {
    if (v == 0) {
      rc.encodeBit(zero, ctx, 0);
      return;
    }
    if (v == Integer.MIN_VALUE) {
      throw new IllegalArgumentException("IntCoder codes magnitudes below 2^31");
    }
    rc.encodeBit(zero, ctx, 1);
    rc.encodeBit(sign, ctx, v < 0 ? 1 : 0);
    int m = Math.abs(v);
    int e = 31 - Integer.numberOfLeadingZeros(m);
    int base = ctx * (MAX_EXP + 1);
    for (int i = 0; i < e; i++) {
      rc.encodeBit(exp, base + i, 1);
    }
    if (e < MAX_EXP) {
      rc.encodeBit(exp, base + e, 0);
    }
    int adaptive = Math.min(e, 2);
    int node = 1;
    int mbase = (base + e) * (MANT_CTX + 1);
    for (int i = 1; i <= adaptive; i++) {
      int bit = (m >>> (e - i)) & 1;
      rc.encodeBit(mant, mbase + node, bit);
      node = 2 * node + bit;
    }
    if (e > 2) {
      rc.encodeDirect(m, e - 2);
    }
  }

  /** Decodes one integer of context {@code ctx}; never loops more than 31 times. */
  public int decode(RangeDecoder rd, int ctx) throws CorruptRecordException {
    if (rd.decodeBit(zero, ctx) == 0) {
      return 0;
    }
    boolean negative = rd.decodeBit(sign, ctx) == 1;
    int base = ctx * (MAX_EXP + 1);
    int e = 0;
    while (e < MAX_EXP && rd.decodeBit(exp, base + e) == 1) {
      e++;
    }
    int adaptive = Math.min(e, 2);
    int node = 1;
    int mbase = (base + e) * (MANT_CTX + 1);
    int m = 1;
    for (int i = 1; i <= adaptive; i++) {
      int bit = rd.decodeBit(mant, mbase + node);
      node = 2 * node + bit;
      m = (m << 1) | bit;
    }
    if (e > 2) {
      m = (m << (e - 2)) | rd.decodeDirect(e - 2);
    }
    return negative ? -m : m;
  }
}
