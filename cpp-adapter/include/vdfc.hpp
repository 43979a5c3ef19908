// vdfc.hpp - thin C++17 RAII layer over vdfc.h: vdfc::Jvm starts the embedded JVM once per process with the right
// class path, vdfc::Session owns a session, failures throw vdfc::Error carrying the status code and message.
#ifndef VDFC_HPP
#define VDFC_HPP

#include <array>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "vdfc.h"

namespace vdfc {

/** A failed vdfc call: status() is the VDFC_E_* code, what() the message from vdfc_last_error. */
class Error : public std::runtime_error {
 public:
  Error(int status, const std::string &message) : std::runtime_error(message), status_(status) {}
  int status() const { return status_; }

 private:
  int status_;
};

/** The message of the most recent failure (vdfc_last_error). */
inline std::string lastError() {
  std::vector<char> buffer(4096);
  vdfc_last_error(buffer.data(), static_cast<int32_t>(buffer.size()));
  return std::string(buffer.data());
}

/** Throws Error unless status is VDFC_OK. */
inline void check(int status) {
  if (status != VDFC_OK) {
    throw Error(status, std::string(vdfc_status_name(status)) + ": " + lastError());
  }
}

/**
 * The embedded JVM of this process (one per process, never restarted: a JNI limit). Always give a class path:
 * JavaCPP_init's built-in default is the build machine's Maven class path and cannot load vdfc.
 */
class Jvm {
 public:
  struct Options {
    /** The vdfc-cpp-adapter classes or jar, the plugin jar, javacpp.jar and the plugin's dependencies. */
    std::string classPath;
    /** -Xmx value; 256m fits the compressed cells of a typical rank (see README). */
    std::string maxHeap = "256m";
    /**
     * -Xms value ("" for the JVM's default, 1/64 of the machine's memory). Small, so that the heap can shrink back
     * after vdfc_compact: with the default -Xms (256m here) the pages the pipeline touched stayed resident.
     */
    std::string minHeap = "16m";
    /**
     * -Xmn value ("" for the JVM's default). A small fixed young generation keeps the per-cell garbage (copies of the
     * blocks, codec buffers) from touching more pages: with the default (a third of -Xmx) arrays of cells in flight
     * were promoted and the resident size grew instead of shrinking; with 8m and vdfc_compact it follows the
     * compressed bytes (README).
     */
    std::string youngGen = "8m";
    /** More JVM options, e.g. "-Dorg.bytedeco.javacpp.cachedir=/tmp/jcpp" or "-Xlog:gc". */
    std::vector<std::string> extra;
  };

  /**
   * The class path to use: `explicitPath` if not empty, else environment variable `envVar` (VDFC_CLASSPATH), else
   * `fallback` (e.g. a path compiled into the host). Throws Error(VDFC_E_NO_JVM) if all are empty.
   */
  static std::string classPath(const std::string &explicitPath, const char *envVar = "VDFC_CLASSPATH",
                               const std::string &fallback = "") {
    if (!explicitPath.empty()) return explicitPath;
    const char *env = envVar == nullptr ? nullptr : std::getenv(envVar);
    if (env != nullptr && *env != '\0') return env;
    if (!fallback.empty()) return fallback;
    throw Error(VDFC_E_NO_JVM, std::string("no class path for the vdfc JVM: set ") + (envVar ? envVar : "it"));
  }

  /** Starts the JVM: -Djava.class.path, -Xmx, -XX:+UseSerialGC (one GC thread: N ranks share a node), -Xms, -Xmn,
   * extra. */
  explicit Jvm(const Options &options) {
    if (started()) {
      throw Error(VDFC_E_NO_JVM, "the JVM can be started only once per process");
    }
    if (options.classPath.empty()) {
      throw Error(VDFC_E_NO_JVM, "vdfc::Jvm needs a class path (-Djava.class.path); see Jvm::classPath");
    }
    // the JVM itself would print "Initial heap size set to a larger value than the maximum heap size" and end the
    // process inside JavaCPP_init (jvm_heap = 8m did): say it here, as an error the host can report
    const long long maxBytes = sizeBytes(options.maxHeap);
    if (maxBytes <= 0) {
      throw Error(VDFC_E_NO_JVM, "-Xmx '" + options.maxHeap + "' (jvm_heap) is not a size such as 256m or 2g");
    }
    for (const auto &[flag, value] : {std::pair<std::string, std::string>{"-Xms", options.minHeap},
                                      std::pair<std::string, std::string>{"-Xmn", options.youngGen}}) {
      if (!value.empty() && sizeBytes(value) >= maxBytes) {
        throw Error(VDFC_E_NO_JVM, "-Xmx" + options.maxHeap + " (jvm_heap) is not above the " + flag + value +
                                       " the vdfc JVM starts with; give a larger jvm_heap (32m or more)");
      }
    }
    std::vector<std::string> args = {"-Djava.class.path=" + options.classPath, "-Xmx" + options.maxHeap,
                                     "-XX:+UseSerialGC"};
    if (!options.minHeap.empty()) args.push_back("-Xms" + options.minHeap);
    if (!options.youngGen.empty()) args.push_back("-Xmn" + options.youngGen);
    args.insert(args.end(), options.extra.begin(), options.extra.end());
    std::vector<const char *> argv;
    for (const std::string &a : args) argv.push_back(a.c_str());
    started() = true;
    int rc = JavaCPP_init(static_cast<int>(argv.size()), argv.data());
    if (rc < 0) {
      throw Error(VDFC_E_NO_JVM, "JavaCPP_init failed (" + std::to_string(rc) + ") with class path " + options.classPath);
    }
  }

  /** Bytes of a JVM size option ("256m", "2g", "512k", "65536"); -1 if it is not one. */
  static long long sizeBytes(const std::string &size) {
    if (size.empty()) return -1;
    long long unit = 1;
    std::string digits = size;
    switch (size.back()) {
      case 'k': case 'K': unit = 1LL << 10; digits.pop_back(); break;
      case 'm': case 'M': unit = 1LL << 20; digits.pop_back(); break;
      case 'g': case 'G': unit = 1LL << 30; digits.pop_back(); break;
      case 't': case 'T': unit = 1LL << 40; digits.pop_back(); break;
      default: break;
    }
    if (digits.empty() || digits.size() > 12 || digits.find_first_not_of("0123456789") != std::string::npos) return -1;
    return std::stoll(digits) * unit;
  }

  /** Leaves the JVM running: destroying it at exit can wait on JVM threads, and it cannot be restarted anyway. */
  ~Jvm() = default;
  Jvm(const Jvm &) = delete;
  Jvm &operator=(const Jvm &) = delete;

 private:
  static bool &started() {
    static bool flag = false;
    return flag;
  }
};

/** An open vdfc session (vdfc_open ... vdfc_close). Collective where vdfc.h says so. */
class Session {
 public:
  /** Collective: opens with the config file; coll == nullptr for a single rank (vdfc_mpi.hpp makes one). */
  Session(const std::string &configPath, const vdfc_collectives *coll) {
    check(vdfc_open(configPath.c_str(), coll, &id_));
  }
  ~Session() {
    if (id_ != 0) vdfc_close(id_);
  }
  Session(const Session &) = delete;
  Session &operator=(const Session &) = delete;

  vdfc_session id() const { return id_; }

  void definePopulation(const std::string &population, const vdfc_mesh &mesh) {
    check(vdfc_define_population(id_, population.c_str(), &mesh));
  }

  /** Compresses a cell read in place from blockIds[0..n) and values[0..n*WID3); the caller may free them after. */
  vdfc_handle compress(int64_t cellId, const std::string &population, const uint32_t *blockIds, const float *values,
                       int32_t nBlocks) {
    vdfc_handle h = 0;
    check(vdfc_compress_cell(id_, cellId, population.c_str(), blockIds, values, nBlocks, &h));
    return h;
  }

  int32_t blockCount(vdfc_handle h) {
    int32_t n = 0;
    check(vdfc_block_count(id_, h, &n));
    return n;
  }

  /** Decompresses into caller buffers of `capacityBlocks` blocks; returns the block count. */
  int32_t decompress(vdfc_handle h, uint32_t *blockIds, float *values, int32_t capacityBlocks) {
    int32_t n = 0;
    check(vdfc_decompress_cell(id_, h, blockIds, values, capacityBlocks, &n));
    return n;
  }

  /**
   * Decompresses into vectors resized to fit (valuesPerBlock = WID^3), whatever their allocators (a simulation's
   * aligned or counting allocators too).
   */
  template <class IdAlloc, class ValueAlloc>
  int32_t decompress(vdfc_handle h, std::vector<uint32_t, IdAlloc> &blockIds, std::vector<float, ValueAlloc> &values,
                     std::size_t valuesPerBlock) {
    int32_t n = blockCount(h);
    blockIds.resize(static_cast<std::size_t>(n));
    values.resize(static_cast<std::size_t>(n) * valuesPerBlock);
    return decompress(h, blockIds.data(), values.data(), n);
  }

  int64_t compressedBytes(vdfc_handle h) {
    int64_t bytes = 0;
    check(vdfc_compressed_bytes(id_, h, &bytes));
    return bytes;
  }

  /** Full GC of the JVM: returns the heap the pipeline touched to the OS (vdfc_compact). */
  void compact() { check(vdfc_compact(id_)); }

  /** The absolute bound |f'-f| the cell behind h was verified to meet (0: lossless). */
  double bound(vdfc_handle h) {
    double b = 0;
    check(vdfc_cell_bound(id_, h, &b));
    return b;
  }

  /** A value of the config's [compression] section (vdfc_config_value). */
  std::string configValue(const std::string &key) {
    std::vector<char> buffer(4096);
    check(vdfc_config_value(id_, key.c_str(), buffer.data(), static_cast<int32_t>(buffer.size())));
    return std::string(buffer.data());
  }

  /** The mesh of a population in a plain VLSV restart ("" : restart_in); defines the population too. */
  vdfc_mesh restartMesh(const std::string &path, const std::string &population) {
    vdfc_mesh m{};
    check(vdfc_restart_mesh(id_, path.empty() ? nullptr : path.c_str(), population.c_str(), &m));
    return m;
  }

  /** The cells of a population in a plain VLSV restart ("" : restart_in), in file order, with their block counts. */
  void restartCells(const std::string &path, const std::string &population, std::vector<int64_t> &cellIds,
                    std::vector<int32_t> &blocks) {
    const char *p = path.empty() ? nullptr : path.c_str();
    int32_t n = 0;
    check(vdfc_restart_cells(id_, p, population.c_str(), nullptr, nullptr, 0, &n));
    cellIds.resize(static_cast<std::size_t>(n));
    blocks.resize(static_cast<std::size_t>(n));
    if (n > 0) check(vdfc_restart_cells(id_, p, population.c_str(), cellIds.data(), blocks.data(), n, &n));
  }

  /** Reads one cell of a plain VLSV restart ("" : restart_in) into buffers of capacityBlocks blocks. */
  int32_t readPlainCell(const std::string &path, const std::string &population, int64_t cellId, uint32_t *blockIds,
                        float *values, int32_t capacityBlocks) {
    int32_t n = 0;
    check(vdfc_read_plain_cell(id_, path.empty() ? nullptr : path.c_str(), population.c_str(), cellId, blockIds,
                               values, capacityBlocks, &n));
    return n;
  }

  /** The live handle of a cell's population, 0 if none. */
  vdfc_handle find(int64_t cellId, const std::string &population) {
    vdfc_handle h = 0;
    check(vdfc_find_handle(id_, cellId, population.c_str(), &h));
    return h;
  }

  void release(vdfc_handle h) { check(vdfc_release(id_, h)); }

  /** Collective: a compressed VLSV restart at path ("" : restart_out), other arrays copied from restart_in. */
  void writeRestart(const std::string &path) {
    check(vdfc_write_restart(id_, path.empty() ? nullptr : path.c_str()));
  }

  /** Collective: loads the given cells; returns the number of (cell, population) records loaded. */
  int32_t readRestart(const std::string &path, const std::vector<int64_t> &cellIds) {
    int32_t n = 0;
    check(vdfc_read_restart(id_, path.c_str(), cellIds.data(), static_cast<int32_t>(cellIds.size()), &n));
    return n;
  }

  /** This rank's counters (global == false) or, collectively, their sum over ranks; indices VDFC_STAT_*. */
  std::array<int64_t, VDFC_STAT_COUNT> stats(bool global) {
    std::array<int64_t, VDFC_STAT_COUNT> out{};
    check(vdfc_stats(id_, global ? 1 : 0, out.data(), VDFC_STAT_COUNT));
    return out;
  }

 private:
  vdfc_session id_ = 0;
};

/**
 * The value of `key` in `[section]` of an INI-style config (Vlasiator's syntax: `key = value`, `#` comments), or
 * `fallback` if absent. For the few keys the host needs before the JVM runs (the JVM's heap); everything else is
 * parsed by the plugin.
 */
inline std::string configValue(const std::string &path, const std::string &section, const std::string &key,
                               const std::string &fallback) {
  std::ifstream in(path);
  std::string line, current, found = fallback;
  auto trim = [](std::string s) {
    const char *ws = " \t\r\n";
    s.erase(0, s.find_first_not_of(ws));
    std::size_t end = s.find_last_not_of(ws);
    return end == std::string::npos ? std::string() : s.substr(0, end + 1);
  };
  while (std::getline(in, line)) {
    std::size_t hash = line.find('#');
    if (hash != std::string::npos) line.erase(hash);
    line = trim(line);
    if (line.empty()) continue;
    if (line.front() == '[' && line.back() == ']') {
      current = trim(line.substr(1, line.size() - 2));
      continue;
    }
    std::size_t eq = line.find('=');
    if (eq != std::string::npos && current == section && trim(line.substr(0, eq)) == key) {
      found = trim(line.substr(eq + 1));
    }
  }
  return found;
}

}  // namespace vdfc

#endif  // VDFC_HPP
