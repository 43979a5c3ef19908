/*
 * vdfc_exports_shim.h - INTERNAL: compiled into libjniNativeExports.so only (included by the JavaCPP-generated
 * jniNativeExports.cpp through NativeExports' @Platform include; the generated header includes it too, where the
 * guard below makes it empty).
 *
 * The exported functions of vdfc.h live here. Each one checks that a JVM is running and that the vdfc classes
 * answer (JavaCPP's own export code would return 0 - VDFC_OK - without doing anything when there is no JVM, or when
 * JavaCPP_init could not load its classes), then calls the Java export vdfc_j_<name>, and turns any C++ exception
 * escaping JavaCPP into VDFC_E_INTERNAL, so that a host never sees a crash or a false success.
 */
#ifndef VDFC_EXPORTS_SHIM_H
#define VDFC_EXPORTS_SHIM_H
#ifdef ptr_to_jlong /* defined by the generated .cpp only */

#include <atomic>
#include <exception>
#include <mutex>
#include <string.h>
#include "vdfc.h"

#define VDFC_PING_ANSWER 0x56444643 /* "VDFC": what io.vdfc.adapter.NativeExports.Ping returns */

extern "C" int vdfc_j_ping(void);
extern "C" int vdfc_j_last_error(char *buffer, int32_t capacity);

static std::mutex vdfc_shim_lock;
static int vdfc_shim_status = VDFC_OK; /* a failure seen on the C side, more recent than any Java one */
static char vdfc_shim_message[1024];
static std::atomic<bool> vdfc_shim_ready(false);

static int vdfc_shim_fail(int status, const char *function, const char *what) {
  std::lock_guard<std::mutex> guard(vdfc_shim_lock);
  vdfc_shim_status = status;
  snprintf(vdfc_shim_message, sizeof vdfc_shim_message, "%s: %s", function, what);
  return status;
}

static void vdfc_shim_java_failed(void) {
  std::lock_guard<std::mutex> guard(vdfc_shim_lock);
  vdfc_shim_status = VDFC_OK;
}

/* VDFC_OK if the JVM runs and the vdfc classes answer, else the failure (recorded). */
static int vdfc_shim_check(const char *function) {
  JavaVM *vm = NULL;
  jsize n = 0;
  if (JNI_GetCreatedJavaVMs(&vm, 1, &n) != JNI_OK || n == 0) { /* asked every call: JavaCPP_uninit ends the JVM */
    vdfc_shim_ready.store(false);
    return vdfc_shim_fail(VDFC_E_NO_JVM, function,
        "no JVM is running: call JavaCPP_init (vdfc::Jvm) with -Djava.class.path=<vdfc classes>:<javacpp.jar> first"
        " (and not after JavaCPP_uninit, which ends it for the process)");
  }
  if (vdfc_shim_ready.load()) {
    return VDFC_OK;
  }
  int answer = 0;
  try {
    answer = vdfc_j_ping();
  } catch (...) {
    answer = 0;
  }
  if (answer != VDFC_PING_ANSWER) {
    return vdfc_shim_fail(VDFC_E_NO_JVM, function,
        "the JVM runs but cannot load io.vdfc.adapter.NativeExports: pass -Djava.class.path with the vdfc classes "
        "or jar, the plugin and javacpp.jar to JavaCPP_init");
  }
  vdfc_shim_ready.store(true);
  return VDFC_OK;
}

#define VDFC_SHIM_EXPORT(name, params, args)                                                          \
  extern "C" int vdfc_j_##name params;                                                                \
  extern "C" int vdfc_##name params {                                                                 \
    int ready = vdfc_shim_check("vdfc_" #name);                                                       \
    if (ready != VDFC_OK) {                                                                           \
      return ready;                                                                                   \
    }                                                                                                 \
    try {                                                                                             \
      int status = vdfc_j_##name args;                                                                \
      if (status != VDFC_OK) {                                                                        \
        vdfc_shim_java_failed();                                                                      \
      }                                                                                               \
      return status;                                                                                  \
    } catch (const std::exception &e) {                                                               \
      return vdfc_shim_fail(VDFC_E_INTERNAL, "vdfc_" #name, e.what());                                \
    } catch (...) {                                                                                   \
      return vdfc_shim_fail(VDFC_E_INTERNAL, "vdfc_" #name, "unknown C++ exception");                 \
    }                                                                                                 \
  }

VDFC_SHIM_EXPORT(open, (const char *config_path, const vdfc_collectives *coll, vdfc_session *session_out),
                 (config_path, coll, session_out))
VDFC_SHIM_EXPORT(close, (vdfc_session session), (session))
VDFC_SHIM_EXPORT(define_population, (vdfc_session session, const char *population, const vdfc_mesh *mesh),
                 (session, population, mesh))
VDFC_SHIM_EXPORT(compress_cell,
                 (vdfc_session session, int64_t cell_id, const char *population, const uint32_t *block_ids,
                  const float *values, int32_t n_blocks, vdfc_handle *handle_out),
                 (session, cell_id, population, block_ids, values, n_blocks, handle_out))
VDFC_SHIM_EXPORT(block_count, (vdfc_session session, vdfc_handle handle, int32_t *n_blocks_out),
                 (session, handle, n_blocks_out))
VDFC_SHIM_EXPORT(decompress_cell,
                 (vdfc_session session, vdfc_handle handle, uint32_t *block_ids_out, float *values_out,
                  int32_t capacity_blocks, int32_t *n_blocks_out),
                 (session, handle, block_ids_out, values_out, capacity_blocks, n_blocks_out))
VDFC_SHIM_EXPORT(compressed_bytes, (vdfc_session session, vdfc_handle handle, int64_t *bytes_out),
                 (session, handle, bytes_out))
VDFC_SHIM_EXPORT(find_handle,
                 (vdfc_session session, int64_t cell_id, const char *population, vdfc_handle *handle_out),
                 (session, cell_id, population, handle_out))
VDFC_SHIM_EXPORT(release, (vdfc_session session, vdfc_handle handle), (session, handle))
VDFC_SHIM_EXPORT(write_restart, (vdfc_session session, const char *path), (session, path))
VDFC_SHIM_EXPORT(read_restart,
                 (vdfc_session session, const char *path, const int64_t *cell_ids, int32_t n_cells,
                  int32_t *n_loaded_out),
                 (session, path, cell_ids, n_cells, n_loaded_out))
VDFC_SHIM_EXPORT(compact, (vdfc_session session), (session))
VDFC_SHIM_EXPORT(cell_bound, (vdfc_session session, vdfc_handle handle, double *bound_out),
                 (session, handle, bound_out))
VDFC_SHIM_EXPORT(config_value, (vdfc_session session, const char *key, char *buffer, int32_t capacity),
                 (session, key, buffer, capacity))
VDFC_SHIM_EXPORT(restart_mesh,
                 (vdfc_session session, const char *path, const char *population, vdfc_mesh *mesh_out),
                 (session, path, population, mesh_out))
VDFC_SHIM_EXPORT(restart_cells,
                 (vdfc_session session, const char *path, const char *population, int64_t *cell_ids_out,
                  int32_t *blocks_out, int32_t capacity, int32_t *n_cells_out),
                 (session, path, population, cell_ids_out, blocks_out, capacity, n_cells_out))
VDFC_SHIM_EXPORT(read_plain_cell,
                 (vdfc_session session, const char *path, const char *population, int64_t cell_id,
                  uint32_t *block_ids_out, float *values_out, int32_t capacity_blocks, int32_t *n_blocks_out),
                 (session, path, population, cell_id, block_ids_out, values_out, capacity_blocks, n_blocks_out))
VDFC_SHIM_EXPORT(stats, (vdfc_session session, int32_t global, int64_t *out, int32_t n), (session, global, out, n))

/* Bit i set if callback i of vdfc_collectives (barrier, bcast, allreduce_i64, allreduce_f64, allgather_i64,
 * allgatherv_bytes, exscan_i64, abort) is NULL; for HostMpiCollectives, which cannot see NULL function pointers. */
static inline int vdfc_shim_missing_callbacks(const vdfc_collectives *c) {
  const void *f[8] = {(const void *)c->barrier, (const void *)c->bcast, (const void *)c->allreduce_i64,
                      (const void *)c->allreduce_f64, (const void *)c->allgather_i64,
                      (const void *)c->allgatherv_bytes, (const void *)c->exscan_i64, (const void *)c->abort};
  int mask = 0;
  for (int i = 0; i < 8; i++) mask |= f[i] == NULL ? 1 << i : 0;
  return mask;
}

extern "C" int vdfc_last_error(char *buffer, int32_t capacity) {
  {
    std::lock_guard<std::mutex> guard(vdfc_shim_lock);
    if (vdfc_shim_status != VDFC_OK || !vdfc_shim_ready.load()) {
      if (buffer != NULL && capacity > 0) {
        snprintf(buffer, (size_t)capacity, "%s", vdfc_shim_status != VDFC_OK ? vdfc_shim_message : "");
      }
      return vdfc_shim_status;
    }
  }
  try {
    return vdfc_j_last_error(buffer, capacity);
  } catch (...) {
    if (buffer != NULL && capacity > 0) {
      snprintf(buffer, (size_t)capacity, "vdfc_last_error: the JVM failed to report the message");
    }
    return VDFC_E_INTERNAL;
  }
}

#endif /* ptr_to_jlong */
#endif /* VDFC_EXPORTS_SHIM_H */
