package io.vdfc.verify;

/**
 * One population's errors cell by cell, in the file's cell order, for the picture of a whole file ({@link
 * io.vdfc.plot.CellErrorPlot}). {@code bound} is the bound recorded with each compressed cell (0 when the candidate
 * records none, or stored the cell losslessly).
 */
public record CellProfile(long[] cellIds, double[] maxAbs, double[] bound, double[] errN, double[] errV, double[] errP) {
  /** The arrays as one, {@code [maxAbs | bound | errN | errV | errP]}, for one allreduce. */
  double[] flat() {
    int n = cellIds.length;
    double[] out = new double[5 * n];
    System.arraycopy(maxAbs, 0, out, 0, n);
    System.arraycopy(bound, 0, out, n, n);
    System.arraycopy(errN, 0, out, 2 * n, n);
    System.arraycopy(errV, 0, out, 3 * n, n);
    System.arraycopy(errP, 0, out, 4 * n, n);
    return out;
  }

  /** The inverse of {@link #flat}. */
  static CellProfile of(long[] cellIds, double[] flat) {
    int n = cellIds.length;
    return new CellProfile(cellIds, java.util.Arrays.copyOfRange(flat, 0, n), java.util.Arrays.copyOfRange(flat, n, 2 * n),
        java.util.Arrays.copyOfRange(flat, 2 * n, 3 * n), java.util.Arrays.copyOfRange(flat, 3 * n, 4 * n),
        java.util.Arrays.copyOfRange(flat, 4 * n, 5 * n));
  }

  /** A profile of the cells {@code cellIds}, all zero, for one rank to fill its own. */
  static CellProfile empty(long[] cellIds) {
    int n = cellIds.length;
    return new CellProfile(cellIds, new double[n], new double[n], new double[n], new double[n], new double[n]);
  }
}
