package io.vdfc.codec.zfpb;

import io.vdfc.codec.CorruptRecordException;
import io.vdfc.codec.entropy.BitModel;
import io.vdfc.codec.entropy.IntCoder;
import io.vdfc.codec.entropy.RangeDecoder;
import io.vdfc.codec.entropy.RangeEncoder;

/**
 * The block headers of zfpb's {@code entropy=on} stream, range-coded: the non-zero flag in the context of the previous
 * block's flag, an escape flag, the exponent field as its difference from the previous coded block's (neighbouring
 * blocks of a VDF have close exponents: zfp spends 8 bits on each), and the trim as a 3-bit binary tree. The state
 * evolves block by block, identically on both sides.
 */
final class EntropyHeaders {
  private final short[] nonZero = BitModel.slots(2);
  private final short[] escape = BitModel.slots(1);
  private final short[] trim = BitModel.slots(1 << ZfpbFormat.TRIM_BITS);
  private final IntCoder exponent = new IntCoder(1);
  private int previousNonZero = 1;
  private int previousExponent = ZfpbFormat.EXPONENT_BIAS;

  void encodeNonZero(RangeEncoder rc, boolean nz) {
    int bit = nz ? 1 : 0;
    rc.encodeBit(nonZero, previousNonZero, bit);
    previousNonZero = bit;
  }

  boolean decodeNonZero(RangeDecoder rd) {
    previousNonZero = rd.decodeBit(nonZero, previousNonZero);
    return previousNonZero != 0;
  }

  void encodeEscape(RangeEncoder rc, boolean escaped) {
    rc.encodeBit(escape, 0, escaped ? 1 : 0);
  }

  boolean decodeEscape(RangeDecoder rd) {
    return rd.decodeBit(escape, 0) != 0;
  }

  /** {@code e} in 1..255. */
  void encodeExponent(RangeEncoder rc, int e) {
    exponent.encode(rc, 0, e - previousExponent);
    previousExponent = e;
  }

  int decodeExponent(RangeDecoder rd, int block) throws CorruptRecordException {
    int e = previousExponent + exponent.decode(rd, 0);
    CorruptRecordException.verify(e >= 1 && e <= 255, "zfpb block %d: exponent field %d outside 1..255", block, e);
    previousExponent = e;
    return e;
  }

  void encodeTrim(RangeEncoder rc, int t) {
    int node = 1;
    for (int i = ZfpbFormat.TRIM_BITS - 1; i >= 0; i--) {
      int bit = (t >>> i) & 1;
      rc.encodeBit(trim, node, bit);
      node = 2 * node + bit;
    }
  }

  int decodeTrim(RangeDecoder rd) {
    int node = 1;
    for (int i = 0; i < ZfpbFormat.TRIM_BITS; i++) {
      node = 2 * node + rd.decodeBit(trim, node);
    }
    return node - (1 << ZfpbFormat.TRIM_BITS);
  }
}
