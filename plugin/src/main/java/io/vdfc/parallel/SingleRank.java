package io.vdfc.parallel;

/** Collectives of a run with one rank: every operation is the identity. */
public final class SingleRank implements Collectives {
  public static final SingleRank INSTANCE = new SingleRank();

  private SingleRank() {}

  @Override public int rank() { return 0; }
  @Override public int size() { return 1; }
  @Override public void barrier() {}
  @Override public void broadcast(byte[] data, int root) { checkRoot(root); }
  @Override public long[] allreduceSum(long[] v) { return v.clone(); }
  @Override public long[] allreduceMin(long[] v) { return v.clone(); }
  @Override public long[] allreduceMax(long[] v) { return v.clone(); }
  @Override public double[] allreduceSum(double[] v) { return v.clone(); }
  @Override public double[] allreduceMin(double[] v) { return v.clone(); }
  @Override public double[] allreduceMax(double[] v) { return v.clone(); }
  @Override public byte[][] allgather(byte[] mine) { return new byte[][] {mine.clone()}; }
  @Override public long exclusiveScan(long value) { return 0; }

  @Override
  public void abort(String message) {
    throw new CollectiveFailure("rank 0 aborted: " + message);
  }

  private static void checkRoot(int root) {
    if (root != 0) {
      throw new IllegalArgumentException("root " + root + " outside a 1-rank run");
    }
  }
}
