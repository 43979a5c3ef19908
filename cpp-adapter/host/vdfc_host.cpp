// vdfc-host: a stand-in for a Vlasiator rank that drives the vdfc plugin through its C API (vdfc.h / vdfc.hpp).
//
//   mpirun -np N vdfc-host --config configs/<file>.cfg [--cells 32] [--restart out.vdfcr] [--classpath CP]
//
// Each rank: starts its JVM, opens a session over MPI_COMM_WORLD, loads its cells (one function: the cell source),
// stores each cell's blocks the way Vlasiator does, compresses every cell in place (its blocks are freed),
// reports resident memory before/after and the time per cell, decompresses and checks every cell against its
// source, checks the plugin's collectives against plain MPI, writes a compressed restart, releases everything,
// restarts from the file with a different cell distribution and checks again. Output lines start with CHECK
// (a named check that passed or FAILED), RESULT (figures) or ERROR. Exit code 0 only if every check passed on
// every rank; 2 if the JVM or the session could not start; 1 for a failed check; MPI_Abort on unexpected errors.
#include <malloc.h>
#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <cstdlib>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "vdfc.hpp"
#include "vdfc_mpi.hpp"

#ifndef VDFC_DEFAULT_CLASSPATH
#define VDFC_DEFAULT_CLASSPATH ""
#endif

namespace {

constexpr int WID = 4;
constexpr int WID3 = WID * WID * WID;
const char *const POPULATION = "proton";

// ---------------------------------------------------------------- Vlasiator-like cell storage

/**
 * The blocks of one cell and population as Vlasiator keeps them: a hash map from block global ID to local ID
 * (vmesh's globalToLocalMap), the global IDs by local ID (localToGlobalMap), and the block data contiguous by local
 * ID (VelocityBlockContainer). The contiguous arrays are what vdfc reads in place: no gather copy.
 */
struct VelocityBlocks {
  std::vector<uint32_t> gids;
  std::unordered_map<uint32_t, uint32_t> localOf;
  std::vector<float> data;

  std::size_t size() const { return gids.size(); }

  void add(uint32_t gid, const float *values) {
    localOf.emplace(gid, static_cast<uint32_t>(gids.size()));
    gids.push_back(gid);
    data.insert(data.end(), values, values + WID3);
  }

  /** Frees every block and the map's buckets (what Vlasiator does when a cell's blocks are compressed away). */
  void clear() {
    std::vector<uint32_t>().swap(gids);
    std::unordered_map<uint32_t, uint32_t>().swap(localOf);
    std::vector<float>().swap(data);
  }

  /** Rebuilds the map after the arrays were filled (e.g. by decompression). */
  void reindex() {
    localOf.clear();
    localOf.reserve(gids.size());
    for (uint32_t l = 0; l < gids.size(); ++l) localOf.emplace(gids[l], l);
  }
};

struct Mesh {
  int nx = 50, ny = 50, nz = 50;
  double vmin = -2.0e6, dv = 2.0e4;  // 200 cells of 20 km/s per axis, like vlsvrs' fullf sample
  vdfc_mesh c() const { return vdfc_mesh{nx, ny, nz, WID, vmin, vmin, vmin, dv, dv, dv}; }
  double centre(int blockIndex, int cellIndex) const { return vmin + (blockIndex * WID + cellIndex + 0.5) * dv; }
};

// ---------------------------------------------------------------- the cell source

/** Where a rank's cells come from. The real restart reader replaces SyntheticMaxwellians here. */
struct CellSource {
  virtual ~CellSource() = default;
  /** Global IDs of the cells rank `rank` of `size` owns. */
  virtual std::vector<int64_t> cellsOf(int rank, int size) const = 0;
  /** The blocks of one cell (deterministic: loading again gives the same blocks, used as the reference). */
  virtual VelocityBlocks load(int64_t cellId) const = 0;
};

/** Cells 1..n, each a drifting Maxwellian core plus a beam, sparse above minValue, blocks in shuffled order. */
class SyntheticMaxwellians : public CellSource {
 public:
  SyntheticMaxwellians(int cells, Mesh mesh) : cells_(cells), mesh_(mesh) {}

  std::vector<int64_t> cellsOf(int rank, int size) const override {
    std::vector<int64_t> ids;
    for (int64_t id = 1; id <= cells_; ++id) {
      if ((id - 1) % size == rank) ids.push_back(id);
    }
    return ids;
  }

  VelocityBlocks load(int64_t cellId) const override {
    std::mt19937_64 rng(static_cast<uint64_t>(cellId) * 0x9E3779B97F4A7C15ull);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    const double kB = 1.380649e-23, m = 1.67262192e-27, minValue = 1e-15;
    struct Maxwellian { double n, vth, vx, vy, vz; };
    Maxwellian core{1e6 * (1 + 3 * u(rng)), std::sqrt(kB * (3e5 + 1.5e6 * u(rng)) / m),
                    -4e5 + 8e5 * u(rng), -1e5 + 2e5 * u(rng), -2e5 + 4e5 * u(rng)};
    Maxwellian beam{core.n * 0.05, core.vth * 0.5, core.vx + 6e5, core.vy, core.vz};
    auto f = [](const Maxwellian &p, double vx, double vy, double vz) {
      double r2 = ((vx - p.vx) * (vx - p.vx) + (vy - p.vy) * (vy - p.vy) + (vz - p.vz) * (vz - p.vz)) / (p.vth * p.vth);
      return p.n * std::pow(2 * M_PI * p.vth * p.vth, -1.5) * std::exp(-0.5 * r2);
    };
    auto blockOf = [&](double v, int n) {
      int b = static_cast<int>(std::floor((v - mesh_.vmin) / (mesh_.dv * WID)));
      return std::min(std::max(b, 0), n - 1);
    };
    double reach = 6.5 * core.vth;
    std::vector<uint32_t> kept;
    std::vector<float> values;
    float block[WID3];
    for (int k = blockOf(core.vz - reach, mesh_.nz); k <= blockOf(core.vz + reach, mesh_.nz); ++k)
      for (int j = blockOf(core.vy - reach, mesh_.ny); j <= blockOf(core.vy + reach, mesh_.ny); ++j)
        for (int i = blockOf(core.vx - reach, mesh_.nx); i <= blockOf(beam.vx + reach, mesh_.nx); ++i) {
          bool any = false;
          for (int l = 0; l < WID3; ++l) {
            double vx = mesh_.centre(i, l % WID), vy = mesh_.centre(j, (l / WID) % WID), vz = mesh_.centre(k, l / (WID * WID));
            block[l] = static_cast<float>(f(core, vx, vy, vz) + f(beam, vx, vy, vz));
            any |= block[l] >= minValue;
          }
          if (any) {
            kept.push_back(static_cast<uint32_t>(i + j * mesh_.nx + k * mesh_.nx * mesh_.ny));
            values.insert(values.end(), block, block + WID3);
          }
        }
    std::vector<uint32_t> order(kept.size());
    for (uint32_t b = 0; b < order.size(); ++b) order[b] = b;
    std::shuffle(order.begin(), order.end(), rng);  // Vlasiator's blocks are in hash-map order, not sorted
    VelocityBlocks cell;
    cell.gids.reserve(kept.size());
    cell.data.reserve(values.size());
    for (uint32_t b : order) cell.add(kept[b], &values[static_cast<std::size_t>(b) * WID3]);
    return cell;
  }

 private:
  int cells_;
  Mesh mesh_;
};

// ---------------------------------------------------------------- measurements and checks

long residentKiB() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

struct MomentsOf {
  double n = 0, vx = 0, vy = 0, vz = 0;
};

MomentsOf moments(const VelocityBlocks &c, const Mesh &mesh) {
  MomentsOf m;
  double dv3 = mesh.dv * mesh.dv * mesh.dv;
  for (std::size_t b = 0; b < c.size(); ++b) {
    uint32_t g = c.gids[b];
    int i = g % mesh.nx, j = (g / mesh.nx) % mesh.ny, k = g / (mesh.nx * mesh.ny);
    for (int l = 0; l < WID3; ++l) {
      double f = c.data[b * WID3 + l] * dv3;
      m.n += f;
      m.vx += f * mesh.centre(i, l % WID);
      m.vy += f * mesh.centre(j, (l / WID) % WID);
      m.vz += f * mesh.centre(k, l / (WID * WID));
    }
  }
  return m;
}

/** "" if `got` matches `want` block for block within relTolerance*peak and conserves the moments, else why not. */
std::string compare(const VelocityBlocks &want, const VelocityBlocks &got, const Mesh &mesh, double relTolerance) {
  if (want.gids != got.gids) {
    return "block IDs differ (" + std::to_string(want.size()) + " vs " + std::to_string(got.size()) + " blocks)";
  }
  float peak = 0;
  for (float v : want.data) peak = std::max(peak, v);
  double worst = 0;
  for (std::size_t i = 0; i < want.data.size(); ++i) {
    worst = std::max(worst, std::fabs(static_cast<double>(want.data[i]) - got.data[i]));
  }
  if (worst > relTolerance * peak) {
    return "max |error| " + std::to_string(worst) + " > " + std::to_string(relTolerance) + " * peak " + std::to_string(peak);
  }
  MomentsOf a = moments(want, mesh), b = moments(got, mesh);
  double dn = std::fabs(a.n - b.n) / a.n;
  double dV = std::sqrt((a.vx / a.n - b.vx / b.n) * (a.vx / a.n - b.vx / b.n) +
                        (a.vy / a.n - b.vy / b.n) * (a.vy / a.n - b.vy / b.n) +
                        (a.vz / a.n - b.vz / b.n) * (a.vz / a.n - b.vz / b.n));
  if (dn > 1e-6 + relTolerance || dV > 1.0 + relTolerance * 1e3) {
    return "moments not conserved: density rel. error " + std::to_string(dn) + ", bulk velocity error " +
           std::to_string(dV) + " m/s";
  }
  return "";
}

struct Args {
  std::string config, classPath, restart = "vdfc_host_restart.vdfcr", xmx;
  int cells = 32;
  double relTolerance = 0;  // the placeholder codec is lossless
};

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
    else if (k == "--cells") a.cells = std::stoi(next());
    else if (k == "--xmx") a.xmx = next();
    else if (k == "--rel-tolerance") a.relTolerance = std::stod(next());
    else throw std::invalid_argument("unknown option " + k);
  }
  if (a.config.empty()) throw std::invalid_argument("--config <file> is required");
  if (a.cells < 1) throw std::invalid_argument("--cells must be positive");
  return a;
}

/** Counts failed checks on this rank; prints each check once (rank 0's view plus every failure). */
struct Checks {
  int rank;
  int failures = 0;
  void expect(bool ok, const std::string &name, const std::string &detail) {
    if (!ok) {
      ++failures;
      std::printf("CHECK %s FAILED on rank %d: %s\n", name.c_str(), rank, detail.c_str());
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

/** Decompresses every cell of `ids` from the session and compares it with the source; returns the failure count. */
int verifyAll(vdfc::Session &session, const CellSource &source, const std::vector<int64_t> &ids, const Mesh &mesh,
              double relTolerance, Checks &checks, const char *what) {
  int before = checks.failures;
  for (int64_t id : ids) {
    vdfc_handle h = session.find(id, POPULATION);
    checks.expect(h != 0, what, "cell " + std::to_string(id) + " has no handle");
    if (h == 0) continue;
    VelocityBlocks got;
    session.decompress(h, got.gids, got.data, WID3);  // into buffers this rank owns
    got.reindex();
    std::string why = compare(source.load(id), got, mesh, relTolerance);
    checks.expect(why.empty(), what, "cell " + std::to_string(id) + ": " + why);
  }
  return checks.failures - before;
}

int run(const Args &args, int rank, int size) {
  MPI_Comm world = MPI_COMM_WORLD;
  Checks checks{rank};
  long rssStart = residentKiB();

  // 1. The JVM, once per rank, with an explicit class path (JavaCPP_init's built-in one cannot load vdfc).
  int jvmOk = 1;
  std::unique_ptr<vdfc::Jvm> jvm;
  try {
    vdfc::Jvm::Options o;
    o.classPath = vdfc::Jvm::classPath(args.classPath, "VDFC_CLASSPATH", VDFC_DEFAULT_CLASSPATH);
    o.maxHeap = !args.xmx.empty() ? args.xmx : vdfc::configValue(args.config, "jvm", "max_heap", "256m");
    std::istringstream extra(vdfc::configValue(args.config, "jvm", "options", ""));
    for (std::string opt; extra >> opt;) o.extra.push_back(opt);
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
    session = std::make_unique<vdfc::Session>(args.config, &coll);
  } catch (const vdfc::Error &e) {
    std::printf("ERROR rank %d: vdfc_open status=%s code=%d message=%s\n", rank, vdfc_status_name(e.status()),
                e.status(), e.what());
    std::fflush(stdout);
    return 2;
  }
  Mesh mesh;
  session->definePopulation(POPULATION, mesh.c());

  // 3. This rank's cells, stored the Vlasiator way.
  SyntheticMaxwellians source(args.cells, mesh);
  std::vector<int64_t> mine = source.cellsOf(rank, size);
  // Warm-up outside the measurement: the first call loads and compiles the Java side.
  {
    VelocityBlocks w = source.load(mine.empty() ? 1 : mine.front());
    session->release(session->compress(-1, POPULATION, w.gids.data(), w.data.data(), static_cast<int32_t>(w.size())));
  }
  malloc_trim(0);
  long rssEmpty = residentKiB();
  std::unordered_map<int64_t, VelocityBlocks> grid;
  int64_t blocks = 0;
  for (int64_t id : mine) {
    grid[id] = source.load(id);
    blocks += static_cast<int64_t>(grid[id].size());
  }
  long rssBefore = residentKiB();

  // 4. Compress every cell in place: the JVM reads the blocks where they are, then the blocks are freed.
  // Per cell: the wall time of the C call, and the plugin's own counters of the Java side and of the codec alone.
  struct Timing { double call = 0, java = 0, encode = 0; };
  std::vector<Timing> timing;
  int64_t compressedBytes = 0, referenceBytes = 0;
  for (int64_t id : mine) {
    VelocityBlocks &cell = grid[id];
    auto s0 = session->stats(false);
    auto t0 = std::chrono::steady_clock::now();
    vdfc_handle h = session->compress(id, POPULATION, cell.gids.data(), cell.data.data(), static_cast<int32_t>(cell.size()));
    double call = seconds(std::chrono::steady_clock::now() - t0);
    auto s1 = session->stats(false);
    timing.push_back({call, (s1[VDFC_STAT_COMPRESS_CALL_NS] - s0[VDFC_STAT_COMPRESS_CALL_NS]) * 1e-9,
                      (s1[VDFC_STAT_ENCODE_NS] - s0[VDFC_STAT_ENCODE_NS]) * 1e-9});
    compressedBytes += session->compressedBytes(h);
    referenceBytes += static_cast<int64_t>(cell.size()) * (4 * WID3 + 4);
    cell.clear();
  }
  malloc_trim(0);
  long rssAfter = residentKiB();
  auto heap = session->stats(false);
  // All cells, and the later half alone (the first calls include the JIT compiling the adapter's loops).
  Timing all, late;
  for (std::size_t i = 0; i < timing.size(); ++i) {
    for (Timing *t : {&all, i >= timing.size() / 2 ? &late : nullptr}) {
      if (t == nullptr) continue;
      t->call += timing[i].call;
      t->java += timing[i].java;
      t->encode += timing[i].encode;
    }
  }

  // 5. The plugin's collectives (Java -> C callbacks -> MPI) against plain MPI.
  int before = checks.failures;
  auto global = session->stats(true);
  int64_t cellsAll = sumOverRanks(static_cast<int64_t>(mine.size()));
  int64_t bytesAll = sumOverRanks(compressedBytes);
  checks.expect(global[VDFC_STAT_LIVE_HANDLES] == cellsAll, "collectives",
                "global live handles " + std::to_string(global[VDFC_STAT_LIVE_HANDLES]) + " vs MPI sum " + std::to_string(cellsAll));
  checks.expect(global[VDFC_STAT_LIVE_COMPRESSED_BYTES] == bytesAll, "collectives",
                "global compressed bytes " + std::to_string(global[VDFC_STAT_LIVE_COMPRESSED_BYTES]) + " vs MPI sum " + std::to_string(bytesAll));
  checks.summarise("collectives", before, "vdfc_stats over the host's MPI agrees with MPI_Allreduce on " +
                   std::to_string(cellsAll) + " cells, " + std::to_string(bytesAll) + " bytes, " + std::to_string(size) + " ranks");

  // 6. Errors come back as status codes with a message, not as a crash.
  before = checks.failures;
  if (!mine.empty()) {
    vdfc_handle h = session->find(mine.front(), POPULATION);
    uint32_t id1;
    float v1[WID3];
    int32_t n = -7;
    int rc = vdfc_decompress_cell(session->id(), h, &id1, v1, 0, &n);
    checks.expect(rc == VDFC_E_CAPACITY && n == -7 && !vdfc::lastError().empty(), "errors",
                  std::string("too-small buffer gave ") + vdfc_status_name(rc) + " n=" + std::to_string(n));
  }
  int rc = vdfc_release(session->id(), 987654321);
  checks.expect(rc == VDFC_E_HANDLE && vdfc::lastError().find("987654321") != std::string::npos, "errors",
                std::string("unknown handle gave ") + vdfc_status_name(rc) + ": " + vdfc::lastError());
  rc = vdfc_compress_cell(session->id(), 5, "electron", nullptr, nullptr, 0, nullptr);
  checks.expect(rc == VDFC_E_ARGUMENT, "errors", std::string("NULL output gave ") + vdfc_status_name(rc));
  checks.summarise("errors", before, "capacity, unknown handle and NULL argument come back as status codes with messages");

  // 7. Decompress every cell into buffers this rank owns; check the bound and the moments.
  before = checks.failures;
  verifyAll(*session, source, mine, mesh, args.relTolerance, checks, "roundtrip");
  checks.summarise("roundtrip", before, std::to_string(cellsAll) + " cells decompressed, bound " +
                   std::to_string(args.relTolerance) + " * peak, moments conserved");

  // 8. Compressed restart: write, drop everything, read back with another cell distribution, check again.
  before = checks.failures;
  auto w0 = std::chrono::steady_clock::now();
  session->writeRestart(args.restart);
  double writeSeconds = seconds(std::chrono::steady_clock::now() - w0);
  for (int64_t id : mine) session->release(session->find(id, POPULATION));
  checks.expect(session->stats(false)[VDFC_STAT_LIVE_HANDLES] == 0, "restart", "handles left after release");
  std::vector<int64_t> moved = source.cellsOf((rank + 1) % size, size);
  int32_t loaded = session->readRestart(args.restart, moved);
  checks.expect(loaded == static_cast<int32_t>(moved.size()), "restart",
                "loaded " + std::to_string(loaded) + " records for " + std::to_string(moved.size()) + " cells");
  verifyAll(*session, source, moved, mesh, args.relTolerance, checks, "restart");
  checks.summarise("restart", before, "wrote " + args.restart + " in " + std::to_string(writeSeconds) +
                   " s, read back on shifted ranks, every cell checked");

  // 9. Figures.
  int64_t vdfKiBBefore = sumOverRanks(rssBefore - rssEmpty), vdfKiBAfter = sumOverRanks(rssAfter - rssEmpty);
  int64_t refAll = sumOverRanks(referenceBytes), blocksAll = sumOverRanks(blocks);
  auto ns = [](double sec) { return sumOverRanks(static_cast<int64_t>(sec * 1e9)); };
  int64_t callNs = ns(all.call), javaNs = ns(all.java), encNs = ns(all.encode);
  int64_t lateCallNs = ns(late.call), lateEncNs = ns(late.encode);
  int64_t rssJvmMax = maxOverRanks(rssJvm - rssStart);
  int64_t heapUsedMax = maxOverRanks(heap[VDFC_STAT_HEAP_USED_BYTES]);
  int64_t heapCommittedMax = maxOverRanks(heap[VDFC_STAT_HEAP_COMMITTED_BYTES]);
  if (rank == 0) {
    double ratio = bytesAll > 0 ? static_cast<double>(refAll) / bytesAll : 0;
    double memoryFactor = vdfKiBAfter > 0 ? static_cast<double>(vdfKiBBefore) / vdfKiBAfter : 0;
    std::printf("RESULT ranks=%d cells=%lld blocks=%lld reference_bytes=%lld compressed_bytes=%lld ratio=%.3f\n", size,
                (long long)cellsAll, (long long)blocksAll, (long long)refAll, (long long)bytesAll, ratio);
    std::printf("RESULT resident_vdf_kib_before=%lld resident_vdf_kib_after=%lld memory_reduction=%.3f "
                "memory_reduction_over_ratio=%.3f jvm_start_rss_kib_max=%lld\n",
                (long long)vdfKiBBefore, (long long)vdfKiBAfter, memoryFactor, ratio > 0 ? memoryFactor / ratio : 0,
                (long long)rssJvmMax);
    std::printf("RESULT time_per_cell_us=%.1f codec_per_cell_us=%.1f adapter_overhead_pct=%.2f "
                "(jni_pct=%.2f java_adapter_pct=%.2f)\n",
                callNs * 1e-3 / cellsAll, encNs * 1e-3 / cellsAll, encNs > 0 ? 100.0 * (callNs - encNs) / encNs : 0,
                encNs > 0 ? 100.0 * (callNs - javaNs) / encNs : 0, encNs > 0 ? 100.0 * (javaNs - encNs) / encNs : 0);
    std::printf("RESULT jvm_heap_after_compression_used_mib_max=%.1f committed_mib_max=%.1f\n",
                heapUsedMax / 1048576.0, heapCommittedMax / 1048576.0);
    std::printf("RESULT later_half_adapter_overhead_pct=%.2f\n",
                lateEncNs > 0 ? 100.0 * (lateCallNs - lateEncNs) / lateEncNs : 0);
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
