package io.vdfc.codec.zfpb;

import static io.vdfc.codec.CorruptRecordException.verify;

import io.vdfc.codec.CorruptRecordException;
import io.vdfc.codec.entropy.RangeDecoder;
import io.vdfc.codec.zfpb.ZfpbSettings.Mode;
import java.nio.ByteBuffer;

/** Decodes a {@link ZfpbFormat} payload; every field read is range-checked and the bit reader is bounds-checked. */
final class ZfpbDecoder {
  private static final int BLOCK = 64;

  private final int[] u = new int[BLOCK];
  private final int[] q = new int[BLOCK];
  private final long[] planeBits = new long[32];
  private final BitReader in = new BitReader();
  private boolean trim;
  private boolean round;
  private RangeDecoder rd;
  private EntropyHeaders headers;
  private EntropyPlaneCoder planeCoder;

  /**
   * @param buf the payload is {@code buf[start, end)}, which must be consumed exactly
   * @return {@code 64 * nBlocks} values
   */
  float[] decode(byte[] buf, int start, int end, int nBlocks, int version) throws CorruptRecordException {
    int length = end - start;
    verify(length >= ZfpbFormat.HEADER_BYTES, "zfpb payload of %d bytes is shorter than its %d-byte header", length,
        ZfpbFormat.HEADER_BYTES);
    verify(nBlocks >= 0 && nBlocks <= Integer.MAX_VALUE / BLOCK, "zfpb: %d blocks is not a valid block count", nBlocks);
    in.reset(buf, start, end);
    int modeByte = (int) in.readBits(8);
    // every block takes at least one bit, or with range coding at least ~0.0014 bits (a 15-bit probability adapted by
    // 1/32 never exceeds 1 - 2^-10): refuse block counts the payload cannot hold before allocating
    long blocksPerBit = (modeByte & ZfpbFormat.ENTROPY_FLAG) != 0 ? 1024 : 1;
    verify((long) nBlocks <= 8L * blocksPerBit * (length - ZfpbFormat.HEADER_BYTES),
        "zfpb payload of %d bytes cannot hold %d blocks", length, nBlocks);
    Mode mode = Mode.ofCode(modeByte & 0x0f);
    int flags = ZfpbFormat.TRIM_FLAG | ZfpbFormat.ENTROPY_FLAG | ZfpbFormat.ROUND_FLAG;
    verify(mode != null && (modeByte & ~(0x0f | flags)) == 0, "zfpb payload byte 0: %d is no mode (expected 0 accuracy, "
        + "1 precision, 2 rate, +16 with trim, +32 entropy-coded, +64 rounded)", modeByte);
    round = (modeByte & ZfpbFormat.ROUND_FLAG) != 0;
    verify(!round || version >= 2 && mode != Mode.RATE, "zfpb payload byte 0: rounding with rate mode or version %d",
        version);
    trim = (modeByte & ZfpbFormat.TRIM_FLAG) != 0;
    boolean entropy = (modeByte & ZfpbFormat.ENTROPY_FLAG) != 0;
    verify(!(trim && mode == Mode.RATE), "zfpb payload byte 0: trim with rate mode");
    verify(!(entropy && mode == Mode.RATE), "zfpb payload byte 0: entropy coding with rate mode");
    verify(!entropy || version >= 2, "zfpb payload byte 0: entropy coding in a version %d payload (from version 2)",
        version);
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
    if (entropy) {
      ByteBuffer coded = ByteBuffer.wrap(buf, start + ZfpbFormat.HEADER_BYTES, length - ZfpbFormat.HEADER_BYTES);
      rd = new RangeDecoder(coded);
      headers = new EntropyHeaders();
      planeCoder = new EntropyPlaneCoder();
      for (int b = 0; b < nBlocks; b++) {
        decodeEntropyBlock(mode, param, values, b * BLOCK, b);
        verify(!rd.overran(), "zfpb payload: the range-coded blocks end early, in block %d of %d", b, nBlocks);
      }
      verify(!coded.hasRemaining(), "zfpb payload: %d bytes after the last of %d range-coded blocks",
          coded.remaining(), nBlocks);
      return values;
    }
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
    int planes;
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
      planes = p;
    } else if (mode == Mode.RATE) {
      int budget = param - 1 - ZfpbFormat.EXPONENT_BITS;
      int used = BitPlaneCoder.decodeBudget(in, u, 32, budget);
      in.skip(budget - used);
      planes = 32;
    } else {
      planes = ZfpbFormat.planes(mode, param, e - ZfpbFormat.EXPONENT_BIAS);
      if (trim) {
        planes -= (int) in.readBits(ZfpbFormat.TRIM_BITS);
      }
      verify(planes > 0, "zfpb block %d: coded block with exponent %d has no planes (parameter %d)", block, e, param);
      BitPlaneCoder.decode(in, u, planes, planeBits);
    }
    reconstruct(e, planes, values, off);
  }

  // The mirror of BlockSink.Entropy: the syntax of decodeBlock, range-coded.
  private void decodeEntropyBlock(Mode mode, int param, float[] values, int off, int block)
      throws CorruptRecordException {
    if (!headers.decodeNonZero(rd)) {
      return;
    }
    int e;
    if (headers.decodeEscape(rd)) {
      int p = rd.decodeDirect(ZfpbFormat.ESCAPE_PLANE_BITS);
      verify(p <= 32, "zfpb block %d: escape with %d planes (expected 0 for raw or 1..32)", block, p);
      if (p == 0) {
        for (int i = 0; i < BLOCK; i++) {
          values[off + i] = Float.intBitsToFloat(rd.decodeDirect(32));
        }
        return;
      }
      e = headers.decodeExponent(rd, block);
      planeCoder.decode(rd, u, p, planeBits);
      reconstruct(e, p, values, off);
      return;
    } else {
      e = headers.decodeExponent(rd, block);
      int planes = ZfpbFormat.planes(mode, param, e - ZfpbFormat.EXPONENT_BIAS);
      if (trim) {
        planes -= headers.decodeTrim(rd);
      }
      verify(planes > 0, "zfpb block %d: coded block with exponent %d has no planes (parameter %d)", block, e, param);
      planeCoder.decode(rd, u, planes, planeBits);
      reconstruct(e, planes, values, off);
    }
  }

  private void reconstruct(int e, int planes, float[] values, int off) {
    int[] order = BlockTransform.ORDER;
    int offset = round ? ZfpbFormat.roundingOffset(planes) : 0;
    for (int i = 0; i < BLOCK; i++) {
      q[order[i]] = u[i] == 0 ? 0 : BlockTransform.fromNegabinary(u[i]) + offset;
    }
    BlockTransform.inverse(q);
    double scale = Math.scalb(1.0, e - ZfpbFormat.EXPONENT_BIAS - 30);
    for (int i = 0; i < BLOCK; i++) {
      values[off + i] = (float) (q[i] * scale);
    }
  }
}
