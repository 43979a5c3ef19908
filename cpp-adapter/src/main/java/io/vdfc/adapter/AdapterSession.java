package io.vdfc.adapter;

import io.vdfc.codec.CorruptRecordException;
import io.vdfc.parallel.Collectives;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VelocityMesh;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One rank's compression state behind the C API: the rank's compressed cells, each behind a handle, and the
 * collectives of the host's communicator. The host hands a cell over as views of its own memory, gets a handle
 * back and frees its blocks; later it decompresses the handle into buffers it provides, and writes or reads a
 * compressed restart of all its cells.
 *
 * <p>The cells are encoded by a {@link CellCodec}: {@link #open} uses the lossless {@link DeflateCellCodec} until
 * the real pipeline is wired in through {@link #open(String, Collectives, CellCodec)}.
 *
 * <p>Not thread-safe for concurrent calls on one session beyond what {@code synchronized} gives: calls are
 * serialised.
 */
public final class AdapterSession implements AutoCloseable {
  /** Indices of {@link #stats()}, the same as {@code VDFC_STAT_*} in vdfc.h. */
  public static final int STAT_CELLS_COMPRESSED = 0;
  public static final int STAT_CELLS_DECOMPRESSED = 1;
  public static final int STAT_ENCODE_NANOS = 2;
  public static final int STAT_DECODE_NANOS = 3;
  public static final int STAT_LIVE_HANDLES = 4;
  public static final int STAT_LIVE_COMPRESSED_BYTES = 5;
  public static final int STAT_LIVE_REFERENCE_BYTES = 6;
  /** Nanoseconds inside {@link #compressCell} (views, copies, checks and encode): the rest of a C call is JNI. */
  public static final int STAT_COMPRESS_CALL_NANOS = 7;
  /** JVM heap in use and committed when {@link #stats()} is called (gauges, not counters: sum or max as needed). */
  public static final int STAT_HEAP_USED_BYTES = 8;
  public static final int STAT_HEAP_COMMITTED_BYTES = 9;
  public static final int STAT_COUNT = 10;

  private static final AtomicLong NEXT_HANDLE = new AtomicLong(1);

  private final Collectives collectives;
  private final CellCodec codec;
  private final Path configPath;
  private final Map<String, VelocityMesh> meshes = new HashMap<>();
  private final Map<Long, CompressedCell> cells = new HashMap<>();
  private final Map<CellKey, Long> handleOfCell = new HashMap<>();
  private final long[] counters = new long[STAT_COUNT];
  private boolean closed;

  private AdapterSession(Path configPath, Collectives collectives, CellCodec codec) {
    this.configPath = configPath;
    this.collectives = collectives;
    this.codec = codec;
  }

  /**
   * Opens a session with the placeholder codec configured by the config file's {@code [compression]} section.
   * Collective: every rank calls it; if any rank cannot read its config, or the ranks' configs differ, every rank
   * fails with {@link Status#CONFIG}.
   */
  public static AdapterSession open(String configPath, Collectives collectives) {
    Objects.requireNonNull(configPath, "configPath");
    PlaceholderConfig config = PlaceholderConfig.readAgreed(Path.of(configPath), collectives);
    return new AdapterSession(Path.of(configPath), collectives, new DeflateCellCodec(config.deflateLevel()));
  }

  /** Opens a session that encodes with {@code codec}; the config is only checked to agree over the ranks. */
  public static AdapterSession open(String configPath, Collectives collectives, CellCodec codec) {
    Objects.requireNonNull(configPath, "configPath");
    PlaceholderConfig.readAgreed(Path.of(configPath), collectives);
    return new AdapterSession(Path.of(configPath), collectives, Objects.requireNonNull(codec, "codec"));
  }

  public Collectives collectives() {
    return collectives;
  }

  public Path configPath() {
    return configPath;
  }

  /** Declares a population's velocity mesh; needed before {@link #readRestart} and by the C API's compress. */
  public synchronized void definePopulation(VelocityMesh mesh) {
    checkOpen();
    VelocityMesh known = meshes.putIfAbsent(mesh.population(), mesh);
    if (known != null && !known.equals(mesh)) {
      meshes.put(known.population(), known);
      throw new AdapterException(Status.ARGUMENT,
          "population " + mesh.population() + " is already defined with another mesh: " + known + " vs " + mesh);
    }
  }

  /** The mesh declared for {@code population}; {@link Status#ARGUMENT} if none. */
  public synchronized VelocityMesh mesh(String population) {
    VelocityMesh mesh = meshes.get(population);
    if (mesh == null) {
      throw new AdapterException(Status.ARGUMENT,
          "population " + population + " is not defined (defined: " + meshes.keySet() + ")");
    }
    return mesh;
  }

  /**
   * Compresses one cell of one population and returns its handle (never 0). {@code blockIds} and {@code values} are
   * read from their current positions ({@code nBlocks} IDs, {@code nBlocks * mesh.cellsPerBlock()} values) and not
   * kept: the caller may free them once this returns. A cell may have one live handle per population.
   */
  public synchronized long compressCell(long cellId, String population, IntBuffer blockIds, FloatBuffer values,
      int nBlocks, VelocityMesh mesh) {
    long start = System.nanoTime();
    checkOpen();
    Objects.requireNonNull(population, "population");
    Objects.requireNonNull(blockIds, "blockIds");
    Objects.requireNonNull(values, "values");
    Objects.requireNonNull(mesh, "mesh");
    if (!mesh.population().equals(population)) {
      throw new AdapterException(Status.ARGUMENT,
          "cell " + cellId + ": population " + population + " given with the mesh of " + mesh.population());
    }
    definePopulation(mesh);
    int perBlock = mesh.cellsPerBlock();
    if (nBlocks < 0 || blockIds.remaining() < nBlocks || (long) nBlocks * perBlock > values.remaining()) {
      throw new AdapterException(Status.ARGUMENT, "cell " + cellId + " of " + population + ": " + nBlocks
          + " blocks asked for, but " + blockIds.remaining() + " IDs and " + values.remaining() + " values given");
    }
    CellKey key = new CellKey(cellId, population);
    if (handleOfCell.containsKey(key)) {
      throw new AdapterException(Status.ARGUMENT, "cell " + cellId + " of " + population
          + " already has a live handle " + handleOfCell.get(key) + "; release it before compressing again");
    }
    int[] ids = new int[nBlocks];
    float[] vals = new float[nBlocks * perBlock];
    blockIds.get(blockIds.position(), ids);
    values.get(values.position(), vals);
    for (int b = 0; b < nBlocks; b++) {
      if (!mesh.contains(ids[b])) {
        throw new AdapterException(Status.ARGUMENT, "cell " + cellId + " of " + population + ": block " + b
            + " has ID " + Integer.toUnsignedLong(ids[b]) + ", outside the mesh's " + mesh.blockCount() + " blocks");
      }
    }
    CellVdf cell = new CellVdf(cellId, mesh, ids, vals);
    long t0 = System.nanoTime();
    byte[] record = codec.encode(cell);
    counters[STAT_ENCODE_NANOS] += System.nanoTime() - t0;
    counters[STAT_CELLS_COMPRESSED]++;
    long handle = add(new CompressedCell(cellId, mesh, nBlocks, record));
    counters[STAT_COMPRESS_CALL_NANOS] += System.nanoTime() - start;
    return handle;
  }

  /**
   * Decompresses a handle into the caller's buffers (from their positions) and returns its block count; the handle
   * stays live. {@link Status#CAPACITY} if the cell has more than {@code capacityBlocks} blocks or the buffers hold
   * fewer than that many.
   */
  public synchronized int decompressCell(long handle, IntBuffer idsOut, FloatBuffer valuesOut, int capacityBlocks) {
    checkOpen();
    CompressedCell c = cell(handle);
    Objects.requireNonNull(idsOut, "idsOut");
    Objects.requireNonNull(valuesOut, "valuesOut");
    int perBlock = c.mesh().cellsPerBlock();
    if (c.blockCount() > capacityBlocks || idsOut.remaining() < c.blockCount()
        || valuesOut.remaining() < (long) c.blockCount() * perBlock) {
      throw new AdapterException(Status.CAPACITY, "cell " + c.cellId() + " of " + c.mesh().population() + " has "
          + c.blockCount() + " blocks; capacity " + capacityBlocks + ", buffers hold " + idsOut.remaining()
          + " IDs and " + valuesOut.remaining() + " values");
    }
    long t0 = System.nanoTime();
    CellVdf cell;
    try {
      cell = codec.decode(c.record(), c.mesh(), c.cellId());
    } catch (CorruptRecordException e) {
      throw new AdapterException(Status.CORRUPT, "handle " + handle + ": " + e.getMessage(), e);
    }
    counters[STAT_DECODE_NANOS] += System.nanoTime() - t0;
    if (cell.blockCount() != c.blockCount()) {
      throw new AdapterException(Status.CORRUPT, "cell " + c.cellId() + " of " + c.mesh().population()
          + " decoded to " + cell.blockCount() + " blocks, compressed from " + c.blockCount());
    }
    idsOut.put(idsOut.position(), cell.blockIds());
    valuesOut.put(valuesOut.position(), cell.values());
    counters[STAT_CELLS_DECOMPRESSED]++;
    return cell.blockCount();
  }

  /** Blocks of the cell behind {@code handle}: the capacity {@link #decompressCell} needs. */
  public synchronized int blockCount(long handle) {
    return cell(handle).blockCount();
  }

  /** The velocity mesh of the cell behind {@code handle}. */
  public synchronized VelocityMesh meshOf(long handle) {
    return cell(handle).mesh();
  }

  /** Bytes of the compressed record behind {@code handle}. */
  public synchronized long compressedBytes(long handle) {
    return cell(handle).record().length;
  }

  /** The live handle of a cell's population, or 0 if it has none (e.g. after {@link #readRestart}). */
  public synchronized long handleOf(long cellId, String population) {
    Long h = handleOfCell.get(new CellKey(cellId, population));
    return h == null ? 0 : h;
  }

  /** Frees the compressed cell behind {@code handle}; {@link Status#HANDLE} if it is unknown or already freed. */
  public synchronized void release(long handle) {
    CompressedCell c = cell(handle);
    cells.remove(handle);
    handleOfCell.remove(new CellKey(c.cellId(), c.mesh().population()));
    counters[STAT_LIVE_HANDLES]--;
    counters[STAT_LIVE_COMPRESSED_BYTES] -= c.record().length;
    counters[STAT_LIVE_REFERENCE_BYTES] -= c.referenceBytes();
  }

  /** Collective: writes every live cell of every rank to one restart file at {@code path} (atomically). */
  public void writeRestart(String path) {
    List<PlaceholderRestart.Entry> entries = new ArrayList<>();
    synchronized (this) {
      checkOpen();
      for (CompressedCell c : cells.values()) {
        entries.add(new PlaceholderRestart.Entry(c.cellId(), c.mesh().population(), c.blockCount(), c.record()));
      }
    }
    PlaceholderRestart.write(Path.of(path), entries, collectives);
  }

  /**
   * Collective: loads every population of the cells {@code cellIds} from a restart written by {@link #writeRestart}
   * (by any number of ranks) and returns how many records became live handles; find them with {@link #handleOf}.
   * The populations must be defined. Fails ({@link Status#CORRUPT}) if a requested cell is not in the file.
   */
  public int readRestart(String path, long[] cellIds) {
    synchronized (this) {
      checkOpen();
    }
    List<PlaceholderRestart.Entry> entries = PlaceholderRestart.read(Path.of(path), cellIds, collectives);
    synchronized (this) {
      for (PlaceholderRestart.Entry e : entries) {
        VelocityMesh mesh = mesh(e.population());
        if (handleOfCell.containsKey(new CellKey(e.cellId(), e.population()))) {
          throw new AdapterException(Status.ARGUMENT, "cell " + e.cellId() + " of " + e.population()
              + " is in the restart but already has a live handle");
        }
        add(new CompressedCell(e.cellId(), mesh, e.blockCount(), e.record()));
      }
      return entries.size();
    }
  }

  /** This rank's counters, indexed by the {@code STAT_*} constants. */
  public synchronized long[] stats() {
    long[] out = counters.clone();
    Runtime rt = Runtime.getRuntime();
    out[STAT_HEAP_COMMITTED_BYTES] = rt.totalMemory();
    out[STAT_HEAP_USED_BYTES] = rt.totalMemory() - rt.freeMemory();
    return out;
  }

  /** Collective: the sum of {@link #stats()} over all ranks. */
  public long[] globalStats() {
    return collectives.allreduceSum(stats());
  }

  /** Frees every compressed cell; later calls fail with {@link Status#HANDLE}. Not collective. */
  @Override
  public synchronized void close() {
    closed = true;
    cells.clear();
    handleOfCell.clear();
  }

  private long add(CompressedCell c) {
    long handle = NEXT_HANDLE.getAndIncrement();
    cells.put(handle, c);
    handleOfCell.put(new CellKey(c.cellId(), c.mesh().population()), handle);
    counters[STAT_LIVE_HANDLES]++;
    counters[STAT_LIVE_COMPRESSED_BYTES] += c.record().length;
    counters[STAT_LIVE_REFERENCE_BYTES] += c.referenceBytes();
    return handle;
  }

  private CompressedCell cell(long handle) {
    checkOpen();
    CompressedCell c = cells.get(handle);
    if (c == null) {
      throw new AdapterException(Status.HANDLE, "no live compressed cell with handle " + handle);
    }
    return c;
  }

  private void checkOpen() {
    if (closed) {
      throw new AdapterException(Status.HANDLE, "session is closed");
    }
  }

  private record CellKey(long cellId, String population) {}

  private record CompressedCell(long cellId, VelocityMesh mesh, int blockCount, byte[] record) {
    long referenceBytes() {
      return (long) blockCount * (4L * mesh.cellsPerBlock() + 4L);
    }
  }
}
