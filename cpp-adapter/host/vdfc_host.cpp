// vdfc-host: a stand-in for a Vlasiator rank that drives the vdfc plugin through its C API (vdfc.h / vdfc.hpp).
//
//   mpirun -np N vdfc-host --config configs/<file>.cfg [--restart OUT.vlsv] [--classpath CP] [--xmx 256m] [--warm-up 6]
//                          [--config-on-rank R=CFG] [--restart-on-rank R=OUT.vlsv]
//
// The config is the simulation's: ParticlePopulations names the populations, [compression] configures vdfc and names
// the restart to load (restart_in) and the compressed restart to write (restart_out). Each rank: starts its JVM
// (-Xmx from [compression] jvm_heap), opens a session over MPI_COMM_WORLD, loads its contiguous block-balanced share of
// the restart's cells (read through the plugin's VLSV reader) into a Vlasiator-like block container, compresses every
// cell in place (freeing its blocks), reports resident memory before and after and the time per cell, decompresses
// every cell and checks its bound on every value and its moments, writes the compressed restart through the plugin,
// drops everything, restarts from the written file on shifted ranks and checks every cell bit for bit against the
// in-memory decompression. Output lines start with CHECK (a named check that passed or FAILED), RESULT (figures),
// TARGET (a figure against the target) or ERROR. Exit code 0 only if every check passed on every rank; 2 if
// the JVM or the session could not start; 3 if the compressed restart could not be written (vdfc_write_restart failed,
// which it does on every rank together); 1 for a failed check; MPI_Abort (non-zero) on unexpected errors.
// --config-on-rank and --restart-on-rank give one rank another config or output path than the others, as a
// simulation whose ranks were started with different arguments would: every rank must then stop with a message.
#include <malloc.h>
#include <mpi.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <memory>
#include <new>
#include <sstream>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "vdfc.hpp"
#include "vdfc_mpi.hpp"

#ifndef VDFC_DEFAULT_CLASSPATH
#define VDFC_DEFAULT_CLASSPATH ""
#endif

namespace {

/** Cells compressed and released before measuring: enough garbage to cycle the JVM's young generation (see README). */
constexpr int kWarmUpCells = 6;

// ---------------------------------------------------------------- Vlasiator-like cell storage

/**
 * Bytes the VDF containers below hold right now, as glibc's malloc accounts them (each allocation's usable size plus
 * its 8-byte chunk header): the host's resident VDF memory, counted exactly instead of read off VmRSS, which the JVM's
 * JIT compiler and heap also move (by 3-10 MB between two readings in /proc/self/smaps on this machine).
 */
int64_t gVdfBytes = 0;

/** The allocator of the VDF containers: malloc and free, counted in gVdfBytes (the host is single-threaded). */
template <class T>
struct Counted {
  using value_type = T;
  Counted() = default;
  template <class U>
  Counted(const Counted<U> &) {}
  T *allocate(std::size_t n) {
    void *p = std::malloc(n * sizeof(T));
    if (p == nullptr) throw std::bad_alloc();
    gVdfBytes += static_cast<int64_t>(malloc_usable_size(p) + sizeof(std::size_t));
    return static_cast<T *>(p);
  }
  void deallocate(T *p, std::size_t) {
    gVdfBytes -= static_cast<int64_t>(malloc_usable_size(p) + sizeof(std::size_t));
    std::free(p);
  }
  template <class U>
  bool operator==(const Counted<U> &) const { return true; }
  template <class U>
  bool operator!=(const Counted<U> &) const { return false; }
};

/**
 * The blocks of one cell and population as Vlasiator keeps them: a hash map from block global ID to local ID
 * (vmesh's globalToLocalMap), the global IDs by local ID (localToGlobalMap), and the block data contiguous by local
 * ID (VelocityBlockContainer). The contiguous arrays are what vdfc reads in place: no gather copy.
 */
struct VelocityBlocks {
  using GidToLid = std::unordered_map<uint32_t, uint32_t, std::hash<uint32_t>, std::equal_to<uint32_t>,
                                      Counted<std::pair<const uint32_t, uint32_t>>>;
  std::vector<uint32_t, Counted<uint32_t>> gids;
  GidToLid localOf;
  std::vector<float, Counted<float>> data;

  std::size_t size() const { return gids.size(); }

  /** Rebuilds the map after the arrays were filled (by the loader or by decompression). */
  void reindex() {
    localOf.clear();
    localOf.reserve(gids.size());
    for (uint32_t l = 0; l < gids.size(); ++l) localOf.emplace(gids[l], l);
  }

  /** Frees every block and the map's buckets (what Vlasiator does when a cell's blocks are compressed away). */
  void clear() {
    decltype(gids)().swap(gids);
    GidToLid().swap(localOf);
    decltype(data)().swap(data);
  }
};

/** One population: its mesh, every cell of the restart (file order) and this rank's contiguous range [lo, hi). */
struct Population {
  std::string name;
  vdfc_mesh mesh{};
  std::vector<int64_t> cellIds;
  std::vector<int32_t> blocks;
  std::vector<int> bounds;  // ranks + 1 boundaries
  int lo = 0, hi = 0;
  std::vector<VelocityBlocks> cells;  // this rank's, index i - lo
  int wid3() const { return mesh.wid * mesh.wid * mesh.wid; }
};

/**
 * Contiguous ranges of cells per rank, balanced by block count (+1 per cell), the same rule as the plugin's
 * io.vdfc.restart.CellPartition.balanced: rank r owns [b[r], b[r+1]).
 */
std::vector<int> balanced(const std::vector<int32_t> &blocks, int ranks) {
  int64_t total = 0;
  for (int32_t b : blocks) total += b + 1;
  std::vector<int> bounds(ranks + 1, 0);
  int64_t acc = 0;
  int cell = 0, n = static_cast<int>(blocks.size());
  for (int r = 1; r < ranks; ++r) {
    int64_t goal = total * r / ranks;
    while (cell < n && acc + (blocks[cell] + 1) / 2 < goal) acc += blocks[cell++] + 1;
    bounds[r] = cell;
  }
  bounds[ranks] = n;
  return bounds;
}

// ---------------------------------------------------------------- measurements and checks

long residentKiB() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

/** Density, bulk velocity and pressure tensor (per particle mass) of a cell, summed in double. */
struct Moments {
  double n = 0;
  std::array<double, 3> V{};
  std::array<double, 9> P{};
  double thermalSpeed() const { return n > 0 ? std::sqrt((P[0] + P[4] + P[8]) / (3 * n)) : 0; }
};

Moments momentsOf(const uint32_t *gids, const float *data, std::size_t nBlocks, const vdfc_mesh &m) {
  const int w = m.wid, w3 = w * w * w;
  const double dv3 = m.dvx * m.dvy * m.dvz;
  auto velocity = [&](uint32_t g, int l, std::array<double, 3> &v) {
    int i = static_cast<int>(g % m.nx), j = static_cast<int>((g / m.nx) % m.ny), k = static_cast<int>(g / (m.nx * m.ny));
    v[0] = m.vx_min + ((i * w + l % w) + 0.5) * m.dvx;
    v[1] = m.vy_min + ((j * w + (l / w) % w) + 0.5) * m.dvy;
    v[2] = m.vz_min + ((k * w + l / (w * w)) + 0.5) * m.dvz;
  };
  Moments r;
  std::array<double, 3> p{}, v{};
  for (std::size_t b = 0; b < nBlocks; ++b)
    for (int l = 0; l < w3; ++l) {
      double f = data[b * w3 + l] * dv3;
      velocity(gids[b], l, v);
      r.n += f;
      for (int a = 0; a < 3; ++a) p[a] += f * v[a];
    }
  if (r.n <= 0) return r;
  for (int a = 0; a < 3; ++a) r.V[a] = p[a] / r.n;
  for (std::size_t b = 0; b < nBlocks; ++b)
    for (int l = 0; l < w3; ++l) {
      double f = data[b * w3 + l] * dv3;
      velocity(gids[b], l, v);
      for (int a = 0; a < 3; ++a)
        for (int c = 0; c < 3; ++c) r.P[a * 3 + c] += f * (v[a] - r.V[a]) * (v[c] - r.V[c]);
    }
  return r;
}

/** err_n = |n'-n|/n, err_V = |V'-V|/v_th, err_P = |P'-P|_F/|P|_F (the plugin's metrics.md definitions). */
std::array<double, 3> momentErrors(const Moments &a, const Moments &b) {
  if (a.n <= 0) return {b.n == 0 ? 0.0 : 1.0, 0, 0};
  double dV = 0, dP = 0, P = 0;
  for (int i = 0; i < 3; ++i) dV += (a.V[i] - b.V[i]) * (a.V[i] - b.V[i]);
  for (int i = 0; i < 9; ++i) {
    dP += (a.P[i] - b.P[i]) * (a.P[i] - b.P[i]);
    P += a.P[i] * a.P[i];
  }
  double vth = a.thermalSpeed();
  return {std::fabs(b.n - a.n) / a.n, vth > 0 ? std::sqrt(dV) / vth : 0, P > 0 ? std::sqrt(dP / P) : 0};
}

/** FNV-1a over the block IDs and the values' bits: "bit for bit" comparisons across ranks. */
uint64_t fingerprint(const uint32_t *gids, std::size_t nBlocks, const float *data, std::size_t nValues) {
  uint64_t h = 1469598103934665603ull;
  auto mix = [&](const void *p, std::size_t n) {
    const unsigned char *c = static_cast<const unsigned char *>(p);
    for (std::size_t i = 0; i < n; ++i) h = (h ^ c[i]) * 1099511628211ull;
  };
  mix(gids, nBlocks * sizeof(uint32_t));
  mix(data, nValues * sizeof(float));
  return h | 1;  // never 0: 0 marks "not filled" in the global table
}

struct Args {
  std::string config, classPath, restart, xmx;
  int warmUp = kWarmUpCells;  // per rank and population
  int configRank = -1, restartRank = -1;  // the one rank given rankConfig / rankRestart instead, or -1
  std::string rankConfig, rankRestart;

  const std::string &configOf(int rank) const { return rank == configRank ? rankConfig : config; }
  const std::string &restartOf(int rank) const { return rank == restartRank ? rankRestart : restart; }
};

/** "R=VALUE" of --config-on-rank / --restart-on-rank: sets rank to R and returns VALUE. */
std::string rankAndValue(const std::string &option, const std::string &v, int &rank) {
  std::size_t eq = v.find('=');
  std::string r = v.substr(0, eq == std::string::npos ? 0 : eq);
  if (eq == std::string::npos || eq + 1 == v.size() || r.empty() || r.size() > 6 ||
      r.find_first_not_of("0123456789") != std::string::npos) {
    throw std::invalid_argument(option + " needs RANK=VALUE, e.g. 1=other.cfg; got '" + v + "'");
  }
  rank = std::stoi(r);
  return v.substr(eq + 1);
}

Args parse(int argc, char **argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string k = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) throw std::invalid_argument(k + " needs a value");
      return argv[++i];
    };
    if (k == "--config") a.config = next();
    else if (k == "--classpath") a.classPath = next();
    else if (k == "--restart") a.restart = next();
    else if (k == "--xmx") a.xmx = next();
    else if (k == "--warm-up") {
      const std::string v = next();
      if (v.empty() || v.size() > 6 || v.find_first_not_of("0123456789") != std::string::npos) {
        throw std::invalid_argument("--warm-up needs a whole number of cells, got '" + v + "'");
      }
      a.warmUp = std::stoi(v);
    }
    else if (k == "--config-on-rank") a.rankConfig = rankAndValue(k, next(), a.configRank);
    else if (k == "--restart-on-rank") a.rankRestart = rankAndValue(k, next(), a.restartRank);
    else throw std::invalid_argument("unknown option " + k + " (known: --config, --restart, --classpath, --xmx, --warm-up,"
                                     " --config-on-rank, --restart-on-rank)");
  }
  if (a.config.empty()) throw std::invalid_argument("--config <file> is required");
  return a;
}

/** Every value of a global (section-less) key, e.g. ParticlePopulations, which Vlasiator lets repeat. */
std::vector<std::string> globalValues(const std::string &path, const std::string &key) {
  std::ifstream in(path);
  std::vector<std::string> out;
  std::string line;
  bool global = true;
  auto trim = [](std::string s) {
    const char *ws = " \t\r\n";
    s.erase(0, s.find_first_not_of(ws));
    std::size_t end = s.find_last_not_of(ws);
    return end == std::string::npos ? std::string() : s.substr(0, end + 1);
  };
  while (std::getline(in, line)) {
    line = trim(line.substr(0, line.find('#')));
    if (line.empty()) continue;
    if (line.front() == '[') global = false;
    std::size_t eq = line.find('=');
    if (global && eq != std::string::npos && trim(line.substr(0, eq)) == key) out.push_back(trim(line.substr(eq + 1)));
  }
  return out;
}

/** Counts failed checks on this rank; prints each check once (rank 0's view plus every failure). */
struct Checks {
  int rank;
  int failures = 0;
  int printed = 0;
  void expect(bool ok, const std::string &name, const std::string &detail) {
    if (!ok) {
      ++failures;
      if (++printed <= 20) std::printf("CHECK %s FAILED on rank %d: %s\n", name.c_str(), rank, detail.c_str());
    }
  }
  /** Collective: reports `name` as passed on rank 0 if it passed on every rank. */
  void summarise(const std::string &name, int failuresBefore, const std::string &detail) {
    int mine = failures - failuresBefore, all = 0;
    MPI_Allreduce(&mine, &all, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
    if (rank == 0 && all == 0) std::printf("CHECK %s ok: %s\n", name.c_str(), detail.c_str());
    std::fflush(stdout);
  }
};

double seconds(std::chrono::steady_clock::duration d) { return std::chrono::duration<double>(d).count(); }

int64_t sumOverRanks(int64_t v) {
  int64_t s = 0;
  MPI_Allreduce(&v, &s, 1, MPI_INT64_T, MPI_SUM, MPI_COMM_WORLD);
  return s;
}

int64_t maxOverRanks(int64_t v) {
  int64_t s = 0;
  MPI_Allreduce(&v, &s, 1, MPI_INT64_T, MPI_MAX, MPI_COMM_WORLD);
  return s;
}

double maxOverRanks(double v) {
  double s = 0;
  MPI_Allreduce(&v, &s, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
  return s;
}

std::string fmt(const char *format, double v) {
  char b[64];
  std::snprintf(b, sizeof b, format, v);
  return b;
}

/** Reads one cell of the plain restart through the plugin into a Vlasiator-like container. */
VelocityBlocks loadCell(vdfc::Session &s, const Population &p, int position) {
  VelocityBlocks c;
  int32_t n = p.blocks[position];
  c.gids.resize(static_cast<std::size_t>(n));
  c.data.resize(static_cast<std::size_t>(n) * p.wid3());
  int32_t got = s.readPlainCell("", p.name, p.cellIds[position], c.gids.data(), c.data.data(), n);
  if (got != n) throw std::runtime_error("cell " + std::to_string(p.cellIds[position]) + " changed its block count");
  c.reindex();
  return c;
}

int run(const Args &args, int rank, int size) {
  const std::string &config = args.configOf(rank);
  MPI_Comm world = MPI_COMM_WORLD;
  Checks checks{rank};
  long rssStart = residentKiB();

  // 1. The JVM, once per rank, with an explicit class path (JavaCPP_init's built-in one cannot load vdfc) and the heap
  //    of [compression] jvm_heap (the one key read before the JVM runs; the plugin checks it again).
  std::string heap = !args.xmx.empty() ? args.xmx : vdfc::configValue(config, "compression", "jvm_heap", "256m");
  int jvmOk = 1;
  std::unique_ptr<vdfc::Jvm> jvm;
  try {
    vdfc::Jvm::Options o;
    o.classPath = vdfc::Jvm::classPath(args.classPath, "VDFC_CLASSPATH", VDFC_DEFAULT_CLASSPATH);
    o.maxHeap = heap;
    if (const char *env = std::getenv("VDFC_JVM_OPTIONS")) {
      std::istringstream more(env);
      for (std::string opt; more >> opt;) o.extra.push_back(opt);
    }
    jvm = std::make_unique<vdfc::Jvm>(o);
  } catch (const vdfc::Error &e) {
    std::printf("ERROR rank %d: JVM start: %s %s\n", rank, vdfc_status_name(e.status()), e.what());
    jvmOk = 0;
  }
  int allOk = 0;
  MPI_Allreduce(&jvmOk, &allOk, 1, MPI_INT, MPI_MIN, world);
  if (!allOk) return 2;
  long rssJvm = residentKiB();

  // 2. The session over the simulation's own communicator (collective; a bad config fails on every rank).
  vdfc_collectives coll = vdfc::mpiCollectives(&world);
  std::unique_ptr<vdfc::Session> session;
  try {
    session = std::make_unique<vdfc::Session>(config, &coll);
  } catch (const vdfc::Error &e) {
    std::printf("ERROR rank %d: vdfc_open status=%s code=%d message=%s\n", rank, vdfc_status_name(e.status()),
                e.status(), e.what());
    std::fflush(stdout);
    return 2;
  }
  vdfc::Session &s = *session;
  std::string restartIn = s.configValue("restart_in");
  std::string restartOut = !args.restartOf(rank).empty() ? args.restartOf(rank) : s.configValue("restart_out");
  if (rank == 0) {
    std::printf("RESULT settings=\"%s\" restart_in=%s restart_out=%s jvm_heap=%s ranks=%d\n",
                s.configValue("settings").c_str(), restartIn.c_str(), restartOut.c_str(), heap.c_str(), size);
  }

  // 3. The restart's cells: IDs and block counts from the file (through the plugin's reader), a contiguous
  //    block-balanced range per rank and population, as Vlasiator's restart reader distributes them.
  std::vector<Population> pops;
  for (const std::string &name : globalValues(config, "ParticlePopulations")) {
    Population p;
    p.name = name;
    p.mesh = s.restartMesh("", name);  // also defines the population in the session
    s.restartCells("", name, p.cellIds, p.blocks);
    p.bounds = balanced(p.blocks, size);
    p.lo = p.bounds[rank];
    p.hi = p.bounds[rank + 1];
    pops.push_back(std::move(p));
  }
  if (pops.empty()) throw std::invalid_argument(config + ": no ParticlePopulations");

  // Warm-up outside the measurement: the first calls load and compile the Java side and touch the JVM's young
  // generation, which is resident from then on whatever is compressed.
  for (Population &p : pops) {
    for (int i = p.lo; i < std::min(p.hi, p.lo + args.warmUp); ++i) {
      VelocityBlocks w = loadCell(s, p, i);
      s.release(s.compress(-1 - i, p.name, w.gids.data(), w.data.data(), static_cast<int32_t>(w.size())));
    }
  }
  s.compact();  // the baseline is compacted as the state after compression will be: only the VDFs differ
  malloc_trim(0);
  long rssEmpty = residentKiB();
  int64_t vdfEmpty = gVdfBytes, heapEmpty = s.stats(false)[VDFC_STAT_HEAP_USED_BYTES];  // live heap after a full GC

  int before = checks.failures;
  int64_t blocks = 0, cellsMine = 0;
  std::vector<std::vector<Moments>> reference(pops.size());
  for (std::size_t q = 0; q < pops.size(); ++q) {
    Population &p = pops[q];
    for (int i = p.lo; i < p.hi; ++i) {
      p.cells.push_back(loadCell(s, p, i));
      const VelocityBlocks &c = p.cells.back();
      checks.expect(static_cast<int32_t>(c.size()) == p.blocks[i] && c.localOf.size() == c.size(), "load",
                    p.name + " cell " + std::to_string(p.cellIds[i]) + ": " + std::to_string(c.size()) + " blocks, file says " +
                        std::to_string(p.blocks[i]));
      reference[q].push_back(momentsOf(c.gids.data(), c.data.data(), c.size(), p.mesh));  // kept in double
      blocks += static_cast<int64_t>(c.size());
      ++cellsMine;
    }
  }
  long rssBefore = residentKiB();
  int64_t vdfBefore = gVdfBytes - vdfEmpty;  // the loaded cells' containers
  int64_t cellsAll = sumOverRanks(cellsMine), blocksAll = sumOverRanks(blocks);
  int64_t cellsFile = 0, blocksFile = 0;
  for (const Population &p : pops) {
    cellsFile += static_cast<int64_t>(p.cellIds.size());
    for (int32_t b : p.blocks) blocksFile += b;
  }
  checks.expect(cellsAll == cellsFile && blocksAll == blocksFile, "load",
                "ranks hold " + std::to_string(cellsAll) + " cells / " + std::to_string(blocksAll) + " blocks, the file " +
                    std::to_string(cellsFile) + " / " + std::to_string(blocksFile));
  checks.summarise("load", before, std::to_string(cellsAll) + " cells, " + std::to_string(blocksAll) + " blocks of " +
                                       restartIn + " over " + std::to_string(size) + " ranks into GID->LID containers");

  // 4. Compress every cell in place: the JVM reads the blocks where they are, then the blocks are freed.
  //    Per cell: the wall time of the C call, and the plugin's counters of the Java side and of the pipeline alone.
  struct Timing { double call = 0, java = 0, codec = 0; };
  Timing all;
  int64_t compressedBytes = 0, referenceBytes = 0;
  for (Population &p : pops) {
    for (int i = p.lo; i < p.hi; ++i) {
      VelocityBlocks &cell = p.cells[i - p.lo];
      auto s0 = s.stats(false);
      auto t0 = std::chrono::steady_clock::now();
      vdfc_handle h = s.compress(p.cellIds[i], p.name, cell.gids.data(), cell.data.data(), static_cast<int32_t>(cell.size()));
      all.call += seconds(std::chrono::steady_clock::now() - t0);
      auto s1 = s.stats(false);
      all.java += (s1[VDFC_STAT_COMPRESS_CALL_NS] - s0[VDFC_STAT_COMPRESS_CALL_NS]) * 1e-9;
      all.codec += (s1[VDFC_STAT_ENCODE_NS] - s0[VDFC_STAT_ENCODE_NS]) * 1e-9;
      compressedBytes += s.compressedBytes(h);
      referenceBytes += static_cast<int64_t>(cell.size()) * (4 * p.wid3() + 4);
      cell.clear();
    }
  }
  auto c0 = std::chrono::steady_clock::now();
  s.compact();  // what a simulation does after compressing its cells: the JVM's garbage goes back to the OS too
  double compactSeconds = seconds(std::chrono::steady_clock::now() - c0);
  malloc_trim(0);
  long rssAfter = residentKiB();
  auto heapNow = s.stats(false);
  // After: what is left of the containers, plus what the JVM's heap holds for the compressed cells (live bytes after
  // the full GC of compact, over the baseline's), never counted below the records' own bytes.
  int64_t vdfAfter = gVdfBytes - vdfEmpty +
                     std::max(heapNow[VDFC_STAT_HEAP_USED_BYTES] - heapEmpty, heapNow[VDFC_STAT_LIVE_COMPRESSED_BYTES]);

  // 5. The plugin's collectives (Java -> C callbacks -> MPI) against plain MPI.
  before = checks.failures;
  auto global = s.stats(true);
  int64_t bytesAll = sumOverRanks(compressedBytes);
  checks.expect(global[VDFC_STAT_LIVE_HANDLES] == cellsAll, "collectives",
                "global live handles " + std::to_string(global[VDFC_STAT_LIVE_HANDLES]) + " vs MPI sum " + std::to_string(cellsAll));
  checks.expect(global[VDFC_STAT_LIVE_COMPRESSED_BYTES] == bytesAll, "collectives",
                "global compressed bytes " + std::to_string(global[VDFC_STAT_LIVE_COMPRESSED_BYTES]) + " vs MPI sum " + std::to_string(bytesAll));
  checks.summarise("collectives", before, "vdfc_stats over the host's MPI agrees with MPI_Allreduce on " +
                   std::to_string(cellsAll) + " cells, " + std::to_string(bytesAll) + " bytes, " + std::to_string(size) + " ranks");

  // 6. Errors come back as status codes with a message, not as a crash.
  before = checks.failures;
  {
    const Population &p = pops.front();
    if (p.hi > p.lo) {
      vdfc_handle h = s.find(p.cellIds[p.lo], p.name);
      std::vector<uint32_t> id1(1);
      std::vector<float> v1(p.wid3());
      int32_t n = -7;
      int rc = vdfc_decompress_cell(s.id(), h, id1.data(), v1.data(), 0, &n);
      checks.expect(p.blocks[p.lo] == 0 || (rc == VDFC_E_CAPACITY && n == -7 && !vdfc::lastError().empty()), "errors",
                    std::string("too-small buffer gave ") + vdfc_status_name(rc) + " n=" + std::to_string(n));
    }
  }
  int rc = vdfc_release(s.id(), 987654321);
  checks.expect(rc == VDFC_E_HANDLE && vdfc::lastError().find("987654321") != std::string::npos, "errors",
                std::string("unknown handle gave ") + vdfc_status_name(rc) + ": " + vdfc::lastError());
  rc = vdfc_compress_cell(s.id(), 5, "electron", nullptr, nullptr, 0, nullptr);
  checks.expect(rc == VDFC_E_ARGUMENT, "errors", std::string("NULL output gave ") + vdfc_status_name(rc));
  char small[4];
  rc = vdfc_config_value(s.id(), "restart_in", small, sizeof small);
  checks.expect(rc == VDFC_E_CAPACITY, "errors", std::string("short config buffer gave ") + vdfc_status_name(rc));
  checks.summarise("errors", before, "capacity, unknown handle and NULL argument come back as status codes with messages");

  // 7. Decompress every cell into buffers this rank owns; check |f'-f| <= the cell's bound on every value (the
  //    original re-read from the restart) and n, V, P against the moments kept before compression.
  before = checks.failures;
  int momentsBefore = checks.failures;
  bool conserve = s.configValue("conserve") == "on";
  double worstRatio = 0, worstN = 0, worstV = 0, worstP = 0;
  const double momentTolerance = 1e-6;
  std::vector<std::vector<uint64_t>> prints(pops.size());
  for (std::size_t q = 0; q < pops.size(); ++q) {
    Population &p = pops[q];
    prints[q].assign(p.cellIds.size(), 0);
    for (int i = p.lo; i < p.hi; ++i) {
      std::string cell = p.name + " cell " + std::to_string(p.cellIds[i]);
      vdfc_handle h = s.find(p.cellIds[i], p.name);
      VelocityBlocks got;
      s.decompress(h, got.gids, got.data, static_cast<std::size_t>(p.wid3()));  // into buffers this rank owns
      got.reindex();
      double bound = s.bound(h);
      VelocityBlocks want = loadCell(s, p, i);
      if (want.gids != got.gids) {
        checks.expect(false, "bound", cell + ": block IDs or their order differ");
        continue;
      }
      double worst = 0;
      for (std::size_t k = 0; k < want.data.size(); ++k) {
        worst = std::max(worst, std::fabs(static_cast<double>(got.data[k]) - want.data[k]));
      }
      checks.expect(worst <= bound, "bound", cell + ": max |f'-f| " + fmt("%.3e", worst) + " > bound " + fmt("%.3e", bound));
      if (bound > 0) worstRatio = std::max(worstRatio, worst / bound);
      auto e = momentErrors(reference[q][i - p.lo], momentsOf(got.gids.data(), got.data.data(), got.size(), p.mesh));
      worstN = std::max(worstN, e[0]);
      worstV = std::max(worstV, e[1]);
      worstP = std::max(worstP, e[2]);
      if (conserve) {
        checks.expect(e[0] <= momentTolerance && e[1] <= momentTolerance && e[2] <= momentTolerance, "moments",
                      cell + ": err_n " + fmt("%.2e", e[0]) + " err_V " + fmt("%.2e", e[1]) + " err_P " + fmt("%.2e", e[2]));
      }
      prints[q][i] = fingerprint(got.gids.data(), got.size(), got.data.data(), got.data.size());
    }
  }
  worstRatio = maxOverRanks(worstRatio);
  worstN = maxOverRanks(worstN);
  worstV = maxOverRanks(worstV);
  worstP = maxOverRanks(worstP);
  (void)momentsBefore;
  checks.summarise("bound", before, std::to_string(cellsAll) + " cells decompressed, |f'-f| <= the cell's bound on every "
                   "value (worst " + fmt("%.3f", worstRatio) + " of the bound)");
  checks.summarise("moments", before, std::string(conserve ? "conserve = on: " : "conserve = off (not checked): ") +
                   "max err_n " + fmt("%.2e", worstN) + ", err_V " + fmt("%.2e", worstV) + ", err_P " + fmt("%.2e", worstP) +
                   (conserve ? " <= 1e-6" : ""));

  // 8. Compressed restart through the plugin; drop every handle; restart from the written file with the cells on
  //    the next rank, and compare every cell bit for bit with the in-memory decompression.
  before = checks.failures;
  auto w0 = std::chrono::steady_clock::now();
  compactSeconds = maxOverRanks(compactSeconds);
  try {
    s.writeRestart(restartOut);
  } catch (const vdfc::Error &e) {  // failed on every rank together: each says why and ends normally, no MPI_Abort
    std::printf("ERROR rank %d: vdfc_write_restart status=%s code=%d message=%s\n", rank, vdfc_status_name(e.status()),
                e.status(), e.what());
    std::fflush(stdout);
    return 3;
  }
  double writeSeconds = seconds(std::chrono::steady_clock::now() - w0);
  for (Population &p : pops)
    for (int i = p.lo; i < p.hi; ++i) s.release(s.find(p.cellIds[i], p.name));
  checks.expect(s.stats(false)[VDFC_STAT_LIVE_HANDLES] == 0, "restart", "handles left after release");
  for (std::size_t q = 0; q < pops.size(); ++q) {
    std::vector<uint64_t> globalPrints(prints[q].size(), 0);
    MPI_Allreduce(prints[q].data(), globalPrints.data(), static_cast<int>(prints[q].size()), MPI_UINT64_T, MPI_SUM, world);
    prints[q] = globalPrints;
  }
  int next = (rank + 1) % size;
  std::vector<int64_t> moved(pops.front().cellIds.begin() + pops.front().bounds[next],
                             pops.front().cellIds.begin() + pops.front().bounds[next + 1]);
  int32_t loaded = s.readRestart(restartOut, moved);
  checks.expect(loaded == static_cast<int32_t>(moved.size() * pops.size()), "restart",
                "loaded " + std::to_string(loaded) + " records for " + std::to_string(moved.size()) + " cells");
  for (std::size_t q = 0; q < pops.size(); ++q) {
    Population &p = pops[q];
    for (int i = p.bounds[next]; i < p.bounds[next + 1]; ++i) {
      vdfc_handle h = s.find(p.cellIds[i], p.name);
      checks.expect(h != 0, "restart", p.name + " cell " + std::to_string(p.cellIds[i]) + " not loaded");
      if (h == 0) continue;
      VelocityBlocks got;
      s.decompress(h, got.gids, got.data, static_cast<std::size_t>(p.wid3()));
      uint64_t f = fingerprint(got.gids.data(), got.size(), got.data.data(), got.data.size());
      checks.expect(f == prints[q][i], "restart", p.name + " cell " + std::to_string(p.cellIds[i]) +
                    " differs from its in-memory decompression");
    }
  }
  checks.summarise("restart", before, "wrote " + restartOut + " in " + fmt("%.2f", writeSeconds) +
                   " s, restarted from it on shifted ranks, every cell bit for bit as decompressed in memory");

  // 9. Figures and targets.
  int64_t rssKiBBefore = sumOverRanks(rssBefore - rssEmpty), rssKiBAfter = sumOverRanks(rssAfter - rssEmpty);
  int64_t vdfBytesBefore = sumOverRanks(vdfBefore), vdfBytesAfter = sumOverRanks(vdfAfter);
  int64_t refAll = sumOverRanks(referenceBytes);
  auto ns = [](double sec) { return sumOverRanks(static_cast<int64_t>(sec * 1e9)); };
  int64_t callNs = ns(all.call), javaNs = ns(all.java), codecNs = ns(all.codec);
  int64_t rssJvmMax = maxOverRanks(static_cast<int64_t>(rssJvm - rssStart));
  int64_t heapUsedMax = maxOverRanks(heapNow[VDFC_STAT_HEAP_USED_BYTES]);
  int64_t heapCommittedMax = maxOverRanks(heapNow[VDFC_STAT_HEAP_COMMITTED_BYTES]);
  if (rank == 0) {
    double ratio = bytesAll > 0 ? static_cast<double>(refAll) / bytesAll : 0;
    double memoryFactor = vdfBytesAfter > 0 ? static_cast<double>(vdfBytesBefore) / vdfBytesAfter : 0;
    double overhead = codecNs > 0 ? 100.0 * (callNs - codecNs) / codecNs : 0;
    std::printf("RESULT ranks=%d cells=%lld blocks=%lld reference_bytes=%lld compressed_bytes=%lld ratio=%.3f\n", size,
                (long long)cellsAll, (long long)blocksAll, (long long)refAll, (long long)bytesAll, ratio);
    std::printf("RESULT vdf_bytes_before=%lld vdf_bytes_after=%lld memory_reduction=%.3f "
                "memory_reduction_over_ratio=%.3f\n", (long long)vdfBytesBefore, (long long)vdfBytesAfter, memoryFactor,
                ratio > 0 ? memoryFactor / ratio : 0);
    std::printf("RESULT process_rss_kib_before=%lld process_rss_kib_after=%lld jvm_start_rss_kib_max=%lld "
                "(VmRSS over the baseline: the VDFs, and whatever the JIT and the JVM's heap touched meanwhile)\n",
                (long long)rssKiBBefore, (long long)rssKiBAfter, (long long)rssJvmMax);
    std::printf("RESULT time_per_cell_us=%.1f codec_per_cell_us=%.1f adapter_overhead_pct=%.2f "
                "(jni_pct=%.2f java_adapter_pct=%.2f)\n",
                callNs * 1e-3 / cellsAll, codecNs * 1e-3 / cellsAll, overhead,
                codecNs > 0 ? 100.0 * (callNs - javaNs) / codecNs : 0, codecNs > 0 ? 100.0 * (javaNs - codecNs) / codecNs : 0);
    std::printf("RESULT compact_seconds_max=%.3f\n", compactSeconds);
    std::printf("RESULT jvm_heap_max=%s heap_used_after_compression_mib_max=%.1f committed_mib_max=%.1f\n", heap.c_str(),
                heapUsedMax / 1048576.0, heapCommittedMax / 1048576.0);
    std::printf("TARGET memory: VDF memory (the containers' malloc bytes, then their remains plus the JVM heap "
                "holding the compressed cells) shrank %.2fx at ratio %.2fx = %.2f of the ratio (target >= 0.9): %s\n",
                memoryFactor, ratio, ratio > 0 ? memoryFactor / ratio : 0,
                ratio > 0 && memoryFactor / ratio >= 0.9 ? "met" : "MISSED");
    std::printf("TARGET overhead: adapter %.2f%% of the codec's own time per cell (target < 5%%): %s\n", overhead,
                overhead < 5 ? "met" : "MISSED");
    std::printf("TARGET heap: -Xmx%s per rank ([compression] jvm_heap), %.1f MiB in use after compressing (max over "
                "ranks): %s\n", heap.c_str(), heapUsedMax / 1048576.0, "bounded");
    std::fflush(stdout);
  }
  int failuresAll = 0;
  MPI_Allreduce(&checks.failures, &failuresAll, 1, MPI_INT, MPI_SUM, world);
  session.reset();
  if (rank == 0) std::printf(failuresAll == 0 ? "ALL CHECKS PASSED\n" : "FAILED CHECKS: %d\n", failuresAll);
  return failuresAll == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  int code;
  try {
    code = run(parse(argc, argv), rank, size);
  } catch (const vdfc::Error &e) {
    std::printf("ERROR rank %d: %s (status %d)\n", rank, e.what(), e.status());
    std::fflush(stdout);
    MPI_Abort(MPI_COMM_WORLD, 1);  // other ranks may wait in a collective
    return 1;
  } catch (const std::exception &e) {
    std::printf("ERROR rank %d: %s\n", rank, e.what());
    std::fflush(stdout);
    MPI_Abort(MPI_COMM_WORLD, 1);
    return 1;
  }
  MPI_Finalize();
  return code;
}
