package io.vdfc.record;

import io.vdfc.codec.CorruptRecordException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * One compressed cell of one population: everything needed to decode it but the velocity mesh (stored once per
 * population by the file) and the cell ID (stored by the file's index).
 *
 * <pre>
 * record v1, little-endian:
 *   u8      recordVersion   = 1
 *   u8      codecId         codec that wrote the payload (io.vdfc.codec.CodecRegistry)
 *   u8      codecVersion    payload format version of that codec
 *   u8      flags           bit0 CONSERVED: conservation data follows and is applied after decoding
 *                           bit1 LOSSLESS_FALLBACK: the cell was stored losslessly instead of with the requested codec
 *                           bit2 TIGHTENED: conservation was impossible; encoded with a tighter bound instead
 *   varint  blockCount
 *   f32     tolerance       absolute pointwise bound requested for this cell (0 when lossless)
 *   f32     maxAbs          achieved max |f' - f| over the cell, rounded up (0 when lossless)
 *   varint  idBytes,  then the block IDs (BlockIdCoder)
 *   varint  consBytes, then the conservation data (io.vdfc.conserve), 0 bytes unless CONSERVED
 *   varint  payloadBytes, then the codec payload
 *   u32     CRC32C of every byte above
 * </pre>
 */
public record CellRecord(
    int codecId, int codecVersion, int flags, int[] blockIds, float tolerance, float maxAbs,
    byte[] conservation, ByteBuffer payload) {

  public static final int VERSION = 1;
  public static final int CONSERVED = 1;
  public static final int LOSSLESS_FALLBACK = 2;
  public static final int TIGHTENED = 4;
  private static final int KNOWN_FLAGS = CONSERVED | LOSSLESS_FALLBACK | TIGHTENED;

  /** Serialises a record. */
  public static byte[] write(int codecId, int codecVersion, int flags, int[] blockIds, double tolerance, double maxAbs,
      byte[] conservation, byte[] payload) {
    byte[] ids = BlockIdCoder.encode(blockIds);
    // sized exactly, so that the record is the stream's own buffer: no copy of the payload but the one into it
    int size = 4 + Varint.size(blockIds.length) + 8 + Varint.size(ids.length) + ids.length
        + Varint.size(conservation.length) + conservation.length + Varint.size(payload.length) + payload.length + 4;
    Exact out = new Exact(size);
    out.write(VERSION);
    out.write(codecId);
    out.write(codecVersion);
    out.write(flags);
    Varint.write(out, blockIds.length);
    ByteBuffer f = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    f.putFloat(roundUp(tolerance)).putFloat(roundUp(maxAbs));
    out.writeBytes(f.array());
    Varint.write(out, ids.length);
    out.writeBytes(ids);
    Varint.write(out, conservation.length);
    out.writeBytes(conservation);
    Varint.write(out, payload.length);
    out.writeBytes(payload);
    CRC32C crc = new CRC32C();
    crc.update(out.buffer(), 0, out.size());
    ByteBuffer tail = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) crc.getValue());
    out.writeBytes(tail.array());
    return out.filled();
  }

  /** A stream of a known final size whose buffer, once filled, is the result. */
  private static final class Exact extends ByteArrayOutputStream {
    Exact(int size) {
      super(size);
    }

    byte[] buffer() {
      return buf;
    }

    /** The buffer itself when exactly filled (a copy otherwise, which a wrong size would cost, not break). */
    byte[] filled() {
      return count == buf.length ? buf : toByteArray();
    }
  }

  /**
   * Parses and checks a record (CRC first, then every length against what remains).
   *
   * @param in the record's bytes from position to limit, consumed exactly
   * @param meshBlocks number of blocks of the population's mesh (IDs are checked against it)
   * @param maxBlocks the largest block count this cell may have (from the file's index), checked before allocating
   */
  public static CellRecord read(ByteBuffer in, long meshBlocks, long maxBlocks) throws CorruptRecordException {
    ByteBuffer r = in.slice().order(ByteOrder.LITTLE_ENDIAN);
    int len = r.remaining();
    CorruptRecordException.verify(len >= 4 + 4 + 1 + 8 + 3 + 4, "record of %d bytes is too short", len);
    CRC32C crc = new CRC32C();
    crc.update(r.duplicate().limit(len - 4));
    int stored = r.getInt(len - 4);
    CorruptRecordException.verify((int) crc.getValue() == stored,
        "record checksum mismatch: actual %08x vs stored %08x", (int) crc.getValue(), stored);
    r.limit(len - 4);
    int version = r.get() & 0xff;
    CorruptRecordException.verify(version == VERSION, "record version %d, this vdfc reads version %d", version, VERSION);
    int codecId = r.get() & 0xff;
    int codecVersion = r.get() & 0xff;
    int flags = r.get() & 0xff;
    CorruptRecordException.verify((flags & ~KNOWN_FLAGS) == 0, "record flags %02x unknown", flags);
    int blocks = Varint.readBounded(r, Math.min(maxBlocks, meshBlocks), "block count");
    CorruptRecordException.verify(r.remaining() >= 8, "record ends inside its tolerance fields");
    float tol = r.getFloat();
    float maxAbs = r.getFloat();
    ByteBuffer idBytes = section(r, "block-ID");
    int[] ids = BlockIdCoder.decode(idBytes, blocks, meshBlocks);
    CorruptRecordException.verify(!idBytes.hasRemaining(), "%d stray bytes after the block IDs", idBytes.remaining());
    ByteBuffer cons = section(r, "conservation");
    byte[] consBytes = new byte[cons.remaining()];
    cons.get(consBytes);
    ByteBuffer payload = section(r, "payload").order(ByteOrder.LITTLE_ENDIAN);
    CorruptRecordException.verify(!r.hasRemaining(), "%d stray bytes after the payload", r.remaining());
    in.position(in.position() + len);
    return new CellRecord(codecId, codecVersion, flags, ids, tol, maxAbs, consBytes, payload);
  }

  /** The bound recorded in a record's header (0 for lossless records), read without checking the CRC. */
  public static double peekTolerance(ByteBuffer in) throws CorruptRecordException {
    ByteBuffer r = in.slice().order(ByteOrder.LITTLE_ENDIAN);
    CorruptRecordException.verify(r.remaining() >= 5, "record of %d bytes is too short", r.remaining());
    r.position(4);
    Varint.read(r);
    CorruptRecordException.verify(r.remaining() >= 4, "record ends inside its tolerance field");
    return r.getFloat();
  }

  private static ByteBuffer section(ByteBuffer r, String what) throws CorruptRecordException {
    int n = Varint.readBounded(r, Integer.MAX_VALUE, what + " byte count");
    // bounded by what remains after the count itself (checking before reading it let a count overrun by its own length)
    CorruptRecordException.verify(n <= r.remaining(), "%s byte count %d exceeds the %d bytes left", what, n, r.remaining());
    ByteBuffer s = r.slice().limit(n).order(ByteOrder.LITTLE_ENDIAN);
    r.position(r.position() + n);
    return s;
  }

  /** The float32 at or above {@code v}, so a stored bound is never smaller than the true one. */
  static float roundUp(double v) {
    float f = (float) v;
    return f < v ? Math.nextUp(f) : f;
  }

  public boolean has(int flag) {
    return (flags & flag) != 0;
  }
}
