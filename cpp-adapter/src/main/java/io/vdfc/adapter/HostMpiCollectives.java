package io.vdfc.adapter;

import io.vdfc.adapter.NativeExports.CollectivesTable;
import io.vdfc.parallel.Collectives;
import io.vdfc.parallel.OrderedDoubles;
import java.util.Objects;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * {@link Collectives} over the host simulation's own communicator: every operation calls one of the C function
 * pointers of a {@code vdfc_collectives} table (vdfc.h) that the host filled, typically with wrappers of
 * {@code MPI_Allreduce}, {@code MPI_Allgatherv} and friends on its {@code MPI_Comm} (vdfc_mpi.hpp). A non-zero return
 * from a callback becomes a {@link CollectiveFailure}; {@link #abort} ends the whole job through the host's abort.
 */
public final class HostMpiCollectives implements Collectives {
  private static final int SUM = 0;
  private static final int MIN = 1;
  private static final int MAX = 2;
  private static final String[] CALLBACKS = {
    "barrier", "bcast", "allreduce_i64", "allreduce_f64", "allgather_i64", "allgatherv_bytes", "exscan_i64", "abort"
  };

  private final CollectivesTable table;
  private final Pointer ctx;
  private final int rank;
  private final int size;

  private HostMpiCollectives(CollectivesTable copy) {
    this.table = copy;
    this.ctx = copy.ctx();
    this.rank = copy.rank();
    this.size = copy.size();
  }

  /**
   * Collectives calling the host's table; the table is copied (the host may free it), its {@code ctx} is not. Fails
   * with {@link Status#ARGUMENT} if a callback is missing (on that rank only: without its callbacks a rank cannot tell
   * the others); rank and size are checked by {@link #checkCommunicator}.
   */
  public static HostMpiCollectives of(CollectivesTable table) {
    Objects.requireNonNull(table, "table");
    CollectivesTable copy = new CollectivesTable();
    Pointer.memcpy(copy, table, Pointer.sizeof(CollectivesTable.class));
    int missing = NativeExports.missingCallbacks(copy);
    for (int i = 0; i < CALLBACKS.length; i++) {
      if ((missing & (1 << i)) != 0) {
        throw new AdapterException(Status.ARGUMENT, "vdfc_collectives." + CALLBACKS[i] + " is NULL");
      }
    }
    // rank and size are checked against the communicator by checkCommunicator, on every rank: refused here, on one
    // rank, the others would wait for it in their first collective
    return new HostMpiCollectives(copy);
  }

  /**
   * Collective, once at {@code vdfc_open}: checks that every rank declared the communicator's true size and its own rank
   * in it, and throws {@link Status#ARGUMENT} on every rank if not. This class sizes the buffers the host's allgathers
   * fill by the declared size, so a rank that declared fewer ranks than there are would let MPI write past them, and
   * ranks that disagree would wait in different collectives. First one allreduce whose length does not depend on the
   * size (of 1, the size and its square: the sums are N, N^2 and N^3 exactly when all N ranks declared N), then,
   * with the size known to be right, one allgather of the declared ranks, which must be 0..N-1 in order. Every rank
   * sees the same sums and ranks, so all pass or all fail.
   *
   * @return this
   */
  HostMpiCollectives checkCommunicator() {
    long[] sums = allreduceSum(new long[] {1, size, (long) size * size});
    long n = sums[0];
    if (sums[1] != n * n || sums[2] != n * n * n) {
      throw new AdapterException(Status.ARGUMENT, "vdfc_collectives.size does not match the communicator: it has " + n
          + " ranks, and this rank declared " + size + (size == n ? " (other ranks declared other sizes)" : ""));
    }
    long[] declared = allgatherLong(rank); // a rank outside 0..N-1 is named below, on every rank
    StringBuilder wrong = new StringBuilder();
    for (int r = 0; r < size; r++) {
      if (declared[r] != r) {
        wrong.append(wrong.length() == 0 ? "" : ", ").append("rank ").append(r).append(" of the communicator declared ")
            .append(declared[r]);
      }
    }
    if (wrong.length() > 0) {
      throw new AdapterException(Status.ARGUMENT, "vdfc_collectives.rank does not match the communicator: " + wrong
          + " (declare MPI_Comm_rank of the communicator whose callbacks the table holds)");
    }
    return this;
  }

  @Override
  public int rank() {
    return rank;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public void barrier() {
    ok(table.barrier().call(ctx), "barrier");
  }

  @Override
  public void broadcast(byte[] data, int root) {
    if (root < 0 || root >= size) {
      throw new IllegalArgumentException("root " + root + " outside " + size + " ranks");
    }
    if (data.length == 0) {
      return;
    }
    try (BytePointer buf = new BytePointer(data)) {
      ok(table.bcast().call(ctx, buf, data.length, root), "bcast");
      buf.get(data);
    }
  }

  @Override
  public long[] allreduceSum(long[] values) {
    return allreduce(values, SUM);
  }

  @Override
  public long[] allreduceMin(long[] values) {
    return allreduce(values, MIN);
  }

  @Override
  public long[] allreduceMax(long[] values) {
    return allreduce(values, MAX);
  }

  @Override
  public double[] allreduceSum(double[] values) {
    return allreduce(values, SUM);
  }

  /**
   * As {@link Math#min(double, double)} over the ranks, NaN included: reduced as {@link OrderedDoubles} through {@code
   * allreduce_i64}, since the host MPI's {@code MPI_MIN} of doubles leaves NaN undefined.
   */
  @Override
  public double[] allreduceMin(double[] values) {
    return OrderedDoubles.fromOrdered(allreduce(OrderedDoubles.toOrdered(values, false), MIN));
  }

  /** As {@link Math#max(double, double)} over the ranks, NaN included ({@link #allreduceMin}). */
  @Override
  public double[] allreduceMax(double[] values) {
    return OrderedDoubles.fromOrdered(allreduce(OrderedDoubles.toOrdered(values, true), MAX));
  }

  private long[] allreduce(long[] values, int op) {
    long[] result = new long[values.length];
    if (values.length == 0) {
      return result;
    }
    try (LongPointer in = new LongPointer(values); LongPointer out = new LongPointer(values.length)) {
      ok(table.allreduce_i64().call(ctx, in, out, values.length, op), "allreduce_i64");
      out.get(result);
    }
    return result;
  }

  private double[] allreduce(double[] values, int op) {
    double[] result = new double[values.length];
    if (values.length == 0) {
      return result;
    }
    try (DoublePointer in = new DoublePointer(values); DoublePointer out = new DoublePointer(values.length)) {
      ok(table.allreduce_f64().call(ctx, in, out, values.length, op), "allreduce_f64");
      out.get(result);
    }
    return result;
  }

  @Override
  public byte[][] allgather(byte[] mine) {
    long[] lengths = allgatherLong(mine.length);
    int[] counts = new int[size];
    int[] displs = new int[size];
    long total = 0;
    for (int r = 0; r < size; r++) {
      if (lengths[r] < 0 || total + lengths[r] > Integer.MAX_VALUE - 8) {
        throw new CollectiveFailure("allgather: rank " + r + " sends " + lengths[r] + " bytes after " + total
            + "; at most 2^31 bytes in total");
      }
      counts[r] = (int) lengths[r];
      displs[r] = (int) total;
      total += lengths[r];
    }
    byte[] flat = new byte[(int) total];
    try (BytePointer in = new BytePointer(Math.max(1, mine.length));
        BytePointer out = new BytePointer(Math.max(1, total));
        IntPointer c = new IntPointer(counts);
        IntPointer d = new IntPointer(displs)) {
      in.put(mine);
      ok(table.allgatherv_bytes().call(ctx, in, mine.length, out, c, d), "allgatherv_bytes");
      out.get(flat);
    }
    byte[][] result = new byte[size][];
    for (int r = 0; r < size; r++) {
      result[r] = java.util.Arrays.copyOfRange(flat, displs[r], displs[r] + counts[r]);
    }
    return result;
  }

  /** Every rank's {@code mine}, by rank. */
  private long[] allgatherLong(long mine) {
    long[] all = new long[size];
    try (LongPointer out = new LongPointer(size)) {
      ok(table.allgather_i64().call(ctx, mine, out), "allgather_i64");
      out.get(all);
    }
    return all;
  }

  @Override
  public long exclusiveScan(long value) {
    try (LongPointer out = new LongPointer(1)) {
      ok(table.exscan_i64().call(ctx, value, out), "exscan_i64");
      return rank == 0 ? 0 : out.get(0);
    }
  }

  @Override
  public void abort(String message) {
    try (BytePointer m = new BytePointer("vdfc rank " + rank + ": " + message)) {  // NUL-terminated copy
      table.abort().call(ctx, m);
    }
    throw new CollectiveFailure("rank " + rank + " aborted (the host's abort returned): " + message);
  }

  /**
   * A callback that failed on this rank ends the job through the host's {@code abort}: the other ranks may have
   * completed the same collective and gone on to the next, where they would wait for this rank forever, or pair its
   * next collective with another one (a host whose MPI returns errors instead of aborting, {@code MPI_ERRORS_RETURN}).
   * If the host's abort returns, this rank throws.
   */
  private void ok(int code, String callback) {
    if (code != 0) {
      abort("host collective " + callback + " returned " + code + "; the ranks can no longer agree, so the job ends");
    }
  }
}
