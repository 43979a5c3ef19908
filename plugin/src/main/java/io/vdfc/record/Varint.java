package io.vdfc.record;

import io.vdfc.codec.CorruptRecordException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/** Unsigned LEB128 varints (7 bits a byte, low first) and zigzag for signed values. */
public final class Varint {
  private Varint() {
    throw new AssertionError("no instances");
  }

  /** Bytes that {@link #write} writes for {@code value}. */
  public static int size(long value) {
    return value == 0 ? 1 : (64 - Long.numberOfLeadingZeros(value) + 6) / 7;
  }

  public static void write(ByteArrayOutputStream out, long value) {
    while ((value & ~0x7FL) != 0) {
      out.write((int) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    out.write((int) value);
  }

  public static long read(ByteBuffer in) throws CorruptRecordException {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      CorruptRecordException.verify(in.hasRemaining(), "varint runs past the end at byte %d", in.position());
      int b = in.get() & 0xff;
      v |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return v;
      }
    }
    throw new CorruptRecordException("varint longer than 10 bytes at byte " + in.position());
  }

  /** A varint that must lie in {@code [0, max]}: lengths and counts read from a file, checked before any allocation. */
  public static int readBounded(ByteBuffer in, long max, String what) throws CorruptRecordException {
    long v = read(in);
    CorruptRecordException.verify(v >= 0 && v <= max, "%s %d exceeds %d", what, v, max);
    return (int) v;
  }

  public static long zigzag(long v) {
    return (v << 1) ^ (v >> 63);
  }

  public static long unzigzag(long v) {
    return (v >>> 1) ^ -(v & 1);
  }
}
