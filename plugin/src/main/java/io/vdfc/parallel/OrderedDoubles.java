package io.vdfc.parallel;

/**
 * Doubles as longs whose integer order is the doubles' order, so that an MPI reduction of longs (exact, and defined
 * for every value) gives the minimum or maximum of doubles as {@link Math#min(double, double)} and {@link
 * Math#max(double, double)} would: -0.0 below 0.0, and a NaN on any rank gives NaN. MPI's own {@code MPI_MIN} and
 * {@code MPI_MAX} of doubles do not say what a NaN gives: an implementation that compares with {@code <} keeps or drops
 * it depending on the order in which the ranks' values meet. An error that is NaN on one rank could then vanish from
 * the maximum over the ranks, and a check pass that should have failed. The collectives of {@code mpi-driver} and
 * {@code cpp-adapter} reduce doubles' minima and maxima through this class, which every rank computes the same way.
 *
 * <p>The map: a double's IEEE-754 bits as a signed long are already ordered for positive values; for negative ones the
 * magnitude bits are flipped, so that more negative values get smaller longs. NaN (any payload) becomes the reduction's
 * absorbing element: {@link Long#MAX_VALUE} for a maximum, {@link Long#MIN_VALUE} for a minimum. No other double maps
 * to either (+Inf is {@code 0x7ff0000000000000}, -Inf {@code 0x800fffffffffffff}).
 */
public final class OrderedDoubles {
  private static final long MAGNITUDE = 0x7fffffffffffffffL;

  private OrderedDoubles() {
    throw new AssertionError("no instances");
  }

  /**
   * The ordered longs of {@code values}, NaN as the absorbing element of a maximum ({@code max} true) or a minimum.
   */
  public static long[] toOrdered(double[] values, boolean max) {
    long[] out = new long[values.length];
    for (int i = 0; i < values.length; i++) {
      double v = values[i];
      if (Double.isNaN(v)) {
        out[i] = max ? Long.MAX_VALUE : Long.MIN_VALUE;
      } else {
        long bits = Double.doubleToRawLongBits(v);
        out[i] = bits >= 0 ? bits : bits ^ MAGNITUDE;
      }
    }
    return out;
  }

  /** The doubles of ordered longs made by {@link #toOrdered} (either NaN element gives NaN). */
  public static double[] fromOrdered(long[] ordered) {
    double[] out = new double[ordered.length];
    for (int i = 0; i < ordered.length; i++) {
      long k = ordered[i];
      out[i] = k == Long.MAX_VALUE || k == Long.MIN_VALUE ? Double.NaN
          : Double.longBitsToDouble(k >= 0 ? k : k ^ MAGNITUDE);
    }
    return out;
  }
}
