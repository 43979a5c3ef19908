package io.vdfc.codec.entropy;

import io.vdfc.codec.CorruptRecordException;
import java.nio.ByteBuffer;

/**
 * Decoding side of {@link RangeEncoder}. Reads from a buffer between its position and limit; reading past the end
 * feeds zero bytes and is counted, so {@link #finish} reports a truncated stream as corrupt instead of looping or
 * throwing an index exception.
 */
public final class RangeDecoder {
  private final ByteBuffer in;
  private int range = -1;
  private int code;
  private int overrun;

  /**
   * Starts decoding at the buffer's position.
   *
   * @throws CorruptRecordException when fewer than 5 bytes remain or the first byte is not 0
   */
  public RangeDecoder(ByteBuffer in) throws CorruptRecordException {
    this.in = in;
    CorruptRecordException.verify(in.remaining() >= 5, "range-coded stream of %d bytes, at least 5 expected", in.remaining());
    CorruptRecordException.verify(in.get() == 0, "range-coded stream does not start with byte 0");
    for (int i = 0; i < 4; i++) {
      code = (code << 8) | (in.get() & 0xFF);
    }
  }

  /** Decodes one bit with the probability in {@code probs[slot]} and adapts it as the encoder did. */
  public int decodeBit(short[] probs, int slot) {
    int p = probs[slot];
    int bound = (range >>> BitModel.BITS) * p;
    int bit;
    if (Integer.compareUnsigned(code, bound) < 0) {
      range = bound;
      probs[slot] = (short) (p + ((BitModel.ONE - p) >>> BitModel.SHIFT));
      bit = 0;
    } else {
      code -= bound;
      range -= bound;
      probs[slot] = (short) (p - (p >>> BitModel.SHIFT));
      bit = 1;
    }
    normalize();
    return bit;
  }

  /** Decodes {@code count} direct bits, most significant first. */
  public int decodeDirect(int count) {
    int v = 0;
    for (int i = 0; i < count; i++) {
      range >>>= 1;
      int bit = Integer.compareUnsigned(code, range) >= 0 ? 1 : 0;
      if (bit != 0) {
        code -= range;
      }
      v = (v << 1) | bit;
      normalize();
    }
    return v;
  }

  private void normalize() {
    while (Integer.compareUnsigned(range, 1 << 24) < 0) {
      range <<= 8;
      code = (code << 8) | next();
    }
  }

  private int next() {
    if (in.hasRemaining()) {
      return in.get() & 0xFF;
    }
    overrun++;
    return 0;
  }

  /** True once the decoder has read past the stream's end (a truncated or corrupt stream). */
  public boolean overran() {
    return overrun > 0;
  }

  /** Checks the decoder did not need bytes beyond the stream (the encoder's flush makes that impossible for good data). */
  public void finish(String what) throws CorruptRecordException {
    CorruptRecordException.verify(overrun == 0, "%s: range-coded stream ended %d bytes early", what, overrun);
  }
}
