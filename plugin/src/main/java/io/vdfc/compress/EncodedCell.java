package io.vdfc.compress;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * A cell's record bytes ({@link io.vdfc.record.CellRecord}), the report of how it was made, the CRC32C of the record
 * bytes, taken when the record is made (the bytes are still in cache then): the compressed-restart writer puts it into
 * the file's checksums ({@link io.vdfc.restart.FileChecksums}) without reading the records again in its write phase;
 * and, once {@link #withCopy} gave it one, a copy of the record bytes in memory the writer hands to the kernel as it is
 * ({@link io.vdfc.vlsv.DirectArena}), else null. The record array must not change after construction; the copy is
 * valid while the arena holding it is open (the restart compressor closes its arena after its write).
 */
public record EncodedCell(long cellId, byte[] record, CellReport report, int crc32c, ByteBuffer copy) {
  /** Checksums {@code record}. */
  public EncodedCell(long cellId, byte[] record, CellReport report) {
    this(cellId, record, report, crc32c(record));
  }

  /** With the checksum given, no copy. */
  public EncodedCell(long cellId, byte[] record, CellReport report, int crc32c) {
    this(cellId, record, report, crc32c, null);
  }

  public EncodedCell {
    if (copy != null && copy.remaining() != record.length) {
      throw new IllegalArgumentException("a copy of " + copy.remaining() + " bytes for a record of " + record.length);
    }
  }

  /** This cell with {@code copy}, which holds the record's bytes from its position to its limit. */
  public EncodedCell withCopy(ByteBuffer copy) {
    return new EncodedCell(cellId, record, report, crc32c, copy);
  }

  /** The record's bytes for a writer: a view of the copy when there is one, else of the array. */
  public ByteBuffer bytes() {
    return copy != null ? copy.duplicate() : ByteBuffer.wrap(record);
  }

  private static int crc32c(byte[] bytes) {
    CRC32C c = new CRC32C();
    c.update(bytes, 0, bytes.length);
    return (int) c.getValue();
  }
}
