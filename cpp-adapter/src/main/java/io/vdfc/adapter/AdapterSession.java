package io.vdfc.adapter;

import io.vdfc.budget.CellBudget;
import io.vdfc.budget.CodecChoice;
import io.vdfc.codec.CodecRegistry;
import io.vdfc.codec.CorruptRecordException;
import io.vdfc.compress.BadVdfException;
import io.vdfc.compress.CellCompressor;
import io.vdfc.compress.CellReport;
import io.vdfc.compress.EncodedCell;
import io.vdfc.config.CompressionConfig;
import io.vdfc.parallel.Collectives;
import io.vdfc.record.CellRecord;
import io.vdfc.restart.CompressedFile;
import io.vdfc.restart.CompressedRestartWriter;
import io.vdfc.restart.OutputLock;
import io.vdfc.restart.VlsvCompressor;
import io.vdfc.restart.VlsvRewrite;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VdfCellIndex;
import io.vdfc.vdf.VelocityMesh;
import io.vdfc.vdf.VlsvVdfSource;
import io.vdfc.vlsv.IoErrors;
import io.vdfc.vlsv.VlsvFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One rank's compression state behind the C API: the rank's compressed cells, each behind a handle, and the
 * collectives of the host's communicator. The host hands a cell over as views of its own memory, gets a handle back
 * and frees its blocks; later it decompresses the handle into buffers it provides, and writes or reads a compressed
 * restart of all its cells.
 *
 * <p>Cells go through the plugin's per-cell pipeline ({@link CellCompressor}) with the settings of the config's
 * {@code [compression]} section ({@link SessionConfig}) and the population's {@code minValue} from the same config:
 * each record carries the absolute bound its decoder is known to meet ({@link #bound}). Restarts are the plugin's
 * compressed VLSV: {@link #writeRestart} copies every other array from {@code restart_in} (the template) through
 * {@link CompressedRestartWriter}, and {@link #readRestart} loads records from such a file ({@link CompressedFile}).
 * The host may also read plain cells of a VLSV restart through the session ({@link #restartCells},
 * {@link #readPlainCell}), so that it needs no VLSV reader of its own.
 *
 * <p>Calls are serialised ({@code synchronized}); the collective ones must be made by every rank in the same order.
 */
public final class AdapterSession implements AutoCloseable {
  /** Indices of {@link #stats()}, the same as {@code VDFC_STAT_*} in vdfc.h. */
  public static final int STAT_CELLS_COMPRESSED = 0;
  public static final int STAT_CELLS_DECOMPRESSED = 1;
  /** Nanoseconds in the plugin's per-cell pipeline ({@link CellCompressor#compress}): encode, check, conserve. */
  public static final int STAT_ENCODE_NANOS = 2;
  public static final int STAT_DECODE_NANOS = 3;
  public static final int STAT_LIVE_HANDLES = 4;
  public static final int STAT_LIVE_COMPRESSED_BYTES = 5;
  public static final int STAT_LIVE_REFERENCE_BYTES = 6;
  /** Nanoseconds inside {@link #compressCell} (views, copies, checks and the pipeline): the rest of a C call is JNI. */
  public static final int STAT_COMPRESS_CALL_NANOS = 7;
  /** JVM heap in use and committed when {@link #stats()} is called (gauges, not counters: sum or max as needed). */
  public static final int STAT_HEAP_USED_BYTES = 8;
  public static final int STAT_HEAP_COMMITTED_BYTES = 9;
  public static final int STAT_COUNT = 10;

  private static final AtomicLong NEXT_HANDLE = new AtomicLong(1);

  private final Collectives collectives;
  private final SessionConfig config;
  /** The per-cell pipeline with the config's per-cell budgets (a cell over one is stored losslessly, and noted). */
  private final CellBudget compressor;
  private final CodecChoice.Budgets budgets;
  private final Map<String, VelocityMesh> meshes = new HashMap<>();
  private final Map<String, Double> minValues = new HashMap<>();
  private final Map<Long, CompressedCell> cells = new HashMap<>();
  private final Map<CellKey, Long> handleOfCell = new HashMap<>();
  private final Map<Path, VlsvVdfSource> plainSources = new HashMap<>();
  private final long[] counters = new long[STAT_COUNT];
  private boolean closed;

  private AdapterSession(SessionConfig config, Collectives collectives) {
    this.config = config;
    this.collectives = collectives;
    CompressionConfig c = config.compression();
    this.budgets = new CodecChoice.Budgets(c.maxErrN().orElse(Double.NaN), c.maxErrV().orElse(Double.NaN),
        c.maxErrP().orElse(Double.NaN), Double.NaN);
    this.compressor = new CellBudget(config.settings(), config.settings().codec().name(), List.of(), List.of(), budgets);
  }

  /**
   * Opens a session configured by the config file's {@code [compression]} section. Collective: every rank calls it;
   * if any rank cannot read or accept its config, or the ranks' configs differ, every rank fails with
   * {@link Status#CONFIG}.
   */
  public static AdapterSession open(String configPath, Collectives collectives) {
    Objects.requireNonNull(configPath, "configPath");
    return new AdapterSession(SessionConfig.readAgreed(Path.of(configPath), collectives), collectives);
  }

  public Collectives collectives() {
    return collectives;
  }

  public Path configPath() {
    return config.path();
  }

  /** A value of the config's {@code [compression]} section as text (see {@code vdfc_config_value} in vdfc.h). */
  public String configValue(String key) {
    return config.value(Objects.requireNonNull(key, "key"));
  }

  /** Declares a population's velocity mesh; needed before {@link #readRestart} and by the C API's compress. */
  public synchronized void definePopulation(VelocityMesh mesh) {
    checkOpen();
    String problem = config.settings().codec().meshProblem(mesh);
    if (problem != null) { // at definition, not at the first cell a simulation step later
      throw new AdapterException(Status.CONFIG, "population " + mesh.population() + ": " + problem + "; set another"
          + " codec in the config's [compression] section (these code that mesh: "
          + String.join(", ", CodecRegistry.get().namesFor(mesh)) + ")");
    }
    VelocityMesh known = meshes.putIfAbsent(mesh.population(), mesh);
    if (known != null && !known.equals(mesh)) {
      throw new AdapterException(Status.ARGUMENT,
          "population " + mesh.population() + " is already defined with another mesh: " + known + " vs " + mesh);
    }
    minValues.computeIfAbsent(mesh.population(), config::minValue);
  }

  /** "populations [a,b] to PATH" from a rank's {@code populations\npath} in {@link #writeRestart}'s exchange. */
  private static String writes(byte[] choice) {
    String[] popsAndPath = new String(choice, StandardCharsets.UTF_8).split("\n", 2);
    return "writes populations [" + popsAndPath[0] + "] to " + popsAndPath[1];
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
    long t0 = System.nanoTime();
    EncodedCell encoded;
    try {
      encoded = compressor.compress(new CellVdf(cellId, mesh, ids, vals), minValues.get(population));
    } catch (BadVdfException e) {
      throw new AdapterException(Status.ARGUMENT, e.getMessage(), e);
    }
    counters[STAT_ENCODE_NANOS] += System.nanoTime() - t0;
    counters[STAT_CELLS_COMPRESSED]++;
    long handle = add(new CompressedCell(mesh, nBlocks, encoded));
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
      cell = CellCompressor.decompress(ByteBuffer.wrap(c.record()), c.mesh(), c.cellId(), c.blockCount());
    } catch (CorruptRecordException e) {
      throw new AdapterException(Status.CORRUPT, "handle " + handle + " (cell " + c.cellId() + " of "
          + c.mesh().population() + "): " + e.getMessage(), e);
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

  /**
   * The absolute pointwise bound the record behind {@code handle} was verified to meet, {@code max |f'-f|} over the
   * cell's values after decompression (0 for a cell stored losslessly).
   */
  public synchronized double bound(long handle) {
    return cell(handle).bound();
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

  // ---------------------------------------------------------------- restarts

  /**
   * Collective: writes every live cell of every rank to a compressed VLSV restart at {@code path} (null or empty:
   * the config's {@code restart_out}), written atomically. Every array but the VDFs is copied from the config's
   * {@code restart_in}; every cell that file lists must be live on exactly one rank, for every population it has that
   * a rank defined. The output's directory is created if needed. Fails on every rank if it fails on one.
   */
  public void writeRestart(String path) throws IOException {
    Path out = null;
    Path in = null;
    RuntimeException bad = null;
    try {
      synchronized (this) {
        checkOpen();
      }
      out = path == null || path.isEmpty() ? config.restartOut() : Path.of(path);
      in = config.restartIn();
    } catch (RuntimeException e) { // a closed session or no restart_out on one rank: every rank fails, none waits
      bad = e;
    }
    VlsvRewrite.agreeOrRethrow(bad, "vdfc_write_restart", collectives);
    Map<String, List<EncodedCell>> byPop = new LinkedHashMap<>();
    synchronized (this) {
      for (String pop : new TreeSet<>(meshes.keySet())) {
        byPop.put(pop, new ArrayList<>());
      }
      for (CompressedCell c : cells.values()) {
        byPop.get(c.mesh().population()).add(c.encoded());
      }
    }
    // every rank must write the same populations to the same file: a rank that wrote elsewhere left the others' parts
    // of the file as zeros, and every rank returned OK
    // every rank sees every rank's choice, so all reach the same verdict with the same message and need not agree
    String mine = String.join(",", byPop.keySet()) + "\n" + out.toAbsolutePath().normalize();
    byte[][] all = collectives.allgather(mine.getBytes(StandardCharsets.UTF_8));
    StringJoiner differ = new StringJoiner("; ");
    for (int r = 1; r < all.length; r++) {
      if (!Arrays.equals(all[r], all[0])) {
        differ.add("rank " + r + " " + writes(all[r]));
      }
    }
    if (differ.length() > 0) {
      throw new AdapterException(Status.ARGUMENT, "the ranks write different restarts: rank 0 " + writes(all[0]) + "; "
          + differ + "; every rank must give vdfc_write_restart the same path and define the same populations");
    }
    // the file takes its meshes from restart_in: cells compressed on another mesh would be decoded on the wrong
    // velocities (their moment correction failed for half the real restart's cells), and the write had said OK;
    // and the output replaced the config the session was opened from, and every rank said OK
    RuntimeException mistake = meshProblem(byPop.keySet());
    if (mistake == null && isConfig(out)) {
      mistake = new IllegalArgumentException("output " + out + " is the session's config file " + config.path()
          + "; give another output path");
    }
    VlsvRewrite.agreeOrRethrow(mistake, "", collectives);
    List<CompressedRestartWriter.PopulationPart> parts = new ArrayList<>();
    for (Map.Entry<String, List<EncodedCell>> e : byPop.entrySet()) {
      byte[] settings = VlsvCompressor.settingsText(config.settings(), minValues.get(e.getKey()), null, budgets);
      parts.add(new CompressedRestartWriter.PopulationPart(e.getKey(), e.getValue(), settings, null));
    }
    // not the template itself, nor a directory, a device or a link; its directory is made (restart_out may name one
    // the run has not made yet) and its temporary file probed, before any rank writes
    try (OutputLock held = VlsvRewrite.prepareTarget(in, out, collectives)) {
      VlsvFile template = null;
      String openProblem = null;
      try {
        template = VlsvFile.open(in);
      } catch (IOException e) {
        openProblem = "rank " + collectives.rank() + ": cannot open the template restart_in " + in + ": "
            + IoErrors.describe(e);
      }
      try {
        agreeIo(openProblem);
        CompressedRestartWriter.write(template, out, parts, collectives);
      } finally {
        if (template != null) {
          template.close();
        }
      }
    }
  }

  /**
   * Why the cells of {@code populations} cannot go into a restart written from restart_in, or null: a population's
   * mesh as this rank defined it is not the one restart_in has (sizes equal, coordinates to 1e-9 of a cell). Where
   * restart_in lacks the population or cannot be read, the writer says so.
   */
  private AdapterException meshProblem(Iterable<String> populations) {
    for (String pop : populations) {
      VelocityMesh file;
      VelocityMesh mine;
      synchronized (this) {
        mine = meshes.get(pop);
        try {
          file = restartMesh(null, pop);
        } catch (IOException | RuntimeException e) {
          continue;
        }
      }
      if (!sameMesh(mine, file)) {
        return new AdapterException(Status.ARGUMENT, "population " + pop + " was defined with the mesh " + mine.summary()
            + ", but restart_in " + config.restartIn() + " has " + file.summary() + ": the restart would decode its "
            + "cells on the wrong velocities; define it with the mesh vdfc_restart_mesh gives");
      }
    }
    return null;
  }

  private static boolean sameMesh(VelocityMesh a, VelocityMesh b) {
    return a.nx() == b.nx() && a.ny() == b.ny() && a.nz() == b.nz() && a.wid() == b.wid()
        && close(a.dvx(), b.dvx(), b.dvx()) && close(a.dvy(), b.dvy(), b.dvy()) && close(a.dvz(), b.dvz(), b.dvz())
        && close(a.vxMin(), b.vxMin(), b.dvx()) && close(a.vyMin(), b.vyMin(), b.dvy())
        && close(a.vzMin(), b.vzMin(), b.dvz());
  }

  private static boolean close(double a, double b, double scale) {
    return Math.abs(a - b) <= 1e-9 * Math.abs(scale);
  }

  /**
   * Collective: loads every population of the cells {@code cellIds} from a compressed VLSV restart (written by
   * {@link #writeRestart} or {@code vdfc restart compress}, on any number of ranks) and returns how many records
   * became live handles; find them with {@link #handleOf}. A population not yet defined is defined with the file's
   * mesh; a defined one must have the same mesh. {@link Status#CORRUPT} if a requested cell is not in the file.
   */
  public int readRestart(String path, long[] cellIds) {
    synchronized (this) {
      checkOpen();
    }
    List<CompressedCell> loaded = new ArrayList<>();
    AdapterException failure = null;
    java.util.Set<Long> asked = new java.util.HashSet<>();
    for (long id : cellIds) {
      if (!asked.add(id) && failure == null) { // two live handles for one cell, one of them lost
        failure = new AdapterException(Status.ARGUMENT, "cell_ids lists cell " + id + " twice");
      }
    }
    try (CompressedFile f = failure != null ? null : CompressedFile.open(Path.of(path))) {
      if (f == null) {
        throw failure;
      }
      for (String pop : f.populations()) {
        CompressedFile.Population p = f.population(pop);
        VelocityMesh mesh = p.mesh();
        synchronized (this) {
          definePopulation(mesh);
        }
        Map<Long, Integer> positions = new HashMap<>(2 * p.cellIds().length);
        for (int i = 0; i < p.cellIds().length; i++) {
          positions.putIfAbsent(p.cellIds()[i], i);
        }
        for (long id : cellIds) {
          Integer pos = positions.get(id);
          if (pos == null) {
            throw new AdapterException(Status.CORRUPT, path + ": " + pop + " has no cell " + id);
          }
          ByteBuffer rec = f.record(pop, pos);
          byte[] bytes = new byte[rec.remaining()];
          rec.get(bytes);
          int blocks = Math.toIntExact(p.blocksPerCell()[pos]);
          double bound;
          try { // checksum and structure now, as the header promises: a damaged record had loaded with VDFC_OK and
            // surfaced only at its decompress, after the host's restart step
            bound = CellRecord.read(ByteBuffer.wrap(bytes), (long) mesh.nx() * mesh.ny() * mesh.nz(), blocks)
                .tolerance();
          } catch (CorruptRecordException e) {
            throw new AdapterException(Status.CORRUPT, path + ": " + pop + " cell " + id + ": " + e.getMessage(), e);
          }
          CellReport report = new CellReport(id, blocks, (long) blocks * (4L * mesh.cellsPerBlock() + 4), bytes.length,
              bound, bound, false, 0, "read from " + path);
          loaded.add(new CompressedCell(mesh, blocks, new EncodedCell(id, bytes, report)));
        }
      }
      synchronized (this) { // found before the ranks agree, so that every rank fails with this one
        for (CompressedCell c : loaded) {
          if (handleOfCell.containsKey(new CellKey(c.cellId(), c.mesh().population()))) {
            throw new AdapterException(Status.ARGUMENT, "cell " + c.cellId() + " of " + c.mesh().population()
                + " is in the restart but already has a live handle");
          }
        }
      }
    } catch (AdapterException e) {
      failure = e;
    } catch (IOException e) {
      failure = new AdapterException(Status.of(e), "cannot read restart " + path + ": " + IoErrors.describe(e), e);
    } catch (RuntimeException e) { // any other failure joins the agreement too: no rank may wait for this one
      failure = new AdapterException(Status.of(e), "cannot read restart " + path + ": " + IoErrors.describe(e), e);
    }
    long[] anyFailed = collectives.allreduceMax(new long[] {failure == null ? 0 : failure.status()});
    if (failure != null) {
      throw failure;
    }
    if (anyFailed[0] != 0) {
      throw new AdapterException((int) anyFailed[0], "rank " + collectives.rank() + ": another rank failed to read "
          + path);
    }
    synchronized (this) {
      for (CompressedCell c : loaded) {
        add(c);
      }
      return loaded.size();
    }
  }

  private boolean isConfig(Path out) {
    try {
      return VlsvRewrite.isInput(out, config.path());
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Collective, in place of {@link #readRestart} on a rank whose own arguments were bad ({@code failure}): it joins the
   * agreement the others' {@code readRestart} makes, so that they fail too instead of waiting for this rank.
   */
  public void readRestartFailed(AdapterException failure) {
    collectives.allreduceMax(new long[] {failure.status()});
    throw failure;
  }

  // ---------------------------------------------------------------- plain VLSV restarts (the host's loader)

  /**
   * The cells of {@code population} in the plain VLSV restart {@code path} (null or empty: the config's
   * {@code restart_in}), in file order, with their block counts; also defines the population with the file's mesh.
   */
  public synchronized VdfCellIndex restartCells(String path, String population) throws IOException {
    VlsvVdfSource src = plainSource(path);
    definePopulation(src.mesh(population));
    return src.index(population);
  }

  /** The velocity mesh of {@code population} in the plain VLSV restart {@code path} (null or empty: restart_in). */
  public synchronized VelocityMesh restartMesh(String path, String population) throws IOException {
    return plainSource(path).mesh(population);
  }

  /** Reads one cell of a plain VLSV restart (null or empty path: restart_in), blocks in the file's order. */
  public synchronized CellVdf readPlainCell(String path, String population, long cellId) throws IOException {
    VlsvVdfSource src = plainSource(path);
    if (src.index(population).position(cellId).isEmpty()) {
      throw new AdapterException(Status.ARGUMENT, src.path() + ": " + population + " has no cell " + cellId);
    }
    return src.cell(population, cellId);
  }

  private VlsvVdfSource plainSource(String path) throws IOException {
    checkOpen();
    Path p = (path == null || path.isEmpty() ? config.restartIn() : Path.of(path)).toAbsolutePath().normalize();
    VlsvVdfSource src = plainSources.get(p);
    if (src == null) {
      src = VlsvVdfSource.open(p);
      plainSources.put(p, src);
    }
    return src;
  }

  // ---------------------------------------------------------------- diagnostics

  /** This rank's counters, indexed by the {@code STAT_*} constants. */
  public synchronized long[] stats() {
    long[] out = counters.clone();
    Runtime rt = Runtime.getRuntime();
    out[STAT_HEAP_COMMITTED_BYTES] = rt.totalMemory();
    out[STAT_HEAP_USED_BYTES] = rt.totalMemory() - rt.freeMemory();
    return out;
  }

  /**
   * Collects the JVM's garbage now, so that the heap the per-cell pipeline touched (arrays promoted while a cell was in
   * flight) is compacted and, with the serial collector, the old generation shrinks and its pages go back to the OS.
   */
  public void compact() {
    synchronized (this) {
      checkOpen();
    }
    System.gc();
  }

  /** Collective: the sum of {@link #stats()} over all ranks. */
  public long[] globalStats() {
    return collectives.allreduceSum(stats());
  }

  /** Frees every compressed cell and closes the plain restarts read; later calls fail with {@link Status#HANDLE}. */
  @Override
  public synchronized void close() {
    closed = true;
    cells.clear();
    handleOfCell.clear();
    for (VlsvVdfSource src : plainSources.values()) {
      try {
        src.close();
      } catch (IOException e) {
        // read-only files: nothing is lost
      }
    }
    plainSources.clear();
  }

  private void agreeIo(String problem) throws IOException {
    try {
      VlsvRewrite.agree(problem, collectives);
    } catch (Collectives.CollectiveFailure e) {
      throw new IOException(e.getMessage(), e);
    }
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

  /** A live compressed cell: the pipeline's record and report, and the mesh it decodes on. */
  private record CompressedCell(VelocityMesh mesh, int blockCount, EncodedCell encoded) {
    long cellId() {
      return encoded.cellId();
    }

    byte[] record() {
      return encoded.record();
    }

    double bound() {
      return encoded.report().tolerance();
    }

    long referenceBytes() {
      return (long) blockCount * (4L * mesh.cellsPerBlock() + 4L);
    }
  }
}
