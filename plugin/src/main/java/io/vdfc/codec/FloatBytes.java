package io.vdfc.codec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Float32 values as little-endian bytes and back: the layout of Vlasiator's own BLOCKVARIABLE. */
public final class FloatBytes {
  private FloatBytes() {
    throw new AssertionError("no instances");
  }

  public static byte[] toBytes(float[] values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    return b.array();
  }

  public static float[] fromBytes(byte[] bytes, int offset, int count) {
    float[] out = new float[count];
    ByteBuffer.wrap(bytes, offset, count * 4).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
    return out;
  }

  /** Number of values a cell of {@code blockCount} blocks holds, or an exception when it cannot be allocated. */
  public static int valueCount(int blockCount, int cellsPerBlock) throws CorruptRecordException {
    long n = (long) blockCount * cellsPerBlock;
    CorruptRecordException.verify(blockCount >= 0 && n <= Integer.MAX_VALUE / 4, "block count %d is impossible", blockCount);
    return (int) n;
  }
}
