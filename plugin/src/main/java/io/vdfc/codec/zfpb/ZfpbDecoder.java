package io.vdfc.codec.zfpb;

import static io.vdfc.codec.CorruptRecordException.verify;

import io.vdfc.codec.CorruptRecordException;
import io.vdfc.codec.zfpb.ZfpbSettings.Mode;

/** Decodes a {@link ZfpbFormat} payload; every field read is range-checked and the bit reader is bounds-checked. */
final class ZfpbDecoder {
  private static final int BLOCK = 64;

  private final int[] u = new int[BLOCK];
  private final int[] q = new int[BLOCK];
  private final long[] planeBits = new long[32];
  private final BitReader in = new BitReader();
  private boolean trim;

  /**
   * @param buf the payload is {@code buf[start, end)}, which must be consumed exactly
   * @return {@code 64 * nBlocks} values
   */
  float[] decode(byte[] buf, int start, int end, int nBlocks) throws CorruptRecordException {
    int length = end - start;
    verify(length >= ZfpbFormat.HEADER_BYTES, "zfpb payload of %d bytes is shorter than its %d-byte header", length,
        ZfpbFormat.HEADER_BYTES);
    verify(nBlocks >= 0 && nBlocks <= Integer.MAX_VALUE / BLOCK, "zfpb: %d blocks is not a valid block count", nBlocks);
    // every block takes at least one bit: refuse block counts the payload cannot hold before allocating
    verify((long) nBlocks <= 8L * (length - ZfpbFormat.HEADER_BYTES),
        "zfpb payload of %d bytes cannot hold %d blocks", length, nBlocks);
    in.reset(buf, start, end);
    int modeByte = (int) in.readBits(8);
    Mode mode = Mode.ofCode(modeByte & 0x0f);
    verify(mode != null && (modeByte & ~(0x0f | ZfpbFormat.TRIM_FLAG)) == 0,
        "zfpb payload byte 0: %d is no mode (expected 0 accuracy, 1 precision, 2 rate, +16 with trim)", modeByte);
    trim = (modeByte & ZfpbFormat.TRIM_FLAG) != 0;
    verify(!(trim && mode == Mode.RATE), "zfpb payload byte 0: trim with rate mode");
    int param = (short) in.readBits(16);
    switch (mode) {
      case ACCURACY -> verify(param >= ZfpbFormat.MIN_EXP_LOW && param <= ZfpbFormat.MIN_EXP_HIGH,
          "zfpb accuracy payload: minExp %d outside [%d, %d]", param, ZfpbFormat.MIN_EXP_LOW, ZfpbFormat.MIN_EXP_HIGH);
      case PRECISION -> verify(param >= 1 && param <= 32, "zfpb precision payload: %d planes outside [1, 32]", param);
      case RATE -> verify(param >= ZfpbSettings.MIN_BLOCK_BITS && param <= ZfpbSettings.MAX_BLOCK_BITS,
          "zfpb rate payload: %d bits per block outside [%d, %d]", param, ZfpbSettings.MIN_BLOCK_BITS,
          ZfpbSettings.MAX_BLOCK_BITS);
    }
    float[] values = new float[nBlocks * BLOCK];
    for (int b = 0; b < nBlocks; b++) {
      decodeBlock(mode, param, values, b * BLOCK, b);
    }
    verify(in.atPaddedEnd(), "zfpb payload: %d blocks end at byte %d of %d, or the padding bits are not zero", nBlocks,
        in.bytesConsumed(), length);
    return values;
  }

  private void decodeBlock(Mode mode, int param, float[] values, int off, int block) throws CorruptRecordException {
    if (in.readBit() == 0) {
      if (mode == Mode.RATE) {
        in.skip(param - 1);
      }
      return; // values are already zero
    }
    int e = (int) in.readBits(ZfpbFormat.EXPONENT_BITS);
    if (e == 0) {
      int p = (int) in.readBits(ZfpbFormat.ESCAPE_PLANE_BITS);
      verify(p <= 32, "zfpb block %d: escape with %d planes (expected 0 for raw or 1..32)", block, p);
      if (p == 0) {
        for (int i = 0; i < BLOCK; i++) {
          values[off + i] = Float.intBitsToFloat((int) in.readBits(32));
        }
        return;
      }
      e = (int) in.readBits(ZfpbFormat.EXPONENT_BITS);
      verify(e != 0, "zfpb block %d: escaped block with exponent field 0", block);
      BitPlaneCoder.decode(in, u, p, planeBits);
    } else if (mode == Mode.RATE) {
      int budget = param - 1 - ZfpbFormat.EXPONENT_BITS;
      int used = BitPlaneCoder.decodeBudget(in, u, 32, budget);
      in.skip(budget - used);
    } else {
      int planes = ZfpbFormat.planes(mode, param, e - ZfpbFormat.EXPONENT_BIAS);
      if (trim) {
        planes -= (int) in.readBits(ZfpbFormat.TRIM_BITS);
      }
      verify(planes > 0, "zfpb block %d: coded block with exponent %d has no planes (parameter %d)", block, e, param);
      BitPlaneCoder.decode(in, u, planes, planeBits);
    }
    int[] order = BlockTransform.ORDER;
    for (int i = 0; i < BLOCK; i++) {
      q[order[i]] = BlockTransform.fromNegabinary(u[i]);
    }
    BlockTransform.inverse(q);
    double scale = Math.scalb(1.0, e - ZfpbFormat.EXPONENT_BIAS - 30);
    for (int i = 0; i < BLOCK; i++) {
      values[off + i] = (float) (q[i] * scale);
    }
  }
}
