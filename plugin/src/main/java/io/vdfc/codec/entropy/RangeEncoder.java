package io.vdfc.codec.entropy;

import java.io.ByteArrayOutputStream;

/**
 * Adaptive binary range coder, encoding side (the carry-propagating coder of LZMA: 32-bit range; 15-bit probabilities instead of LZMA's 11, so long runs of a likely bit cost about 0.0014 bits each
 * adapted by 1/32 per bit). Bits are coded against a {@link BitModel} slot, or directly at probability 1/2. The output
 * is a plain byte string; {@link #finish} flushes the last 5 bytes. Codec-agnostic: no header, no length.
 */
public final class RangeEncoder {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private long low;
  private int range = -1;
  private int cacheSize = 1;
  private int cache;

  /** Codes {@code bit} (0 or 1) with the probability held in {@code probs[slot]}, then adapts it. */
  public void encodeBit(short[] probs, int slot, int bit) {
    int p = probs[slot];
    int bound = (range >>> BitModel.BITS) * p;
    if (bit == 0) {
      range = bound;
      probs[slot] = (short) (p + ((BitModel.ONE - p) >>> BitModel.SHIFT));
    } else {
      low += bound & 0xFFFFFFFFL;
      range -= bound;
      probs[slot] = (short) (p - (p >>> BitModel.SHIFT));
    }
    normalize();
  }

  /** Codes the low {@code count} bits of {@code value}, most significant first, at probability 1/2 each. */
  public void encodeDirect(int value, int count) {
    for (int i = count - 1; i >= 0; i--) {
      range >>>= 1;
      if (((value >>> i) & 1) != 0) {
        low += range & 0xFFFFFFFFL;
      }
      normalize();
    }
  }

  private void normalize() {
    while (Integer.compareUnsigned(range, 1 << 24) < 0) {
      range <<= 8;
      shiftLow();
    }
  }

  private void shiftLow() {
    if (low < 0xFF000000L || low > 0xFFFFFFFFL) {
      int carry = (int) (low >>> 32);
      int temp = cache;
      do {
        out.write((temp + carry) & 0xFF);
        temp = 0xFF;
      } while (--cacheSize != 0);
      cache = (int) ((low >>> 24) & 0xFF);
    }
    cacheSize++;
    low = (low & 0x00FFFFFFL) << 8;
  }

  /** Flushes the coder and returns every byte written; the encoder cannot be used afterwards. */
  public byte[] finish() {
    for (int i = 0; i < 5; i++) {
      shiftLow();
    }
    return out.toByteArray();
  }
}
