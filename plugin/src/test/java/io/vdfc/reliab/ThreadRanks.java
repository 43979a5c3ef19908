package io.vdfc.reliab;

import io.vdfc.parallel.Collectives;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** N ranks as threads of one JVM, every collective built on one allgather (for tests of multi-rank writing). */
final class ThreadRanks {
  interface RankBody<T> {
    T run(Collectives c) throws Exception;
  }

  private final int size;
  private final CyclicBarrier barrier;
  private final byte[][] slots;
  private byte[][] last;

  private ThreadRanks(int size) {
    this.size = size;
    this.slots = new byte[size][];
    this.barrier = new CyclicBarrier(size, () -> last = slots.clone());
  }

  /** Runs {@code body} on {@code size} ranks; returns each rank's result. */
  static <T> List<T> run(int size, RankBody<T> body) throws Exception {
    ThreadRanks w = new ThreadRanks(size);
    ExecutorService pool = Executors.newFixedThreadPool(size);
    try {
      List<Future<T>> fs = new ArrayList<>();
      for (int r = 0; r < size; r++) {
        Collectives c = w.new Rank(r);
        fs.add(pool.submit((Callable<T>) () -> body.run(c)));
      }
      List<T> out = new ArrayList<>();
      for (Future<T> f : fs) {
        out.add(f.get(300, TimeUnit.SECONDS));
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  private final class Rank implements Collectives {
    private final int rank;

    Rank(int rank) {
      this.rank = rank;
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
    public synchronized byte[][] allgather(byte[] mine) {
      try {
        slots[rank] = mine.clone();
        barrier.await();
        byte[][] got = last;
        barrier.await(); // nobody overwrites a slot before everyone has read this round
        return got;
      } catch (InterruptedException | BrokenBarrierException e) {
        throw new CollectiveFailure("thread ranks: " + e, e);
      }
    }

    @Override
    public void barrier() {
      allgather(new byte[0]);
    }

    @Override
    public void broadcast(byte[] data, int root) {
      byte[] got = allgather(rank == root ? data : new byte[0])[root];
      System.arraycopy(got, 0, data, 0, data.length);
    }

    private long[][] longs(long[] v) {
      java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 * v.length);
      for (long x : v) {
        b.putLong(x);
      }
      byte[][] all = allgather(b.array());
      long[][] out = new long[size][v.length];
      for (int r = 0; r < size; r++) {
        java.nio.ByteBuffer g = java.nio.ByteBuffer.wrap(all[r]);
        for (int i = 0; i < v.length; i++) {
          out[r][i] = g.getLong();
        }
      }
      return out;
    }

    private long[] reduce(long[] v, java.util.function.LongBinaryOperator op) {
      long[][] all = longs(v);
      long[] out = all[0].clone();
      for (int r = 1; r < size; r++) {
        for (int i = 0; i < v.length; i++) {
          out[i] = op.applyAsLong(out[i], all[r][i]);
        }
      }
      return out;
    }

    private double[] reduceD(double[] v, java.util.function.DoubleBinaryOperator op) {
      long[] bits = new long[v.length];
      for (int i = 0; i < v.length; i++) {
        bits[i] = Double.doubleToRawLongBits(v[i]);
      }
      long[][] all = longs(bits);
      double[] out = v.clone();
      for (int i = 0; i < v.length; i++) {
        out[i] = Double.longBitsToDouble(all[0][i]);
        for (int r = 1; r < size; r++) {
          out[i] = op.applyAsDouble(out[i], Double.longBitsToDouble(all[r][i]));
        }
      }
      return out;
    }

    @Override
    public long[] allreduceSum(long[] values) {
      return reduce(values, Long::sum);
    }

    @Override
    public long[] allreduceMin(long[] values) {
      return reduce(values, Math::min);
    }

    @Override
    public long[] allreduceMax(long[] values) {
      return reduce(values, Math::max);
    }

    @Override
    public double[] allreduceSum(double[] values) {
      return reduceD(values, Double::sum);
    }

    @Override
    public double[] allreduceMin(double[] values) {
      return reduceD(values, Math::min);
    }

    @Override
    public double[] allreduceMax(double[] values) {
      return reduceD(values, Math::max);
    }

    @Override
    public long exclusiveScan(long value) {
      long[][] all = longs(new long[] {value});
      long s = 0;
      for (int r = 0; r < rank; r++) {
        s += all[r][0];
      }
      return s;
    }

    @Override
    public void abort(String message) {
      throw new CollectiveFailure(message);
    }
  }
}
