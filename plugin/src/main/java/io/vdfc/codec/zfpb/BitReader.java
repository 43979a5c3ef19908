package io.vdfc.codec.zfpb;

import io.vdfc.codec.CorruptRecordException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Reads a bit stream written by {@link BitWriter} (least significant bit first) from {@code buf[start, end)}. Knows
 * nothing of codecs. Every refill is bounds-checked: reading past {@code end} throws {@link CorruptRecordException}
 * naming the offset, so a malformed stream can never index outside the array.
 */
final class BitReader {
  private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private byte[] buf;
  private int start;
  private int pos;
  private int end;
  /** Unread bits, lowest first; bits above {@code avail} are always zero. */
  private long acc;
  private int avail;

  BitReader() {}

  BitReader(byte[] buf, int start, int end) {
    reset(buf, start, end);
  }

  void reset(byte[] buf, int start, int end) {
    if (start < 0 || end < start || end > buf.length) {
      throw new IllegalArgumentException("bad range [" + start + ", " + end + ") of " + buf.length + " bytes");
    }
    this.buf = buf;
    this.start = start;
    this.pos = start;
    this.end = end;
    this.acc = 0;
    this.avail = 0;
  }

  int readBit() throws CorruptRecordException {
    if (avail == 0) {
      refill();
    }
    int b = (int) acc & 1;
    acc >>>= 1;
    avail--;
    return b;
  }

  /** Reads {@code n} bits, {@code 0 <= n <= 64}, the first one in the lowest bit of the result. */
  long readBits(int n) throws CorruptRecordException {
    if (n <= avail) {
      return take(n);
    }
    long low = acc;
    int got = avail;
    acc = 0;
    avail = 0;
    refill();
    int need = n - got;
    CorruptRecordException.verify(need <= avail, "bit stream ends at byte %d: %d more bits needed", end - start, need - avail);
    return low | (take(need) << got);
  }

  /**
   * Consumes zero bits up to {@code limit} of them. If a one-bit comes first, consumes it too and returns the number of
   * zeros before it ({@code < limit}); otherwise returns {@code limit} and leaves the next bit unread.
   */
  int skipZerosThroughOne(int limit) throws CorruptRecordException {
    int count = 0;
    while (true) {
      if (count == limit) {
        return limit;
      }
      if (avail == 0) {
        refill();
      }
      int zeros = acc == 0 ? avail : Long.numberOfTrailingZeros(acc);
      int want = limit - count;
      if (zeros >= want) {
        take(want);
        return limit;
      }
      if (zeros < avail) {
        take(zeros + 1);
        return count + zeros;
      }
      count += zeros;
      acc = 0;
      avail = 0;
    }
  }

  void skip(long n) throws CorruptRecordException {
    while (n > 0) {
      int k = (int) Math.min(64, n);
      readBits(k);
      n -= k;
    }
  }

  /** Bytes consumed from {@code start}, counting a partly read byte as consumed. */
  int bytesConsumed() {
    return pos - start - (avail >>> 3);
  }

  /** True when at most 7 bits are left, all zero, and the range is used up: a stream that was read exactly. */
  boolean atPaddedEnd() {
    return pos == end && avail < 8 && acc == 0;
  }

  private long take(int n) {
    long v;
    if (n == 64) {
      v = acc;
      acc = 0;
    } else {
      v = acc & ((1L << n) - 1);
      acc >>>= n;
    }
    avail -= n;
    return v;
  }

  private void refill() throws CorruptRecordException {
    int left = end - pos;
    if (left >= 8) {
      acc = (long) LONG_LE.get(buf, pos);
      pos += 8;
      avail = 64;
    } else {
      CorruptRecordException.verify(left > 0, "bit stream ends at byte %d but more bits are needed", end - start);
      long a = 0;
      for (int i = 0; i < left; i++) {
        a |= (buf[pos + i] & 0xffL) << (8 * i);
      }
      acc = a;
      pos = end;
      avail = 8 * left;
    }
  }
}
