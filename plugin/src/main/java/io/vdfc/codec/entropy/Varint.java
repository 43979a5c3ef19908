package io.vdfc.codec.entropy;

import io.vdfc.codec.CorruptRecordException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/** Unsigned LEB128 integers (7 bits a byte, low first) for section lengths and counts in codec payloads. */
public final class Varint {
  private Varint() {
    throw new AssertionError("no instances");
  }

  public static void write(ByteArrayOutputStream out, int v) {
    if (v < 0) {
      throw new IllegalArgumentException("varint of negative " + v);
    }
    while (v >= 0x80) {
      out.write((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    out.write(v);
  }

  /** Reads a value in {@code [0, max]}; a longer, unterminated or larger value is corrupt. */
  public static int read(ByteBuffer in, int max, String what) throws CorruptRecordException {
    long v = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      CorruptRecordException.verify(in.hasRemaining(), "%s: varint cut at offset %d", what, in.position());
      int b = in.get() & 0xFF;
      v |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        CorruptRecordException.verify(v <= max, "%s: %d is larger than %d", what, v, max);
        return (int) v;
      }
    }
    throw new CorruptRecordException(what + ": varint longer than 5 bytes");
  }
}
