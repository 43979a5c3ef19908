package io.vdfc.restart;

import io.vdfc.codec.CorruptRecordException;
import io.vdfc.codec.SharedModelCodec;
import io.vdfc.codec.VdfCodec;
import io.vdfc.compress.CellCompressor;
import io.vdfc.record.CellRecord;
import io.vdfc.vdf.CellPositions;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VdfSource;
import io.vdfc.vdf.VelocityMesh;
import io.vdfc.vdf.VlsvVdfSource;
import io.vdfc.vdf.VlsvVdfReader;
import io.vdfc.vlsv.VlsvArray;
import io.vdfc.vlsv.VlsvDataType;
import io.vdfc.vlsv.VlsvFile;
import io.vdfc.vlsv.VlsvFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A compressed VLSV file opened for reading ({@link CompressedVlsv} layout): its populations, their cell index, and any
 * cell decoded on demand. Every length and offset read from the file is checked against the file before use.
 */
public final class CompressedFile implements VdfSource {
  private final VlsvFile file;
  private final Map<String, Population> pops = new LinkedHashMap<>();
  private final Map<String, VdfCodec> boundCodecs = new java.util.HashMap<>();

  /**
   * One population's index: cell IDs, block counts, record offsets within VDFC_RECORDS, and the cells' positions by ID.
   */
  public record Population(String name, VelocityMesh mesh, long[] cellIds, long[] blocksPerCell, long[] recordStart,
      VlsvArray records, VlsvArray index, String settings, VlsvArray model, CellPositions positions) {
    /** Where cell {@code cellId} is in this population's cell order, or -1 if the file stores no VDF for it. */
    public int find(long cellId) {
      return positions.find(cellId);
    }

    /** Bytes of each restored value: BLOCKVARIABLE's datasize in the original, 4 or 8 (checked on open). */
    public int valueBytes() {
      return Integer.parseInt(records.attr(CompressedVlsv.ATTR_VALUE_DATASIZE).orElse("4"));
    }

    /** As {@link #find}; {@link IllegalArgumentException} if the file stores no VDF for the cell. */
    public int position(long cellId) {
      int at = find(cellId);
      if (at < 0) {
        throw new IllegalArgumentException(name + ": no cell " + cellId + " in the file");
      }
      return at;
    }

    public long recordLength(int position) {
      return recordStart[position + 1] - recordStart[position];
    }
  }

  private CompressedFile(VlsvFile file, boolean checkSums) throws IOException {
    this.file = file;
    VlsvArray version = file.find("PARAMETER", Map.of("name", CompressedVlsv.VERSION_PARAMETER)).orElseThrow(
        () -> new VlsvFormatException(file.path(), file.footerOffset(), "not a vdfc-compressed file (no PARAMETER "
            + CompressedVlsv.VERSION_PARAMETER + ")"));
    if (version.arraySize() != 1 || version.vectorSize() != 1 || version.dataType() != VlsvDataType.UINT) {
      if (checkSums) { // its footer entry is damaged: the header and footer's checksum says so
        FileChecksums.require(file, a -> a == version);
      }
      throw new VlsvFormatException(file.path(), version.offset(), version.describe() + " should be one uint, "
          + "not " + version.arraySize() + " x " + version.vectorSize() + " " + version.dataType());
    }
    long v = file.readLongs(version)[0];
    if (v < 1 || v > CompressedVlsv.FORMAT_VERSION) {
      if (checkSums) { // a damaged version is not a newer vdfc's: say which it is
        FileChecksums.require(file, a -> a == version);
      }
      throw new VlsvFormatException(file.path(), version.offset(), "vdfc format version " + v
          + ", this vdfc reads versions 1.." + CompressedVlsv.FORMAT_VERSION + " (written by a newer vdfc?)");
    }
    String unchecked = missingChecksums(file);
    if (unchecked != null) {
      throw new VlsvFormatException(file.path(), file.footerOffset(), unchecked);
    }
    if (checkSums) {
      FileChecksums.require(file, CompressedFile::checkedOnOpen);
    }
    for (VlsvArray idx : file.findAll(CompressedVlsv.INDEX, Map.of())) {
      String pop = idx.name();
      VlsvArray recs = require(CompressedVlsv.RECORDS, pop);
      String valueBytes = recs.attr(CompressedVlsv.ATTR_VALUE_DATASIZE).orElse("4");
      if (!valueBytes.equals("4") && !valueBytes.equals("8")) {
        throw new VlsvFormatException(file.path(), file.footerOffset(), recs.describe() + ": "
            + CompressedVlsv.ATTR_VALUE_DATASIZE + " \"" + valueBytes + "\" should be 4 or 8 (float32 or float64 "
            + "values)");
      }
      VlsvArray cellsA = require(CompressedVlsv.CELLSWITHBLOCKS, pop);
      long[] cells = file.readLongs(cellsA);
      CellPositions positions = VlsvVdfReader.requireValidCellList(file, cellsA, cells);
      long[] blocks = file.readLongs(require(CompressedVlsv.BLOCKSPERCELL, pop));
      long[] lengths = file.readLongs(idx);
      if (cells.length != blocks.length || cells.length != lengths.length) {
        throw new VlsvFormatException(file.path(), idx.offset(), pop + ": " + cells.length + " cells, " + blocks.length
            + " block counts and " + lengths.length + " index entries should agree");
      }
      VelocityMesh mesh = VlsvVdfReader.mesh(file, pop);
      VlsvArray bpc = require(CompressedVlsv.BLOCKSPERCELL, pop);
      for (int i = 0; i < blocks.length; i++) {
        // a count is checked before anything is sized by it: no cell has more blocks than its mesh
        if (blocks[i] < 0 || blocks[i] > mesh.blockCount()) {
          throw new VlsvFormatException(file.path(), bpc.offset() + bpc.elementBytes() * i, pop + " cell " + cells[i]
              + ": " + blocks[i] + " blocks, but the velocity mesh has " + mesh.blockCount());
        }
      }
      long[] start = new long[lengths.length + 1];
      for (int i = 0; i < lengths.length; i++) {
        if (lengths[i] < 0 || start[i] + lengths[i] > recs.byteSize()) {
          throw new VlsvFormatException(file.path(), idx.offset() + 8L * i, pop + " cell " + cells[i] + ": record length "
              + lengths[i] + " runs past the " + recs.byteSize() + " record bytes");
        }
        start[i + 1] = start[i] + lengths[i];
      }
      if (start[lengths.length] != recs.byteSize()) {
        throw new VlsvFormatException(file.path(), idx.offset(), pop + ": index covers " + start[lengths.length]
            + " of " + recs.byteSize() + " record bytes");
      }
      String settings = file.find(CompressedVlsv.SETTINGS, Map.of("name", pop)).map(this::text).orElse("");
      VlsvArray model = file.find(CompressedVlsv.MODEL, Map.of("name", pop)).orElse(null);
      pops.put(pop, new Population(pop, mesh, cells, blocks, start, recs, idx, settings, model, positions));
    }
  }

  /**
   * The arrays whose file checksum is checked when a file is opened: everything a decoder reads but the records (each
   * carries its own CRC32C) and the VARIABLEs (copied through, not decoded; {@link VlsvDecompressor} checks them).
   */
  static boolean checkedOnOpen(VlsvArray a) {
    return !a.tag().equals(CompressedVlsv.RECORDS) && !a.tag().equals("VARIABLE");
  }

  public static CompressedFile open(Path path) throws IOException {
    return open(path, true);
  }

  /** Opens without checking file checksums ({@link IntegrityCheck} reports them itself, one by one). */
  static CompressedFile open(Path path, boolean checkSums) throws IOException {
    VlsvFile f = VlsvFile.open(path);
    try {
      return new CompressedFile(f, checkSums);
    } catch (IOException | RuntimeException e) {
      f.close();
      throw e;
    }
  }

  /**
   * Why a compressed file lacks the checksums its format version requires, or null: from version 2 on a missing
   * VDFC_CHECKSUMS is a damaged footer (one flipped bit in its entry), not an old file ({@link CompressedVlsv}). Null
   * too when the version is not one value; the caller names that.
   */
  static String missingChecksums(VlsvFile f) throws IOException {
    if (FileChecksums.find(f).isPresent()) {
      return null;
    }
    long[] version = f.readLongs(f.find("PARAMETER", Map.of("name", CompressedVlsv.VERSION_PARAMETER)).orElseThrow());
    long v = version.length == 1 ? version[0] : 0;
    if (v < CompressedVlsv.CHECKSUMS_REQUIRED_FROM) {
      return null;
    }
    return "no " + FileChecksums.TAG + " name=\"" + FileChecksums.NAME + "\" in the footer, which format version " + v
        + " requires: the footer is damaged, and no file checksum can be checked";
  }

  /** True if the file carries the vdfc format parameter. */
  public static boolean isCompressed(VlsvFile f) {
    return f.find("PARAMETER", Map.of("name", CompressedVlsv.VERSION_PARAMETER)).isPresent();
  }

  public VlsvFile file() {
    return file;
  }

  @Override
  public Path path() {
    return file.path();
  }

  @Override
  public VelocityMesh mesh(String pop) {
    return population(pop).mesh();
  }

  @Override
  public long[] cellIds(String pop) {
    return population(pop).cellIds().clone();
  }

  @Override
  public CellVdf cell(String pop, long cellId) throws IOException {
    int at = population(pop).find(cellId);
    if (at < 0) { // as VlsvVdfSource says it
      throw new IllegalArgumentException(path().getFileName() + ": no stored VDF of " + pop + " for cell " + cellId);
    }
    return cellAt(pop, at);
  }

  /** The sparsity threshold recorded in the file's CONFIG (as the original's), NaN if absent. */
  @Override
  public double minValue(String pop) throws IOException {
    population(pop);
    return VlsvVdfSource.of(file).minValue(pop);
  }

  @Override
  public double particleMass(String pop) throws IOException {
    population(pop);
    return VlsvVdfSource.of(file).particleMass(pop);
  }

  @Override
  public List<String> populations() {
    return new ArrayList<>(pops.keySet());
  }

  public Population population(String name) {
    Population p = pops.get(name);
    if (p == null) {
      throw new IllegalArgumentException("no population '" + name + "' in " + file.path() + " (has " + pops.keySet() + ")");
    }
    return p;
  }

  /** The record bytes of the cell at {@code position}. */
  public ByteBuffer record(String pop, int position) throws IOException {
    Population p = population(pop);
    return file.read(p.records(), p.recordStart()[position], Math.toIntExact(p.recordLength(position)));
  }

  /** Decodes the cell at {@code position}; a corrupt record names file, population, cell and byte offset. */
  @Override
  public CellVdf cellAt(String pop, int position) throws IOException {
    Population p = population(pop);
    ByteBuffer rec = record(pop, position);
    long offset = p.records().offset() + p.recordStart()[position];
    try {
      CellVdf cell = CellCompressor.decompress(rec, p.mesh(), p.cellIds()[position], p.blocksPerCell()[position],
          codec -> bind(p, codec));
      if (cell.blockCount() != p.blocksPerCell()[position]) {
        throw new CorruptRecordException("record holds " + cell.blockCount() + " blocks, BLOCKSPERCELL says "
            + p.blocksPerCell()[position]);
      }
      return cell;
    } catch (CorruptRecordException e) {
      throw new VlsvFormatException(file.path(), offset, pop + " cell " + p.cellIds()[position] + ": " + e.getMessage());
    }
  }

  /** The registered codec, or for a shared-model codec that codec bound to the population's model (parsed once). */
  private VdfCodec bind(Population p, VdfCodec codec) throws CorruptRecordException {
    if (!(codec instanceof SharedModelCodec smc)) {
      return codec;
    }
    CorruptRecordException.verify(p.model() != null, "codec %s needs a %s array for %s, the file has none",
        codec.name(), CompressedVlsv.MODEL, p.name());
    synchronized (boundCodecs) {
      VdfCodec bound = boundCodecs.get(p.name() + "/" + codec.id());
      if (bound == null) {
        try {
          bound = smc.withModel(file.read(p.model()));
        } catch (IOException e) {
          throw new CorruptRecordException("cannot read the " + CompressedVlsv.MODEL + " of " + p.name() + ": " + e.getMessage(), e);
        }
        boundCodecs.put(p.name() + "/" + codec.id(), bound);
      }
      return bound;
    }
  }

  /** The absolute bound recorded for the cell at {@code position} (0 when stored losslessly). */
  public double recordTolerance(String pop, int position) throws IOException {
    try {
      return CellRecord.peekTolerance(record(pop, position));
    } catch (CorruptRecordException e) {
      Population p = population(pop);
      throw new VlsvFormatException(file.path(), p.records().offset() + p.recordStart()[position],
          pop + " cell " + p.cellIds()[position] + ": " + e.getMessage());
    }
  }

  private VlsvArray require(String tag, String pop) throws VlsvFormatException {
    return file.find(tag, Map.of("name", pop)).orElseThrow(() -> new VlsvFormatException(file.path(),
        file.footerOffset(), "population " + pop + " has " + CompressedVlsv.INDEX + " but no " + tag));
  }

  private String text(VlsvArray a) {
    try {
      return new String(file.read(a).array(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public void close() throws IOException {
    file.close();
  }
}
