package io.vdfc.codec.zfpb;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Appends bits to a growing byte array, least significant bit first: bit {@code i} of the stream is bit {@code i % 8}
 * of byte {@code i / 8}. Knows nothing of codecs. Bits are gathered in a 64-bit word that is stored little-endian, so
 * the array only grows (bounds-checked) once per 64 bits.
 */
final class BitWriter {
  private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private byte[] buf;
  private int pos;
  private long acc;
  private int fill;

  BitWriter(int initialCapacity) {
    buf = new byte[Math.max(16, initialCapacity)];
  }

  /** Forgets everything written, keeps the array. */
  void reset() {
    pos = 0;
    acc = 0;
    fill = 0;
  }

  /** Bits written so far. */
  long bitCount() {
    return 8L * pos + fill;
  }

  void writeBit(int bit) {
    acc |= (long) (bit & 1) << fill;
    if (++fill == 64) {
      flushWord(acc);
      acc = 0;
      fill = 0;
    }
  }

  /** Writes the low {@code n} bits of {@code value}, {@code 0 <= n <= 64}; higher bits of {@code value} are ignored. */
  void writeBits(long value, int n) {
    assert n >= 0 && n <= 64 : n;
    if (n == 0) {
      return;
    }
    if (n < 64) {
      value &= (1L << n) - 1;
    }
    acc |= value << fill;
    int total = fill + n;
    if (total >= 64) {
      flushWord(acc);
      acc = fill == 0 ? 0 : value >>> (64 - fill);
      fill = total - 64;
    } else {
      fill = total;
    }
  }

  /** Writes {@code n >= 0} zero bits. */
  void writeZeros(long n) {
    while (n > 0) {
      int k = (int) Math.min(64, n);
      writeBits(0, k);
      n -= k;
    }
  }

  /** Appends the first {@code nBits} bits of {@code other}'s stream. */
  void append(BitWriter other, long nBits) {
    if (nBits > other.bitCount()) {
      throw new IllegalArgumentException("asked to append " + nBits + " bits of a " + other.bitCount() + "-bit stream");
    }
    int whole = (int) Math.min(nBits >>> 6, other.pos >>> 3);
    for (int w = 0; w < whole; w++) {
      writeBits((long) LONG_LE.get(other.buf, w * 8), 64);
    }
    int rest = (int) (nBits - 64L * whole);
    if (rest > 0) {
      // the remaining bits lie in the next flushed word or else in the unflushed one
      long word = 8 * whole < other.pos ? (long) LONG_LE.get(other.buf, 8 * whole) : other.acc;
      writeBits(word, rest);
    }
  }

  /**
   * Makes {@link #array()} hold the whole stream so far (the unflushed bits stored after the flushed words, zero
   * padded) without changing what is written next; returns the stream's length in bytes.
   */
  int snapshot() {
    if (pos + 8 > buf.length) {
      buf = Arrays.copyOf(buf, buf.length * 2 + 8);
    }
    LONG_LE.set(buf, pos, acc);
    return pos + ((fill + 7) >>> 3);
  }

  /** The backing array; its first {@link #snapshot()} bytes are the stream after a snapshot. */
  byte[] array() {
    return buf;
  }

  /** Pads the last byte with zero bits and returns the stream as bytes; the writer can go on afterwards only after reset. */
  byte[] toByteArray() {
    int tail = (fill + 7) >>> 3;
    byte[] out = Arrays.copyOf(buf, pos + tail);
    for (int i = 0; i < tail; i++) {
      out[pos + i] = (byte) (acc >>> (8 * i));
    }
    return out;
  }

  private void flushWord(long word) {
    if (pos + 8 > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + 8));
    }
    LONG_LE.set(buf, pos, word);
    pos += 8;
  }
}
