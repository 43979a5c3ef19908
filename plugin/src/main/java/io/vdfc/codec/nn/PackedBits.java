package io.vdfc.codec.nn;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * Small unsigned integers packed least significant bit first: bit {@code i} of the packed run is bit {@code i % 8} of
 * its byte {@code i / 8}, the last byte padded with zero bits. Used for quantised weights ({@link Quantiser}) and the
 * vq codec's code indices.
 */
public final class PackedBits {
  private PackedBits() {
    throw new AssertionError("no instances");
  }

  /** Appends to a byte stream; {@link #finish} writes the last partial byte. */
  public static final class Writer {
    private final ByteArrayOutputStream out;
    private long acc;
    private int fill;

    public Writer(ByteArrayOutputStream out) {
      this.out = out;
    }

    /** Appends the low {@code bits} (1..32) bits of {@code value}. */
    public void write(long value, int bits) {
      acc |= (value & ((1L << bits) - 1)) << fill;
      fill += bits;
      while (fill >= 8) {
        out.write((int) (acc & 0xff));
        acc >>>= 8;
        fill -= 8;
      }
    }

    /** Writes the bits still held, padded to a byte; nothing if none. */
    public void finish() {
      if (fill > 0) {
        out.write((int) (acc & 0xff));
        acc = 0;
        fill = 0;
      }
    }
  }

  /** Reads from a buffer, taking each byte only when its first bit is needed (the caller checks the length). */
  public static final class Reader {
    private final ByteBuffer in;
    private long acc;
    private int fill;

    public Reader(ByteBuffer in) {
      this.in = in;
    }

    /** The next {@code bits} (1..32) bits, as an unsigned value. */
    public long read(int bits) {
      while (fill < bits) {
        acc |= (long) (in.get() & 0xff) << fill;
        fill += 8;
      }
      long v = acc & ((1L << bits) - 1);
      acc >>>= bits;
      fill -= bits;
      return v;
    }
  }
}
