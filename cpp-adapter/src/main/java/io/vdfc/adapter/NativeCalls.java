package io.vdfc.adapter;

import io.vdfc.adapter.NativeExports.CollectivesTable;
import io.vdfc.adapter.NativeExports.MeshStruct;
import io.vdfc.parallel.Collectives;
import io.vdfc.parallel.RankContext;
import io.vdfc.parallel.SingleRank;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VdfCellIndex;
import io.vdfc.vdf.VelocityMesh;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * The bodies of the exported C functions ({@link NativeExports}): argument checks at the C edge, zero-copy views of
 * the caller's arrays, and the table of open sessions. Every method throws on failure; {@link NativeExports#guard}
 * turns that into a status code.
 */
final class NativeCalls {
  private static final Map<Long, AdapterSession> SESSIONS = new ConcurrentHashMap<>();
  private static final AtomicLong NEXT_SESSION = new AtomicLong(1);

  private NativeCalls() {
    throw new AssertionError("no instances");
  }

  static void open(BytePointer configPath, CollectivesTable coll, LongPointer sessionOut) throws IOException {
    Collectives c = coll == null || coll.isNull() ? SingleRank.INSTANCE
        : HostMpiCollectives.of(coll).checkCommunicator();
    String path = null;
    RuntimeException bad = null;
    try {
      path = string(configPath, "config_path");
      required(sessionOut, "session_out");
    } catch (RuntimeException e) {
      bad = e;
    }
    // a NULL argument on one rank: every rank fails, none waits in the session's first collective
    io.vdfc.restart.VlsvRewrite.agreeOrRethrow(bad, "vdfc_open", c);
    RankContext.install(c);  // plugin code that asks RankContext sees the host's communicator too
    AdapterSession s = AdapterSession.open(path, c);
    long id = NEXT_SESSION.getAndIncrement();
    SESSIONS.put(id, s);
    sessionOut.put(0, id);
  }

  static void close(long session) {
    session(session).close();
    SESSIONS.remove(session);
  }

  static void definePopulation(long session, BytePointer population, MeshStruct mesh) {
    AdapterSession s = session(session);
    String pop = population(population);
    required(mesh, "mesh");
    s.definePopulation(new VelocityMesh(pop, mesh.nx(), mesh.ny(), mesh.nz(), mesh.wid(),
        mesh.vx_min(), mesh.vy_min(), mesh.vz_min(), mesh.dvx(), mesh.dvy(), mesh.dvz()));
  }

  static void compressCell(long session, long cellId, BytePointer population, IntPointer blockIds,
      FloatPointer values, int nBlocks, LongPointer handleOut) {
    AdapterSession s = session(session);
    String pop = population(population);
    required(handleOut, "handle_out");
    count(nBlocks, "n_blocks");
    VelocityMesh mesh = s.mesh(pop);
    long nValues = (long) nBlocks * mesh.cellsPerBlock();
    if (nValues > Integer.MAX_VALUE - 8) {
      fail("cell " + cellId + ": " + nBlocks + " blocks are more than one call can take");
    }
    IntBuffer ids = IntBuffer.allocate(0);
    FloatBuffer vals = FloatBuffer.allocate(0);
    if (nBlocks > 0) {
      // Zero-copy views of the host's arrays: the JVM reads the C++ memory in place.
      ids = required(blockIds, "block_ids").capacity(nBlocks).asBuffer();
      vals = required(values, "values").capacity(nValues).asBuffer();
    }
    handleOut.put(0, s.compressCell(cellId, pop, ids, vals, nBlocks, mesh));
  }

  static void blockCount(long session, long handle, IntPointer nBlocksOut) {
    AdapterSession s = session(session);
    required(nBlocksOut, "n_blocks_out");
    nBlocksOut.put(0, s.blockCount(handle));
  }

  static void decompressCell(long session, long handle, IntPointer blockIdsOut, FloatPointer valuesOut,
      int capacityBlocks, IntPointer nBlocksOut) {
    AdapterSession s = session(session);
    required(nBlocksOut, "n_blocks_out");
    count(capacityBlocks, "capacity_blocks");
    int need = s.blockCount(handle);
    if (need > capacityBlocks) {
      throw new AdapterException(Status.CAPACITY,
          "handle " + handle + " has " + need + " blocks, capacity_blocks is " + capacityBlocks);
    }
    IntBuffer ids = IntBuffer.allocate(0);
    FloatBuffer vals = FloatBuffer.allocate(0);
    if (need > 0) {
      // Zero-copy views: the plugin writes straight into the caller's buffers.
      ids = required(blockIdsOut, "block_ids_out").capacity(need).asBuffer();
      vals = required(valuesOut, "values_out").capacity((long) need * s.meshOf(handle).cellsPerBlock()).asBuffer();
    }
    nBlocksOut.put(0, s.decompressCell(handle, ids, vals, need));
  }

  static void compressedBytes(long session, long handle, LongPointer bytesOut) {
    AdapterSession s = session(session);
    required(bytesOut, "bytes_out");
    bytesOut.put(0, s.compressedBytes(handle));
  }

  static void findHandle(long session, long cellId, BytePointer population, LongPointer handleOut) {
    AdapterSession s = session(session);
    String pop = population(population);
    required(handleOut, "handle_out");
    handleOut.put(0, s.handleOf(cellId, pop));
  }

  static void release(long session, long handle) {
    session(session).release(handle);
  }

  static void writeRestart(long session, BytePointer path) throws IOException {
    AdapterSession s = session(session);
    s.writeRestart(optionalString(path));
  }

  static void readRestart(long session, BytePointer path, LongPointer cellIds, int nCells, IntPointer nLoadedOut) {
    AdapterSession s = session(session);
    String p;
    long[] ids;
    try {
      p = string(path, "path");
      required(nLoadedOut, "n_loaded_out");
      count(nCells, "n_cells");
      ids = new long[nCells];
      if (nCells > 0) {
        required(cellIds, "cell_ids").capacity(nCells).asBuffer().get(ids);
      }
    } catch (AdapterException e) {
      s.readRestartFailed(e); // collective: the other ranks fail too, none waits for this one
      return;
    }
    nLoadedOut.put(0, s.readRestart(p, ids));
  }

  static void compact(long session) {
    session(session).compact();
  }

  static void cellBound(long session, long handle, DoublePointer boundOut) {
    AdapterSession s = session(session);
    required(boundOut, "bound_out");
    boundOut.put(0, s.bound(handle));
  }

  static void configValue(long session, BytePointer key, BytePointer buffer, int capacity) {
    AdapterSession s = session(session);
    String value = s.configValue(string(key, "key"));
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    if (utf8.length + 1 > capacity) {
      throw new AdapterException(Status.CAPACITY, "config value '" + value + "' needs " + (utf8.length + 1)
          + " bytes, capacity is " + capacity);
    }
    required(buffer, "buffer").position(0).limit(capacity).put(utf8, 0, utf8.length).put(utf8.length, (byte) 0);
  }

  static void restartMesh(long session, BytePointer path, BytePointer population, MeshStruct meshOut)
      throws IOException {
    AdapterSession s = session(session);
    String pop = population(population);
    required(meshOut, "mesh_out");
    VelocityMesh m = s.restartMesh(optionalString(path), pop);
    s.definePopulation(m);
    meshOut.nx(m.nx()).ny(m.ny()).nz(m.nz()).wid(m.wid()).vx_min(m.vxMin()).vy_min(m.vyMin()).vz_min(m.vzMin())
        .dvx(m.dvx()).dvy(m.dvy()).dvz(m.dvz());
  }

  static void restartCells(long session, BytePointer path, BytePointer population, LongPointer cellIdsOut,
      IntPointer blocksOut, int capacity, IntPointer nCellsOut) throws IOException {
    AdapterSession s = session(session);
    String pop = population(population);
    required(nCellsOut, "n_cells_out");
    count(capacity, "capacity");
    VdfCellIndex ix = s.restartCells(optionalString(path), pop);
    int n = ix.cellCount();
    if (capacity > 0) {
      if (n > capacity) {
        throw new AdapterException(Status.CAPACITY, pop + " has " + n + " cells, capacity is " + capacity
            + " (ask with capacity 0 first)");
      }
      if (n > 0) { // both checked before either is written: a failing call leaves its outputs untouched
        LongPointer ids = required(cellIdsOut, "cell_ids_out");
        IntPointer blocks = required(blocksOut, "blocks_out");
        ids.capacity(n).asBuffer().put(0, ix.cellIds());
        blocks.capacity(n).asBuffer().put(0, ix.blocksPerCell());
      }
    }
    nCellsOut.put(0, n);
  }

  static void readPlainCell(long session, BytePointer path, BytePointer population, long cellId,
      IntPointer blockIdsOut, FloatPointer valuesOut, int capacityBlocks, IntPointer nBlocksOut) throws IOException {
    AdapterSession s = session(session);
    String pop = population(population);
    required(nBlocksOut, "n_blocks_out");
    count(capacityBlocks, "capacity_blocks");
    CellVdf cell = s.readPlainCell(optionalString(path), pop, cellId);
    int n = cell.blockCount();
    if (n > capacityBlocks) {
      throw new AdapterException(Status.CAPACITY, pop + " cell " + cellId + " has " + n + " blocks, capacity_blocks is "
          + capacityBlocks);
    }
    if (n > 0) { // both checked before either is written: a failing call leaves its outputs untouched
      IntPointer ids = required(blockIdsOut, "block_ids_out");
      FloatPointer values = required(valuesOut, "values_out");
      ids.capacity(n).asBuffer().put(0, cell.blockIds());
      values.capacity(cell.values().length).asBuffer().put(0, cell.values());
    }
    nBlocksOut.put(0, n);
  }

  static void stats(long session, int global, LongPointer out, int n) {
    AdapterSession s = session(session);
    // the collective first: a bad n or out on one rank must not leave the other ranks waiting in it
    long[] stats = global != 0 ? s.globalStats() : s.stats();
    count(n, "n");
    int k = Math.min(n, stats.length);
    if (k > 0) {
      required(out, "out").capacity(k).asBuffer().put(stats, 0, k);
    }
  }

  static AdapterSession session(long id) {
    AdapterSession s = SESSIONS.get(id);
    if (s == null) {
      throw new AdapterException(Status.HANDLE, "no open session " + id);
    }
    return s;
  }

  /** A NULL or empty path: the config's default (restart_in or restart_out). */
  private static String optionalString(BytePointer p) {
    return p == null || p.isNull() ? null : p.getString(StandardCharsets.UTF_8);
  }

  private static String string(BytePointer p, String what) {
    return required(p, what).getString(StandardCharsets.UTF_8);
  }

  /** Longest population name taken, in bytes (Vlasiator's are words such as {@code proton}). */
  static final int MAX_POPULATION_BYTES = 256;

  /**
   * A population name: non-empty, at most {@link #MAX_POPULATION_BYTES} bytes, valid UTF-8. Invalid bytes had been
   * decoded as replacement characters, so that two different names became one population.
   */
  private static String population(BytePointer p) {
    required(p, "population");
    long len = 0;
    while (len <= MAX_POPULATION_BYTES && p.get(len) != 0) {
      len++;
    }
    if (len == 0 || len > MAX_POPULATION_BYTES) {
      fail("population name is " + (len == 0 ? "empty" : "longer than " + MAX_POPULATION_BYTES + " bytes"));
    }
    byte[] bytes = new byte[(int) len];
    p.get(bytes);
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      fail("population name is not UTF-8 (bytes " + java.util.HexFormat.ofDelimiter(" ").formatHex(bytes) + ")");
      return null;
    }
  }

  private static <P extends Pointer> P required(P p, String what) {
    if (p == null || p.isNull()) {
      fail(what + " is NULL");
    }
    return p;
  }

  private static void count(long n, String what) {
    if (n < 0) {
      fail(what + " is negative: " + n);
    }
  }

  private static void fail(String message) {
    throw new AdapterException(Status.ARGUMENT, message);
  }
}
