package io.vdfc.record;

import io.vdfc.codec.CorruptRecordException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A cell's block IDs in their stored order (Vlasiator's hash-map order, which decompression restores exactly).
 *
 * <p>Layout v1: {@code [u8 form]} then, for form 0, one zigzag varint per block of the difference to the previous ID
 * (the first against 0); form 1 is the same bytes deflated, {@code [varint plainLength][zlib stream]}. The encoder keeps
 * the smaller form. The block count is stored by the record, not here.
 */
public final class BlockIdCoder {
  private BlockIdCoder() {
    throw new AssertionError("no instances");
  }

  public static byte[] encode(int[] ids) {
    ByteArrayOutputStream plain = new ByteArrayOutputStream(ids.length * 3 + 1);
    long prev = 0;
    for (int id : ids) {
      long v = Integer.toUnsignedLong(id);
      Varint.write(plain, Varint.zigzag(v - prev));
      prev = v;
    }
    byte[] p = plain.toByteArray();
    ByteArrayOutputStream out = new ByteArrayOutputStream(p.length + 8);
    byte[] packed = ids.length > 16 ? deflate(p) : null;
    if (packed != null && packed.length + 4 < p.length) {
      out.write(1);
      Varint.write(out, p.length);
      out.writeBytes(packed);
    } else {
      out.write(0);
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  /**
   * Reads {@code count} IDs, checking each against the mesh size.
   *
   * @param in positioned at the first byte, limit at the end of the ID bytes
   */
  public static int[] decode(ByteBuffer in, int count, long meshBlocks) throws CorruptRecordException {
    CorruptRecordException.verify(in.hasRemaining(), "block IDs missing");
    int form = in.get() & 0xff;
    ByteBuffer src = in;
    if (form == 1) {
      int plainLen = Varint.readBounded(in, 10L * count, "block-ID byte count");
      byte[] plain = new byte[plainLen];
      Inflater inf = new Inflater();
      try {
        inf.setInput(in.slice());
        int got = inf.inflate(plain);
        CorruptRecordException.verify(got == plainLen && inf.finished(), "block-ID stream gave %d of %d bytes", got, plainLen);
        in.position(in.position() + in.remaining() - inf.getRemaining());
      } catch (DataFormatException e) {
        throw new CorruptRecordException("block-ID stream is corrupt: " + e.getMessage(), e);
      } finally {
        inf.end();
      }
      src = ByteBuffer.wrap(plain);
    } else {
      CorruptRecordException.verify(form == 0, "block-ID form %d unknown", form);
    }
    int[] ids = new int[count];
    long prev = 0;
    for (int b = 0; b < count; b++) {
      long v = prev + Varint.unzigzag(Varint.read(src));
      CorruptRecordException.verify(v >= 0 && v < meshBlocks, "block %d has ID %d outside the mesh of %d blocks", b, v, meshBlocks);
      ids[b] = (int) v;
      prev = v;
    }
    CorruptRecordException.verify(!src.hasRemaining(), "%d stray bytes after %d block IDs", src.remaining(), count);
    return ids;
  }

  private static byte[] deflate(byte[] p) {
    Deflater d = new Deflater(6);
    try {
      d.setInput(p);
      d.finish();
      byte[] buf = new byte[p.length + 64];
      int n = d.deflate(buf);
      return d.finished() ? java.util.Arrays.copyOf(buf, n) : null;
    } finally {
      d.end();
    }
  }
}
