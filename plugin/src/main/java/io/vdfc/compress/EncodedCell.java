package io.vdfc.compress;

import java.util.zip.CRC32C;

/**
 * A cell's record bytes ({@link io.vdfc.record.CellRecord}), the report of how it was made, and the CRC32C of the
 * record bytes, taken when the record is made (the bytes are still in cache then): the compressed-restart writer puts
 * it into the file's checksums ({@link io.vdfc.restart.FileChecksums}) without reading the records again in its write
 * phase. The record array must not change after construction.
 */
public record EncodedCell(long cellId, byte[] record, CellReport report, int crc32c) {
  /** Checksums {@code record}. */
  public EncodedCell(long cellId, byte[] record, CellReport report) {
    this(cellId, record, report, crc32c(record));
  }

  private static int crc32c(byte[] bytes) {
    CRC32C c = new CRC32C();
    c.update(bytes, 0, bytes.length);
    return (int) c.getValue();
  }
}
