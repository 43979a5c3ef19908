// vdfc_mpi.hpp - fills a vdfc_collectives table with wrappers of the host's MPI communicator, so that the plugin's
// collectives (codec choice, error budgets, restart offsets) run over the simulation's own MPI.
#ifndef VDFC_MPI_HPP
#define VDFC_MPI_HPP

#include <mpi.h>

#include <climits>
#include <cstdio>

#include "vdfc.h"

namespace vdfc {
namespace mpi_detail {

inline MPI_Comm comm(void *ctx) { return *static_cast<MPI_Comm *>(ctx); }

inline MPI_Op op(int o) { return o == VDFC_OP_MIN ? MPI_MIN : o == VDFC_OP_MAX ? MPI_MAX : MPI_SUM; }

inline int barrier(void *ctx) { return MPI_Barrier(comm(ctx)); }

inline int bcast(void *ctx, void *buf, int64_t nbytes, int root) {
  char *p = static_cast<char *>(buf);
  for (int64_t done = 0; done < nbytes;) {  // MPI counts are int: send in chunks below 2^31
    int chunk = static_cast<int>(nbytes - done < INT_MAX ? nbytes - done : INT_MAX);
    int rc = MPI_Bcast(p + done, chunk, MPI_BYTE, root, comm(ctx));
    if (rc != MPI_SUCCESS) return rc;
    done += chunk;
  }
  return MPI_SUCCESS;
}

inline int allreduceI64(void *ctx, const int64_t *in, int64_t *out, int n, int o) {
  return MPI_Allreduce(in, out, n, MPI_INT64_T, op(o), comm(ctx));
}

inline int allreduceF64(void *ctx, const double *in, double *out, int n, int o) {
  return MPI_Allreduce(in, out, n, MPI_DOUBLE, op(o), comm(ctx));
}

inline int allgatherI64(void *ctx, int64_t mine, int64_t *all) {
  return MPI_Allgather(&mine, 1, MPI_INT64_T, all, 1, MPI_INT64_T, comm(ctx));
}

inline int allgathervBytes(void *ctx, const void *mine, int n, void *all, const int *counts, const int *displs) {
  return MPI_Allgatherv(mine, n, MPI_BYTE, all, counts, displs, MPI_BYTE, comm(ctx));
}

inline int exscanI64(void *ctx, int64_t value, int64_t *out) {
  int rc = MPI_Exscan(&value, out, 1, MPI_INT64_T, MPI_SUM, comm(ctx));
  int rank = 0;
  MPI_Comm_rank(comm(ctx), &rank);
  if (rank == 0) *out = 0;  // MPI_Exscan leaves rank 0's result undefined
  return rc;
}

inline void abortJob(void *ctx, const char *message) {
  std::fprintf(stderr, "vdfc: aborting the job: %s\n", message);
  std::fflush(stderr);
  MPI_Abort(comm(ctx), 3);
}

}  // namespace mpi_detail

/** Collectives over *comm, which must outlive the session that uses the table. */
inline vdfc_collectives mpiCollectives(MPI_Comm *comm) {
  vdfc_collectives c{};
  c.ctx = comm;
  MPI_Comm_rank(*comm, &c.rank);
  MPI_Comm_size(*comm, &c.size);
  c.barrier = mpi_detail::barrier;
  c.bcast = mpi_detail::bcast;
  c.allreduce_i64 = mpi_detail::allreduceI64;
  c.allreduce_f64 = mpi_detail::allreduceF64;
  c.allgather_i64 = mpi_detail::allgatherI64;
  c.allgatherv_bytes = mpi_detail::allgathervBytes;
  c.exscan_i64 = mpi_detail::exscanI64;
  c.abort = mpi_detail::abortJob;
  return c;
}

}  // namespace vdfc

#endif  // VDFC_MPI_HPP
