/*
 * vdfc.h - C API of the vdfc in-situ VDF compression plugin (libjniNativeExports.so, built by JavaCPP).
 *
 * A simulation rank starts one JVM (JavaCPP_init, once per process, with -Djava.class.path=...), opens a session
 * with a config file and its communicator's collectives, then per spatial cell and population hands the block IDs
 * and values over by pointer (the JVM reads them in place), keeps the returned handle and frees its blocks;
 * decompresses a handle into buffers it owns when the cell is needed again; and writes or reads a compressed restart
 * of all its cells. See README.md and vdfc.hpp (C++ RAII wrapper, MPI glue in vdfc_mpi.hpp).
 *
 * Errors: every function returns a status code, VDFC_OK (0) on success; the message of the most recent failure is
 * read with vdfc_last_error. Java exceptions never cross into C; a failing call leaves its output arguments untouched.
 * Threads: any thread may call; calls on one session are serialised. Status codes and struct layouts are stable ABI.
 */
#ifndef VDFC_H
#define VDFC_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- status codes (io.vdfc.adapter.Status) ---- */
#define VDFC_OK 0
#define VDFC_E_ARGUMENT 1   /* NULL pointer, negative count, unknown population, block ID outside the mesh */
#define VDFC_E_CONFIG 2     /* config file missing, unreadable, invalid, or different on some rank */
#define VDFC_E_IO 3         /* reading or writing a file failed (on this or another rank) */
#define VDFC_E_CORRUPT 4    /* a compressed record or restart file is damaged, or lacks a requested cell */
#define VDFC_E_CAPACITY 5   /* a caller-provided output buffer is too small: ask vdfc_block_count first */
#define VDFC_E_HANDLE 6     /* unknown, released or closed session or cell handle */
#define VDFC_E_COLLECTIVE 7 /* another rank failed a collective step; a failed callback calls abort first */
#define VDFC_E_MEMORY 8     /* the JVM ran out of heap: raise -Xmx */
#define VDFC_E_INTERNAL 9   /* a bug in vdfc; the message names the Java exception */
#define VDFC_E_NO_JVM 10    /* the JVM is not running (JavaCPP_init not called or failed); set by the C++ wrapper */

/* ---- indices of vdfc_stats ---- */
#define VDFC_STAT_CELLS_COMPRESSED 0
#define VDFC_STAT_CELLS_DECOMPRESSED 1
#define VDFC_STAT_ENCODE_NS 2           /* nanoseconds in the plugin's per-cell pipeline (codec, bound check, moment
                                           conservation): the codec's own time, not the adapter's */
#define VDFC_STAT_DECODE_NS 3
#define VDFC_STAT_LIVE_HANDLES 4
#define VDFC_STAT_LIVE_COMPRESSED_BYTES 5
#define VDFC_STAT_LIVE_REFERENCE_BYTES 6 /* what the live cells take uncompressed: blocks * (4*WID^3 + 4) */
#define VDFC_STAT_COMPRESS_CALL_NS 7     /* nanoseconds inside the Java side of vdfc_compress_cell, encode included */
#define VDFC_STAT_HEAP_USED_BYTES 8      /* gauge: JVM heap in use now (global: summed over ranks) */
#define VDFC_STAT_HEAP_COMMITTED_BYTES 9 /* gauge: JVM heap committed now */
#define VDFC_STAT_COUNT 10

/* ---- reduction operators of the collectives callbacks ---- */
#define VDFC_OP_SUM 0
#define VDFC_OP_MIN 1
#define VDFC_OP_MAX 2

typedef int64_t vdfc_session; /* 0 is never a valid session */
typedef int64_t vdfc_handle;  /* 0 is never a valid handle */

/* The velocity mesh of one population (Vlasiator's vspace): nx*ny*nz blocks of wid^3 cells, block global ID
 * gid = i + j*nx + k*nx*ny, in-block index di + dj*wid + dk*wid*wid; cell centres at vmin + (index + 0.5)*dv. */
typedef struct vdfc_mesh {
  int32_t nx, ny, nz, wid;
  double vx_min, vy_min, vz_min;
  double dvx, dvy, dvz;
} vdfc_mesh;

/* The host communicator's collectives, called back by the plugin (io.vdfc.adapter.HostMpiCollectives). Every
 * function gets ctx first and returns 0 on success, anything else on failure. All ranks call them in the same order
 * (they are collective over the host communicator). vdfc_mpi.hpp fills one from an MPI_Comm. */
typedef struct vdfc_collectives {
  void *ctx;  /* the host's state, e.g. a pointer to its MPI_Comm; must outlive the session */
  int rank;   /* this rank in the communicator (MPI_Comm_rank); vdfc_open checks rank and size on every rank */
  int size;   /* ranks in the communicator (MPI_Comm_size) */
  int (*barrier)(void *ctx);
  /* replaces buf[0..nbytes) on every rank with root's bytes */
  int (*bcast)(void *ctx, void *buf, int64_t nbytes, int root);
  /* out[i] = op over ranks of in[i], i < n; op is VDFC_OP_SUM, _MIN or _MAX */
  int (*allreduce_i64)(void *ctx, const int64_t *in, int64_t *out, int n, int op);
  /* vdfc passes VDFC_OP_SUM only here: it reduces minima and maxima of doubles through allreduce_i64, as integers in
     the doubles' order, because MPI leaves what MPI_MIN and MPI_MAX make of a NaN undefined */
  int (*allreduce_f64)(void *ctx, const double *in, double *out, int n, int op);
  /* all[r] = rank r's mine, for all size ranks */
  int (*allgather_i64)(void *ctx, int64_t mine, int64_t *all);
  /* rank r's n bytes land at all + displs[r]; counts[r] is rank r's n */
  int (*allgatherv_bytes)(void *ctx, const void *mine, int n, void *all, const int *counts, const int *displs);
  /* *out = sum of value over ranks 0..rank-1, and 0 on rank 0 (MPI_Exscan leaves rank 0 undefined: set it) */
  int (*exscan_i64)(void *ctx, int64_t value, int64_t *out);
  /* ends the whole job (MPI_Abort); must not return */
  void (*abort)(void *ctx, const char *message);
} vdfc_collectives;

/* ---- the JVM (exported by the JavaCPP-generated library) ---- */
/* Starts the JVM with argv as JVM options ("-Djava.class.path=<classes or jar>:<javacpp.jar>", "-Xmx256m"); returns
 * 0 on success. Once per process; never again after JavaCPP_uninit. ALWAYS pass -Djava.class.path: the default baked
 * in at build time lacks javacpp and fails. */
int JavaCPP_init(int argc, const char *argv[]);
int JavaCPP_uninit(void);

/* ---- sessions ---- */
/* Collective. Opens a session configured by the [compression] section of config_path. coll may be NULL for a
 * single-rank run; otherwise it is copied, and its ctx must outlive the session. All ranks fail with
 * VDFC_E_CONFIG if any rank cannot read its config or the ranks' configs differ. */
int vdfc_open(const char *config_path, const vdfc_collectives *coll, vdfc_session *session_out);
/* Frees every compressed cell of the session; not collective. */
int vdfc_close(vdfc_session session);
/* Declares a population's velocity mesh; needed before compressing or reading its cells. Idempotent for the same
 * mesh, VDFC_E_ARGUMENT for a different mesh under the same name; VDFC_E_CONFIG when the config's codec cannot code
 * the mesh (zfpb and the other block codecs code 4x4x4 blocks only: WID 4; zstd, dct and dwt take any width). */
int vdfc_define_population(vdfc_session session, const char *population, const vdfc_mesh *mesh);

/* ---- cells ---- */
/* Compresses one cell of one population: n_blocks block IDs and n_blocks*wid^3 values (block after block, in the
 * blocks' order) are read in place and not kept; the caller frees its blocks once this returns. One live handle per
 * (cell, population): compressing it again before vdfc_release fails with VDFC_E_ARGUMENT. */
int vdfc_compress_cell(vdfc_session session, int64_t cell_id, const char *population, const uint32_t *block_ids,
                       const float *values, int32_t n_blocks, vdfc_handle *handle_out);
/* Blocks of the cell behind handle: the capacity vdfc_decompress_cell needs. */
int vdfc_block_count(vdfc_session session, vdfc_handle handle, int32_t *n_blocks_out);
/* Decompresses into caller buffers of capacity_blocks IDs and capacity_blocks*wid^3 values, in the order the blocks
 * were compressed; the handle stays live. VDFC_E_CAPACITY if the cell has more blocks. */
int vdfc_decompress_cell(vdfc_session session, vdfc_handle handle, uint32_t *block_ids_out, float *values_out,
                         int32_t capacity_blocks, int32_t *n_blocks_out);
/* Bytes of the compressed record behind handle. */
int vdfc_compressed_bytes(vdfc_session session, vdfc_handle handle, int64_t *bytes_out);
/* The live handle of a cell's population, 0 if it has none (e.g. to find cells after vdfc_read_restart). */
int vdfc_find_handle(vdfc_session session, int64_t cell_id, const char *population, vdfc_handle *handle_out);
/* Frees the compressed cell behind handle. */
int vdfc_release(vdfc_session session, vdfc_handle handle);

/* The absolute pointwise bound the cell behind handle was verified to meet: every decompressed value f' of the cell
 * has |f' - f| <= *bound_out (0 for a cell stored losslessly). Set from [compression] tolerance per cell. */
int vdfc_cell_bound(vdfc_session session, vdfc_handle handle, double *bound_out);

/* ---- restarts (collective) ---- */
/* Writes every live cell of every rank into one compressed VLSV restart at path (NULL: [compression] restart_out),
 * created atomically; every other array is copied from [compression] restart_in, whose every cell must be live on
 * exactly one rank. Read it back with vdfc_read_restart, or decompress it offline (vdfc restart decompress).
 * Every rank must give the same path (else VDFC_E_ARGUMENT on every rank, naming each rank's path). If it fails on
 * one rank it fails on every rank, and a file already at path is left as it was. */
int vdfc_write_restart(vdfc_session session, const char *path);
/* Loads every population of the n_cells cells cell_ids (those this rank owns now; any rank count may have written
 * the file) from a compressed VLSV restart as live handles, found with vdfc_find_handle. Populations not yet defined
 * are defined with the file's mesh. VDFC_E_CORRUPT if a cell is missing from the file or its records are damaged. */
int vdfc_read_restart(vdfc_session session, const char *path, const int64_t *cell_ids, int32_t n_cells,
                      int32_t *n_loaded_out);

/* ---- plain VLSV restarts (for a host without a VLSV reader; not collective) ---- */
/* The velocity mesh of population in the plain VLSV restart path (NULL: [compression] restart_in); also defines the
 * population in the session with it. */
int vdfc_restart_mesh(vdfc_session session, const char *path, const char *population, vdfc_mesh *mesh_out);
/* The cells of population in the restart (NULL: restart_in), in file order: *n_cells_out always; with capacity > 0
 * also their IDs and block counts into cell_ids_out[0..n) and blocks_out[0..n) (VDFC_E_CAPACITY if n > capacity).
 * Call with capacity 0 first to size the arrays. Also defines the population with the file's mesh. */
int vdfc_restart_cells(vdfc_session session, const char *path, const char *population, int64_t *cell_ids_out,
                       int32_t *blocks_out, int32_t capacity, int32_t *n_cells_out);
/* Reads one cell of the restart (NULL: restart_in) into caller buffers of capacity_blocks IDs and
 * capacity_blocks*wid^3 values, blocks in the file's order. */
int vdfc_read_plain_cell(vdfc_session session, const char *path, const char *population, int64_t cell_id,
                         uint32_t *block_ids_out, float *values_out, int32_t capacity_blocks, int32_t *n_blocks_out);

/* ---- diagnostics ---- */
/* Copies min(n, VDFC_STAT_COUNT) counters (VDFC_STAT_*) into out: this rank's if global == 0, else (collective)
 * their sum over all ranks. */
int vdfc_stats(vdfc_session session, int32_t global, int64_t *out, int32_t n);
/* Collects the JVM's garbage now and gives unused heap back to the OS (a full collection of the serial collector,
 * which compacts and shrinks the old generation): call it after compressing a batch of cells, when the process's
 * resident size matters. Not collective; takes tens of milliseconds. */
int vdfc_compact(vdfc_session session);
/* A value of the config's [compression] section as NUL-terminated text: enabled, codec, tolerance, conserve,
 * codec_options, restart_in, restart_out (absolute paths, "" if unset), jvm_heap (256m if unset), settings (the
 * per-cell settings in words). VDFC_E_CAPACITY if it does not fit, VDFC_E_ARGUMENT for another key. */
int vdfc_config_value(vdfc_session session, const char *key, char *buffer, int32_t capacity);
/* Copies the message of the most recent failed call in this process (NUL-terminated, truncated to capacity) and
 * returns its status code, VDFC_OK if nothing failed yet. Failures on other threads may overwrite it. */
int vdfc_last_error(char *buffer, int32_t capacity);

#ifdef __cplusplus
}
#endif

/* The symbolic name of a status code ("VDFC_E_CONFIG"). */
static inline const char *vdfc_status_name(int status) {
  switch (status) {
    case VDFC_OK: return "VDFC_OK";
    case VDFC_E_ARGUMENT: return "VDFC_E_ARGUMENT";
    case VDFC_E_CONFIG: return "VDFC_E_CONFIG";
    case VDFC_E_IO: return "VDFC_E_IO";
    case VDFC_E_CORRUPT: return "VDFC_E_CORRUPT";
    case VDFC_E_CAPACITY: return "VDFC_E_CAPACITY";
    case VDFC_E_HANDLE: return "VDFC_E_HANDLE";
    case VDFC_E_COLLECTIVE: return "VDFC_E_COLLECTIVE";
    case VDFC_E_MEMORY: return "VDFC_E_MEMORY";
    case VDFC_E_INTERNAL: return "VDFC_E_INTERNAL";
    case VDFC_E_NO_JVM: return "VDFC_E_NO_JVM";
    default: return "VDFC_E_UNKNOWN";
  }
}

#endif /* VDFC_H */
