package io.vdfc.adapter;

import java.nio.charset.StandardCharsets;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.FunctionPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.MemberGetter;
import org.bytedeco.javacpp.annotation.MemberSetter;
import org.bytedeco.javacpp.annotation.Name;
import org.bytedeco.javacpp.annotation.Platform;

/**
 * The C API of {@code include/vdfc.h}, exported by JavaCPP into {@code libjniNativeExports.so} (with the generated
 * header {@code jniNativeExports.h}): one nested {@link FunctionPointer} per exported function {@code vdfc_j_<name>},
 * whose {@code call} turns every Java failure into a status code ({@link Status}) and a message for
 * {@code vdfc_last_error}. The public {@code vdfc_<name>} functions are defined in {@code src/main/cpp/
 * vdfc_exports_shim.h}, which JavaCPP compiles into the same library: they check that the JVM runs before calling
 * in (else {@code VDFC_E_NO_JVM}) and catch C++ exceptions. The generated code includes vdfc.h, so the compiler
 * checks that the C declarations match these exports.
 *
 * <p>The nested {@link CollectivesTable}, {@link MeshStruct} and {@code *Fn} types map vdfc.h's structs and the
 * collectives callbacks (the Java-to-C direction, used by {@link HostMpiCollectives}).
 */
@Platform(include = {"vdfc.h", "vdfc_exports_shim.h"})
public final class NativeExports {
  static {
    Loader.load();
  }

  private static volatile int lastStatus = Status.OK;
  private static volatile String lastMessage = "";

  private NativeExports() {
    throw new AssertionError("no instances");
  }

  /** The body of an exported call; any exception becomes a status code. */
  @FunctionalInterface
  interface Body {
    void run() throws Exception;
  }

  /** Runs {@code body}, returning {@link Status#OK} or the failure's code after recording its message. */
  static int guard(String function, Body body) {
    try {
      body.run();
      return Status.OK;
    } catch (Throwable t) {
      int status = Status.of(t);
      String message = io.vdfc.vlsv.IoErrors.describe(t); // a file-system error's message is only its path
      if (status == Status.INTERNAL) {
        message = t + (t.getStackTrace().length > 0 ? " at " + t.getStackTrace()[0] : "");
      }
      synchronized (NativeExports.class) {
        lastStatus = status;
        lastMessage = function + ": " + message;
      }
      return status;
    }
  }

  /** The status and message of the most recent failure, as {@code vdfc_last_error} returns them. */
  static synchronized String lastError() {
    return Status.name(lastStatus) + ": " + lastMessage;
  }

  // ---------------------------------------------------------------- exports
  // Each body is one call into NativeCalls: JavaCPP loads these classes at build time without the plugin's classes,
  // so they must not need them to verify (a class that fails to load is silently left out of the library).

  /** Answers the shim's check that the JVM runs and these classes load (VDFC_PING_ANSWER, "VDFC"). */
  public static class Ping extends FunctionPointer {
    static { Loader.load(); }
    protected Ping() { allocate(); }
    private native void allocate();

    public @Name("vdfc_j_ping") int call() {
      return 0x56444643;
    }
  }

  public static class Open extends FunctionPointer {
    static { Loader.load(); }
    protected Open() { allocate(); }
    private native void allocate();

    public @Name("vdfc_j_open") int call(@Cast("const char*") BytePointer configPath,
        @Cast("const vdfc_collectives*") CollectivesTable coll, @Cast("vdfc_session*") LongPointer sessionOut) {
      return guard("vdfc_open", () -> NativeCalls.open(configPath, coll, sessionOut));
    }
  }

  public static class Close extends FunctionPointer {
    static { Loader.load(); }
    protected Close() { allocate(); }
    private native void allocate();

    public @Name("vdfc_j_close") int call(@Cast("vdfc_session") long session) {
      return guard("vdfc_close", () -> NativeCalls.close(session));
    }
  }

  public static class DefinePopulation extends FunctionPointer {
    static { Loader.load(); }
    protected DefinePopulation() { allocate(); }
    private native void allocate();

    public @Name("vdfc_j_define_population") int call(@Cast("vdfc_session") long session,
        @Cast("const char*") BytePointer population, @Cast("const vdfc_mesh*") MeshStruct mesh) {
      return guard("vdfc_define_population", () -> NativeCalls.definePopulation(session, population, mesh));
    }
  }

  public static class CompressCell extends FunctionPointer {
    static { Loader.load(); }
    protected CompressCell() { allocate(); }
    private native void allocate();

    public @Name("vdfc_j_compress_cell") int call(@Cast("vdfc_session") long session, @Cast("int64_t") long cellId,
        @Cast("const char*") BytePointer population, @Cast("const uint32_t*") IntPointer blockIds,
        @Cast("const float*") FloatPointer values, @Cast("int32_t") int nBlocks,
        @Cast("vdfc_handle*") LongPointer handleOut) {
      return guard("vdfc_compress_cell", () -> NativeCalls.compressCell(session, cellId, population, blockIds, values, nBlocks, handleOut));
    }
  }

  public static class BlockCount extends FunctionPointer {
    static { Loader.load(); }
    protected BlockCount() { allocate(); }
    private native void allocate();

    public @Name("vdfc_j_block_count") int call(@Cast("vdfc_session") long session, @Cast("vdfc_handle") long handle,
        @Cast("int32_t*") IntPointer nBlocksOut) {
      return guard("vdfc_block_count", () -> NativeCalls.blockCount(session, handle, nBlocksOut));
    }
  }

  public static class DecompressCell extends FunctionPointer {
    static { Loader.load(); }
    protected DecompressCell() { allocate(); }
    private native void allocate();

    public @Name("vdfc_j_decompress_cell") int call(@Cast("vdfc_session") long session,
        @Cast("vdfc_handle") long handle, @Cast("uint32_t*") IntPointer blockIdsOut,
        @Cast("float*") FloatPointer valuesOut, @Cast("int32_t") int capacityBlocks,
        @Cast("int32_t*") IntPointer nBlocksOut) {
      return guard("vdfc_decompress_cell", () -> NativeCalls.decompressCell(session, handle, blockIdsOut, valuesOut, capacityBlocks, nBlocksOut));
    }
  }

  public static class CompressedBytes extends FunctionPointer {
    static { Loader.load(); }
    protected CompressedBytes() { allocate(); }
    private native void allocate();

    public @Name("vdfc_j_compressed_bytes") int call(@Cast("vdfc_session") long session,
        @Cast("vdfc_handle") long handle, @Cast("int64_t*") LongPointer bytesOut) {
      return guard("vdfc_compressed_bytes", () -> NativeCalls.compressedBytes(session, handle, bytesOut));
    }
  }

  public static class FindHandle extends FunctionPointer {
    static { Loader.load(); }
    protected FindHandle() { allocate(); }
    private native void allocate();

    public @Name("vdfc_j_find_handle") int call(@Cast("vdfc_session") long session, @Cast("int64_t") long cellId,
        @Cast("const char*") BytePointer population, @Cast("vdfc_handle*") LongPointer handleOut) {
      return guard("vdfc_find_handle", () -> NativeCalls.findHandle(session, cellId, population, handleOut));
    }
  }

  public static class Release extends FunctionPointer {
    static { Loader.load(); }
    protected Release() { allocate(); }
    private native void allocate();

    public @Name("vdfc_j_release") int call(@Cast("vdfc_session") long session, @Cast("vdfc_handle") long handle) {
      return guard("vdfc_release", () -> NativeCalls.release(session, handle));
    }
  }

  public static class WriteRestart extends FunctionPointer {
    static { Loader.load(); }
    protected WriteRestart() { allocate(); }
    private native void allocate();

    public @Name("vdfc_j_write_restart") int call(@Cast("vdfc_session") long session,
        @Cast("const char*") BytePointer path) {
      return guard("vdfc_write_restart", () -> NativeCalls.writeRestart(session, path));
    }
  }

  public static class ReadRestart extends FunctionPointer {
    static { Loader.load(); }
    protected ReadRestart() { allocate(); }
    private native void allocate();

    public @Name("vdfc_j_read_restart") int call(@Cast("vdfc_session") long session,
        @Cast("const char*") BytePointer path, @Cast("const int64_t*") LongPointer cellIds,
        @Cast("int32_t") int nCells, @Cast("int32_t*") IntPointer nLoadedOut) {
      return guard("vdfc_read_restart", () -> NativeCalls.readRestart(session, path, cellIds, nCells, nLoadedOut));
    }
  }

  public static class Compact extends FunctionPointer {
    static { Loader.load(); }
    protected Compact() { allocate(); }
    private native void allocate();

    public @Name("vdfc_j_compact") int call(@Cast("vdfc_session") long session) {
      return guard("vdfc_compact", () -> NativeCalls.compact(session));
    }
  }

  public static class CellBound extends FunctionPointer {
    static { Loader.load(); }
    protected CellBound() { allocate(); }
    private native void allocate();

    public @Name("vdfc_j_cell_bound") int call(@Cast("vdfc_session") long session, @Cast("vdfc_handle") long handle,
        @Cast("double*") DoublePointer boundOut) {
      return guard("vdfc_cell_bound", () -> NativeCalls.cellBound(session, handle, boundOut));
    }
  }

  public static class ConfigValue extends FunctionPointer {
    static { Loader.load(); }
    protected ConfigValue() { allocate(); }
    private native void allocate();

    public @Name("vdfc_j_config_value") int call(@Cast("vdfc_session") long session,
        @Cast("const char*") BytePointer key, @Cast("char*") BytePointer buffer, @Cast("int32_t") int capacity) {
      return guard("vdfc_config_value", () -> NativeCalls.configValue(session, key, buffer, capacity));
    }
  }

  public static class RestartMesh extends FunctionPointer {
    static { Loader.load(); }
    protected RestartMesh() { allocate(); }
    private native void allocate();

    public @Name("vdfc_j_restart_mesh") int call(@Cast("vdfc_session") long session,
        @Cast("const char*") BytePointer path, @Cast("const char*") BytePointer population,
        @Cast("vdfc_mesh*") MeshStruct meshOut) {
      return guard("vdfc_restart_mesh", () -> NativeCalls.restartMesh(session, path, population, meshOut));
    }
  }

  public static class RestartCells extends FunctionPointer {
    static { Loader.load(); }
    protected RestartCells() { allocate(); }
    private native void allocate();

    public @Name("vdfc_j_restart_cells") int call(@Cast("vdfc_session") long session,
        @Cast("const char*") BytePointer path, @Cast("const char*") BytePointer population,
        @Cast("int64_t*") LongPointer cellIdsOut, @Cast("int32_t*") IntPointer blocksOut,
        @Cast("int32_t") int capacity, @Cast("int32_t*") IntPointer nCellsOut) {
      return guard("vdfc_restart_cells",
          () -> NativeCalls.restartCells(session, path, population, cellIdsOut, blocksOut, capacity, nCellsOut));
    }
  }

  public static class ReadPlainCell extends FunctionPointer {
    static { Loader.load(); }
    protected ReadPlainCell() { allocate(); }
    private native void allocate();

    public @Name("vdfc_j_read_plain_cell") int call(@Cast("vdfc_session") long session,
        @Cast("const char*") BytePointer path, @Cast("const char*") BytePointer population,
        @Cast("int64_t") long cellId, @Cast("uint32_t*") IntPointer blockIdsOut, @Cast("float*") FloatPointer valuesOut,
        @Cast("int32_t") int capacityBlocks, @Cast("int32_t*") IntPointer nBlocksOut) {
      return guard("vdfc_read_plain_cell", () -> NativeCalls.readPlainCell(session, path, population, cellId,
          blockIdsOut, valuesOut, capacityBlocks, nBlocksOut));
    }
  }

  public static class Stats extends FunctionPointer {
    static { Loader.load(); }
    protected Stats() { allocate(); }
    private native void allocate();

    public @Name("vdfc_j_stats") int call(@Cast("vdfc_session") long session, @Cast("int32_t") int global,
        @Cast("int64_t*") LongPointer out, @Cast("int32_t") int n) {
      return guard("vdfc_stats", () -> NativeCalls.stats(session, global, out, n));
    }
  }

  public static class LastError extends FunctionPointer {
    static { Loader.load(); }
    protected LastError() { allocate(); }
    private native void allocate();

    public @Name("vdfc_j_last_error") int call(@Cast("char*") BytePointer buffer, @Cast("int32_t") int capacity) {
      int status;
      String message;
      synchronized (NativeExports.class) {
        status = lastStatus;
        message = lastMessage;
      }
      if (buffer != null && !buffer.isNull() && capacity > 0) {
        byte[] utf8 = message.getBytes(StandardCharsets.UTF_8);
        int k = Math.min(utf8.length, capacity - 1);
        buffer.position(0).limit(capacity).put(utf8, 0, k).put(k, (byte) 0);
      }
      return status;
    }
  }

  // ---------------------------------------------------------------- vdfc.h structs and callbacks

  /** {@code vdfc_mesh}. */
  @Name("vdfc_mesh")
  public static class MeshStruct extends Pointer {
    static { Loader.load(); }
    public MeshStruct() { allocate(); }
    public MeshStruct(Pointer p) { super(p); }
    private native void allocate();

    public native @MemberGetter @Cast("int32_t") int nx();
    public native @MemberGetter @Cast("int32_t") int ny();
    public native @MemberGetter @Cast("int32_t") int nz();
    public native @MemberGetter @Cast("int32_t") int wid();
    public native @MemberGetter double vx_min();
    public native @MemberGetter double vy_min();
    public native @MemberGetter double vz_min();
    public native @MemberGetter double dvx();
    public native @MemberGetter double dvy();
    public native @MemberGetter double dvz();
    public native @MemberSetter MeshStruct nx(@Cast("int32_t") int v);
    public native @MemberSetter MeshStruct ny(@Cast("int32_t") int v);
    public native @MemberSetter MeshStruct nz(@Cast("int32_t") int v);
    public native @MemberSetter MeshStruct wid(@Cast("int32_t") int v);
    public native @MemberSetter MeshStruct vx_min(double v);
    public native @MemberSetter MeshStruct vy_min(double v);
    public native @MemberSetter MeshStruct vz_min(double v);
    public native @MemberSetter MeshStruct dvx(double v);
    public native @MemberSetter MeshStruct dvy(double v);
    public native @MemberSetter MeshStruct dvz(double v);
  }

  /** {@code vdfc_collectives}: the host's collectives as C function pointers. */
  @Name("vdfc_collectives")
  public static class CollectivesTable extends Pointer {
    static { Loader.load(); }
    /** A zeroed table (every callback NULL). */
    public CollectivesTable() {
      allocate();
      Pointer.memset(this, 0, Pointer.sizeof(CollectivesTable.class));
    }
    public CollectivesTable(Pointer p) { super(p); }
    private native void allocate();

    public native @MemberGetter Pointer ctx();
    public native @MemberGetter int rank();
    public native @MemberGetter int size();
    public native @MemberGetter BarrierFn barrier();
    public native @MemberGetter BcastFn bcast();
    public native @MemberGetter AllreduceI64Fn allreduce_i64();
    public native @MemberGetter AllreduceF64Fn allreduce_f64();
    public native @MemberGetter AllgatherI64Fn allgather_i64();
    public native @MemberGetter AllgathervBytesFn allgatherv_bytes();
    public native @MemberGetter ExscanI64Fn exscan_i64();
    public native @MemberGetter AbortFn abort();

    public native @MemberSetter CollectivesTable ctx(Pointer ctx);
    public native @MemberSetter CollectivesTable rank(int rank);
    public native @MemberSetter CollectivesTable size(int size);
    public native @MemberSetter CollectivesTable barrier(BarrierFn f);
    public native @MemberSetter CollectivesTable bcast(BcastFn f);
    public native @MemberSetter CollectivesTable allreduce_i64(AllreduceI64Fn f);
    public native @MemberSetter CollectivesTable allreduce_f64(AllreduceF64Fn f);
    public native @MemberSetter CollectivesTable allgather_i64(AllgatherI64Fn f);
    public native @MemberSetter CollectivesTable allgatherv_bytes(AllgathervBytesFn f);
    public native @MemberSetter CollectivesTable exscan_i64(ExscanI64Fn f);
    public native @MemberSetter CollectivesTable abort(AbortFn f);
  }

  /**
   * Bit i set if callback i of {@code t} is NULL, in the order barrier, bcast, allreduce_i64, allreduce_f64,
   * allgather_i64, allgatherv_bytes, exscan_i64, abort (a NULL function pointer still maps to a non-null Java object).
   */
  public static native @Name("vdfc_shim_missing_callbacks") int missingCallbacks(
      @Cast("const vdfc_collectives*") CollectivesTable t);

  /** {@code int (*barrier)(void *ctx)}. */
  public static class BarrierFn extends FunctionPointer {
    static { Loader.load(); }
    public BarrierFn(Pointer p) { super(p); }
    protected BarrierFn() { allocate(); }
    private native void allocate();
    public native int call(Pointer ctx);
  }

  /** {@code int (*bcast)(void *ctx, void *buf, int64_t nbytes, int root)}. */
  public static class BcastFn extends FunctionPointer {
    static { Loader.load(); }
    public BcastFn(Pointer p) { super(p); }
    protected BcastFn() { allocate(); }
    private native void allocate();
    public native int call(Pointer ctx, Pointer buf, @Cast("int64_t") long nbytes, int root);
  }

  /** {@code int (*allreduce_i64)(void *ctx, const int64_t *in, int64_t *out, int n, int op)}. */
  public static class AllreduceI64Fn extends FunctionPointer {
    static { Loader.load(); }
    public AllreduceI64Fn(Pointer p) { super(p); }
    protected AllreduceI64Fn() { allocate(); }
    private native void allocate();
    public native int call(Pointer ctx, @Cast("const int64_t*") LongPointer in, @Cast("int64_t*") LongPointer out,
        int n, int op);
  }

  /** {@code int (*allreduce_f64)(void *ctx, const double *in, double *out, int n, int op)}. */
  public static class AllreduceF64Fn extends FunctionPointer {
    static { Loader.load(); }
    public AllreduceF64Fn(Pointer p) { super(p); }
    protected AllreduceF64Fn() { allocate(); }
    private native void allocate();
    public native int call(Pointer ctx, @Cast("const double*") DoublePointer in, DoublePointer out, int n, int op);
  }

  /** {@code int (*allgather_i64)(void *ctx, int64_t mine, int64_t *all)}. */
  public static class AllgatherI64Fn extends FunctionPointer {
    static { Loader.load(); }
    public AllgatherI64Fn(Pointer p) { super(p); }
    protected AllgatherI64Fn() { allocate(); }
    private native void allocate();
    public native int call(Pointer ctx, @Cast("int64_t") long mine, @Cast("int64_t*") LongPointer all);
  }

  /** {@code int (*allgatherv_bytes)(void *ctx, const void *mine, int n, void *all, const int *counts,
   * const int *displs)}. */
  public static class AllgathervBytesFn extends FunctionPointer {
    static { Loader.load(); }
    public AllgathervBytesFn(Pointer p) { super(p); }
    protected AllgathervBytesFn() { allocate(); }
    private native void allocate();
    public native int call(Pointer ctx, @Cast("const void*") Pointer mine, int n, Pointer all,
        @Cast("const int*") IntPointer counts, @Cast("const int*") IntPointer displs);
  }

  /** {@code int (*exscan_i64)(void *ctx, int64_t value, int64_t *out)}. */
  public static class ExscanI64Fn extends FunctionPointer {
    static { Loader.load(); }
    public ExscanI64Fn(Pointer p) { super(p); }
    protected ExscanI64Fn() { allocate(); }
    private native void allocate();
    public native int call(Pointer ctx, @Cast("int64_t") long value, @Cast("int64_t*") LongPointer out);
  }

  /** {@code void (*abort)(void *ctx, const char *message)}. */
  public static class AbortFn extends FunctionPointer {
    static { Loader.load(); }
    public AbortFn(Pointer p) { super(p); }
    protected AbortFn() { allocate(); }
    private native void allocate();
    public native void call(Pointer ctx, @Cast("const char*") BytePointer message);
  }
}
