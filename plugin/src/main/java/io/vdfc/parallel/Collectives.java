package io.vdfc.parallel;

/**
 * The collective operations vdfc needs from whatever runs its ranks: MPJ Express ({@code mpi-driver}), the host
 * simulation's own MPI ({@code cpp-adapter}) or a single rank ({@link SingleRank}). Every call is collective: all ranks
 * call it in the same order with the same array lengths. A failure on any rank must reach every rank as a
 * {@link CollectiveFailure} within a bounded time, never a hang.
 */
public interface Collectives {

  int rank();

  int size();

  void barrier();

  /** Replaces {@code data} on every rank with root's contents; the length must agree on all ranks. */
  void broadcast(byte[] data, int root);

  long[] allreduceSum(long[] values);

  long[] allreduceMin(long[] values);

  long[] allreduceMax(long[] values);

  double[] allreduceSum(double[] values);

  /**
   * As {@link Math#min(double, double)} over the ranks, element by element: a NaN on any rank gives NaN, -0.0 is below
   * 0.0 ({@link OrderedDoubles} does this over MPI, whose own {@code MPI_MIN} leaves NaN undefined).
   */
  double[] allreduceMin(double[] values);

  /** As {@link Math#max(double, double)} over the ranks, element by element, NaN included ({@link #allreduceMin}). */
  double[] allreduceMax(double[] values);

  /** Every rank's bytes, indexed by rank (lengths may differ). */
  byte[][] allgather(byte[] mine);

  /** Sum of {@code value} over ranks {@code 0..rank-1} (0 on rank 0). */
  long exclusiveScan(long value);

  /**
   * Tells every rank that this one failed, so that no rank waits forever in a collective. Implementations make the
   * other ranks' next (or current) collective throw {@link CollectiveFailure} naming this rank and message.
   */
  void abort(String message);

  /** Thrown on every rank when one rank fails inside or between collectives. */
  final class CollectiveFailure extends RuntimeException {
    public CollectiveFailure(String message) {
      super(message);
    }

    public CollectiveFailure(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
