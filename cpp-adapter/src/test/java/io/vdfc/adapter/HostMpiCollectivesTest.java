package io.vdfc.adapter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vdfc.adapter.NativeExports.AbortFn;
import io.vdfc.adapter.NativeExports.AllgatherI64Fn;
import io.vdfc.adapter.NativeExports.AllgathervBytesFn;
import io.vdfc.adapter.NativeExports.AllreduceF64Fn;
import io.vdfc.adapter.NativeExports.AllreduceI64Fn;
import io.vdfc.adapter.NativeExports.BarrierFn;
import io.vdfc.adapter.NativeExports.BcastFn;
import io.vdfc.adapter.NativeExports.CollectivesTable;
import io.vdfc.adapter.NativeExports.ExscanI64Fn;
import io.vdfc.parallel.Collectives.CollectiveFailure;
import io.vdfc.parallel.OrderedDoubles;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * HostMpiCollectives calling through real C function pointers: the callbacks here are JavaCPP thunks into Java that
 * play "rank 1 of 3" (a fixed other-rank contribution), so every value crosses Java -> C -> Java and back.
 */
class HostMpiCollectivesTest {
  static final List<String> calls = new ArrayList<>();
  static int failWith = 0;
  /** What the two other ranks give to allreduce_i64 (null: both 100 + i) and to allgather_i64 (rank 0's, rank 2's). */
  static long[] otherA, otherB;
  static long gathered0 = 2, gathered2 = 0;
  // Kept reachable: the table holds their addresses (JavaCPP has 10 callback slots per type).
  static BarrierFn barrier;
  static BcastFn bcast;
  static AllreduceI64Fn allreduceI64;
  static AllreduceF64Fn allreduceF64;
  static AllgatherI64Fn allgatherI64;
  static AllgathervBytesFn allgatherv;
  static ExscanI64Fn exscan;
  static AbortFn abort;
  static CollectivesTable table;

  @BeforeAll
  static void callbacks() {
    Loader.load(NativeExports.class);
    barrier = new BarrierFn() {
      @Override public int call(Pointer ctx) {
        calls.add("barrier");
        return failWith;
      }
    };
    bcast = new BcastFn() {
      @Override public int call(Pointer ctx, Pointer buf, long nbytes, int root) {
        calls.add("bcast " + nbytes + " from " + root);
        new BytePointer(buf).capacity(nbytes).put(0, (byte) 42);  // root's first byte
        return 0;
      }
    };
    allreduceI64 = new AllreduceI64Fn() {
      @Override public int call(Pointer ctx, LongPointer in, LongPointer out, int n, int op) {
        for (int i = 0; i < n; i++) {
          long a = otherA == null ? 100 + i : otherA[i];  // what the two other ranks contribute
          long b = otherB == null ? 100 + i : otherB[i];
          long v = in.get(i);
          out.put(i, op == 0 ? v + a + b : op == 1 ? Math.min(v, Math.min(a, b)) : Math.max(v, Math.max(a, b)));
        }
        return 0;
      }
    };
    allreduceF64 = new AllreduceF64Fn() {
      @Override public int call(Pointer ctx, DoublePointer in, DoublePointer out, int n, int op) {
        for (int i = 0; i < n; i++) {
          double v = in.get(i);
          out.put(i, op == 0 ? v + 1.5 : op == 1 ? Math.min(v, 0.25) : Math.max(v, 0.25));
        }
        return 0;
      }
    };
    allgatherI64 = new AllgatherI64Fn() {
      @Override public int call(Pointer ctx, long mine, LongPointer all) {
        all.put(0, gathered0).put(1, mine).put(2, gathered2);
        return 0;
      }
    };
    allgatherv = new AllgathervBytesFn() {
      @Override public int call(Pointer ctx, Pointer mine, int n, Pointer all, IntPointer counts, IntPointer displs) {
        BytePointer out = new BytePointer(all);
        out.put(displs.get(0), (byte) 7).put(displs.get(0) + 1, (byte) 8);
        Pointer.memcpy(out.position(displs.get(1)), mine, n);
        calls.add("allgatherv " + counts.get(0) + "," + counts.get(1) + "," + counts.get(2));
        return 0;
      }
    };
    exscan = new ExscanI64Fn() {
      @Override public int call(Pointer ctx, long value, LongPointer out) {
        out.put(0, 1000 + value);
        return 0;
      }
    };
    abort = new AbortFn() {
      @Override public void call(Pointer ctx, BytePointer message) {
        calls.add("abort " + message.getString());
      }
    };
    table = new CollectivesTable().rank(1).size(3).barrier(barrier).bcast(bcast).allreduce_i64(allreduceI64)
        .allreduce_f64(allreduceF64).allgather_i64(allgatherI64).allgatherv_bytes(allgatherv).exscan_i64(exscan)
        .abort(abort);
  }

  @Test
  void everyOperationGoesThroughTheHostCallbacks() {
    HostMpiCollectives c = HostMpiCollectives.of(table);
    assertEquals(1, c.rank());
    assertEquals(3, c.size());
    assertArrayEquals(new long[] {205, 207}, c.allreduceSum(new long[] {5, 5}));
    assertArrayEquals(new long[] {5, 101}, c.allreduceMin(new long[] {5, 500}));
    assertArrayEquals(new long[] {100, 500}, c.allreduceMax(new long[] {5, 500}));
    assertArrayEquals(new double[] {2.5}, c.allreduceSum(new double[] {1.0}));
    // minima and maxima of doubles go through allreduce_i64 as ordered longs: NaN and -0.0 as Math.min and max give them
    try {
      otherA = OrderedDoubles.toOrdered(new double[] {0.25, -0.0}, false);
      otherB = OrderedDoubles.toOrdered(new double[] {3.0, 5.0}, false);
      assertArrayEquals(new double[] {0.25, -0.0}, c.allreduceMin(new double[] {1.0, 0.0}));
      otherA = OrderedDoubles.toOrdered(new double[] {0.25, 2.0}, true);
      otherB = OrderedDoubles.toOrdered(new double[] {3.0, Double.NaN}, true);
      assertArrayEquals(new double[] {3.0, Double.NaN}, c.allreduceMax(new double[] {1.0, 7.0}));
    } finally {
      otherA = null;
      otherB = null;
    }
    byte[] data = {1, 2, 3};
    c.broadcast(data, 0);
    assertArrayEquals(new byte[] {42, 2, 3}, data);
    byte[][] all = c.allgather(new byte[] {9});
    assertArrayEquals(new byte[] {7, 8}, all[0]);
    assertArrayEquals(new byte[] {9}, all[1]);
    assertEquals(0, all[2].length);
    assertEquals(1007, c.exclusiveScan(7));
    c.barrier();
    CollectiveFailure aborted = assertThrows(CollectiveFailure.class, () -> c.abort("disk full"));
    assertTrue(aborted.getMessage().contains("disk full"));
    assertTrue(calls.contains("bcast 3 from 0") && calls.contains("allgatherv 2,1,0") && calls.contains("barrier"),
        calls.toString());
    assertTrue(calls.contains("abort vdfc rank 1: disk full"), calls.toString());
  }

  /**
   * vdfc_open's check of the declared size and rank against the communicator: the buffers of the host's allgathers
   * are sized by the declared size, so a wrong one would let MPI write past them.
   */
  @Test
  void aSizeOrRankThatIsNotTheCommunicatorsIsRefusedOnEveryRank() {
    try {
      otherA = new long[] {1, 3, 9}; // both other ranks declared size 3, as this one
      otherB = otherA;
      gathered0 = 0;
      gathered2 = 2;
      HostMpiCollectives c = HostMpiCollectives.of(table);
      assertEquals(c, c.checkCommunicator());

      otherB = new long[] {1, 2, 4}; // rank 2 declared size 2
      AdapterException e = assertThrows(AdapterException.class, c::checkCommunicator);
      assertEquals(Status.ARGUMENT, e.status());
      assertTrue(e.getMessage().contains("size does not match the communicator: it has 3 ranks, and this rank declared"
          + " 3 (other ranks declared other sizes)"), e.getMessage());

      otherA = otherB; // every rank declared 2 of the 3
      CollectivesTable two = new CollectivesTable();
      Pointer.memcpy(two, table, Pointer.sizeof(CollectivesTable.class));
      e = assertThrows(AdapterException.class, () -> HostMpiCollectives.of(two.size(2)).checkCommunicator());
      assertTrue(e.getMessage().contains("it has 3 ranks, and this rank declared 2"), e.getMessage());

      otherA = new long[] {1, 3, 9};
      otherB = otherA;
      gathered2 = 1; // rank 2 declared rank 1
      e = assertThrows(AdapterException.class, c::checkCommunicator);
      assertTrue(e.getMessage().contains("rank does not match the communicator: rank 2 of the communicator declared 1"),
          e.getMessage());

      gathered2 = 2; // this rank (position 1) declared rank 3 of 3: refused on every rank, not by this one alone
      CollectivesTable outside = new CollectivesTable();
      Pointer.memcpy(outside, table, Pointer.sizeof(CollectivesTable.class));
      e = assertThrows(AdapterException.class, () -> HostMpiCollectives.of(outside.rank(3)).checkCommunicator());
      assertTrue(e.getMessage().contains("rank 1 of the communicator declared 3"), e.getMessage());
    } finally {
      otherA = null;
      otherB = null;
      gathered0 = 2;
      gathered2 = 0;
    }
  }

  @Test
  void aFailingCallbackEndsTheJobThroughTheHostsAbortAndAMissingOneIsRefused() {
    HostMpiCollectives c = HostMpiCollectives.of(table);
    failWith = 15;
    try {
      CollectiveFailure f = assertThrows(CollectiveFailure.class, c::barrier);
      assertTrue(f.getMessage().contains("barrier returned 15"), f.getMessage());
      // the job is ended through the host's abort (this test's abort returns, so the rank throws as well)
      assertTrue(calls.contains("abort vdfc rank 1: host collective barrier returned 15; the ranks can no longer agree,"
          + " so the job ends"), calls.toString());
    } finally {
      failWith = 0;
    }
    CollectivesTable partial = new CollectivesTable().rank(0).size(1).barrier(barrier);
    AdapterException e = assertThrows(AdapterException.class, () -> HostMpiCollectives.of(partial));
    assertEquals(Status.ARGUMENT, e.status());
    assertTrue(e.getMessage().contains("bcast is NULL"), e.getMessage());
  }
}
