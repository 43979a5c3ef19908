package io.vdfc.restart;

/**
 * The compressed VLSV layout (format version 2; version 1 is read too, see below). A compressed file is still a valid
 * VLSV file: every array of the original but the block data is kept byte for byte with its footer entry (mesh, CellIDs,
 * CONFIG, PARAMETERs, moments, fields, CELLSWITHBLOCKS, BLOCKSPERCELL, the velocity mesh), so VLSV readers still see
 * the grid and its variables. For each population, the two block arrays are replaced, where they stood, by:
 *
 * <pre>
 *   VDFC_INDEX   (uint, 8), vectorsize 1, one element per cell in CELLSWITHBLOCKS order:
 *                the byte length of the cell's record. Record k starts at the sum of the lengths before it.
 *                attributes: mesh="SpatialGrid" name=&lt;pop&gt;
 *   VDFC_RECORDS (uint, 1), vectorsize 1: the cells' records (io.vdfc.record.CellRecord) back to back.
 *                attributes: mesh="SpatialGrid" name=&lt;pop&gt; value_datasize="4" (BLOCKVARIABLE's original
 *                datasize) wid3="64" (BLOCKVARIABLE's vectorsize)
 * </pre>
 *
 * and two arrays are appended:
 *
 * <pre>
 *   PARAMETER name="VDFC_FORMAT_VERSION" (uint, 4) = 2
 *   VDFC_SETTINGS name=&lt;pop&gt; (uint, 1): UTF-8 text, one "key=value" a line: codec, options, tolerance, conserve,
 *                minValue, written_by. Provenance only: every record is self-describing.
 *   VDFC_MODEL name=&lt;pop&gt; (uint, 1), only for codecs with a shared model (io.vdfc.codec.SharedModelCodec):
 *                the model bytes every record of the population is decoded with.
 *   VDFC_CHECKSUMS name="crc32c" (uint, 4), last: one CRC32C per footer array, in footer order; the checksum
 *                array's own slot holds the CRC32C of the 16 header bytes followed by the footer ({@link FileChecksums}).
 * </pre>
 *
 * <p>Integrity: every byte of the file is covered by exactly one checksum. The records carry their own CRC32C
 * (checked whenever a cell is decoded), {@link CompressedFile#open} checks the file checksums of everything it reads
 * but the records and the VARIABLEs (index, cell IDs, block counts, mesh, parameters, settings, model, header and
 * footer), {@link VlsvDecompressor} checks the VARIABLEs before copying them, and {@code vdfc verify --integrity}
 * ({@link IntegrityCheck}) checks all of it, streaming.
 *
 * <p>Versions: version 2 is version 1 with VDFC_CHECKSUMS required. VDFC_CHECKSUMS came in during version 1 as an
 * optional array, so a version-1 file without it reads as before (records still CRC-checked; their index is not). A
 * reader that took its absence for an old file let one flipped bit in its footer entry ({@code crc32c}) turn every
 * file checksum off, after which damage to the index, cell IDs or model decoded silently; from version 2 on its absence
 * is corruption. One flipped bit cannot turn version 2 into 1 (it gives 0, 3, 6, 10, ...): a version outside 1..2 is
 * checked against the version's checksum, which names the damage ({@link CompressedFile}).
 *
 * There is no BLOCKIDS or BLOCKVARIABLE, so stock Vlasiator stops with "Failed to read" instead of misreading the
 * data; no COMPRESSION or VDF_BYTE_SIZE parameter is written (the Asterix dev branch dispatches on them).
 * Decompression writes BLOCKIDS (uint,4) and BLOCKVARIABLE (float, value_datasize, vectorsize wid3) back where the
 * VDFC arrays stand and drops the appended arrays, which restores the original file byte for byte when the records
 * are lossless.
 */
public final class CompressedVlsv {
  public static final int FORMAT_VERSION = 2;

  /** The first format version whose files must carry VDFC_CHECKSUMS. */
  public static final int CHECKSUMS_REQUIRED_FROM = 2;
  public static final String INDEX = "VDFC_INDEX";

  /** Bytes of a cell's entry in {@link #INDEX}: what each cell costs besides its record. */
  public static final int INDEX_ENTRY_BYTES = 8;
  public static final String RECORDS = "VDFC_RECORDS";
  public static final String SETTINGS = "VDFC_SETTINGS";
  public static final String MODEL = "VDFC_MODEL";
  public static final String VERSION_PARAMETER = "VDFC_FORMAT_VERSION";
  public static final String BLOCKIDS = "BLOCKIDS";
  public static final String BLOCKVARIABLE = "BLOCKVARIABLE";
  public static final String BLOCKSPERCELL = "BLOCKSPERCELL";
  public static final String CELLSWITHBLOCKS = "CELLSWITHBLOCKS";
  public static final String ATTR_VALUE_DATASIZE = "value_datasize";
  public static final String ATTR_WID3 = "wid3";

  private CompressedVlsv() {
    throw new AssertionError("no instances");
  }
}
