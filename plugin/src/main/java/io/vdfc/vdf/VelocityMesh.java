package io.vdfc.vdf;

/**
 * The velocity mesh of one population: {@code nx*ny*nz} blocks of {@code wid^3} cells each, uniform cell size.
 *
 * <p>Block global IDs and in-block cell order follow Vlasiator exactly, x fastest:
 * {@code gid = i + j*nx + k*nx*ny} and local index {@code l = di + dj*wid + dk*wid*wid}. The centre of cell
 * (gid, l) is {@code vmin + (blockIndex*wid + cellIndex + 0.5) * dv} per axis.
 *
 * @param population population name as in the file ({@code proton})
 * @param nx blocks along vx
 * @param ny blocks along vy
 * @param nz blocks along vz
 * @param wid cells per block edge (4 for CPU builds)
 */
public record VelocityMesh(
    String population,
    int nx, int ny, int nz, int wid,
    double vxMin, double vyMin, double vzMin,
    double dvx, double dvy, double dvz) {

  public VelocityMesh {
    if (nx <= 0 || ny <= 0 || nz <= 0 || wid <= 0) {
      throw new IllegalArgumentException(
          "velocity mesh of " + population + " must have positive sizes, got " + nx + "x" + ny + "x" + nz + " blocks of width " + wid);
    }
    if (!(dvx > 0 && dvy > 0 && dvz > 0) || !Double.isFinite(dvx + dvy + dvz)) {
      throw new IllegalArgumentException("velocity mesh of " + population + " must have positive finite cell sizes, got "
          + dvx + ", " + dvy + ", " + dvz);
    }
    if (!Double.isFinite(vxMin + vyMin + vzMin)) {
      throw new IllegalArgumentException("velocity mesh of " + population + " must start at finite velocities, got "
          + vxMin + ", " + vyMin + ", " + vzMin);
    }
    // block IDs are uint32 (i + j*nx + k*nx*ny), and a block's wid^3 values one Java array: a mesh beyond these was
    // accepted and failed later inside the codec (NegativeArraySizeException for wid 1291)
    if (wid > MAX_WID || (long) nx * ny * nz > 1L << 32) {
      throw new IllegalArgumentException("velocity mesh of " + population + " is too large: " + nx + "x" + ny + "x" + nz
          + " blocks of width " + wid + " (at most 2^32 blocks, block width at most " + MAX_WID + ")");
    }
  }

  /** Largest block width taken, as the VLSV reader takes it (Vlasiator's WID is 4, 8 in some builds). */
  public static final int MAX_WID = 64;

  /** {@code 67x67x67 blocks of 4^3 cells from (-8.04e+06, ...) m/s, dv (60000, 60000, 60000) m/s}, for messages. */
  public String summary() {
    return String.format(java.util.Locale.ROOT, "%dx%dx%d blocks of %d^3 cells from (%.4g, %.4g, %.4g) m/s, dv (%.6g, "
        + "%.6g, %.6g) m/s", nx, ny, nz, wid, vxMin, vyMin, vzMin, dvx, dvy, dvz);
  }

  /** Values per block: {@code wid^3} (64 for WID 4). */
  public int cellsPerBlock() {
    return wid * wid * wid;
  }

  /** Number of block IDs in the mesh; valid IDs are {@code [0, blockCount())}. */
  public long blockCount() {
    return (long) nx * ny * nz;
  }

  /** Volume of one velocity cell, {@code dvx*dvy*dvz}. */
  public double cellVolume() {
    return dvx * dvy * dvz;
  }

  public boolean contains(int blockId) {
    return Integer.toUnsignedLong(blockId) < blockCount();
  }

  /** Block index along x of a block ID. */
  public int blockI(int gid) {
    // int division where the ID is below 2^31 (every real mesh): a 64-bit division costs several times more, and
    // these run once a block in every moment and correction pass
    return gid >= 0 ? gid % nx : (int) (Integer.toUnsignedLong(gid) % nx);
  }

  public int blockJ(int gid) {
    return gid >= 0 ? gid / nx % ny : (int) ((Integer.toUnsignedLong(gid) / nx) % ny);
  }

  public int blockK(int gid) {
    long plane = (long) nx * ny;
    return gid >= 0 && plane <= Integer.MAX_VALUE ? gid / (int) plane : (int) (Integer.toUnsignedLong(gid) / plane);
  }

  public int blockId(int i, int j, int k) {
    return i + j * nx + k * nx * ny;
  }

  /** Centre vx of local cell {@code l} of block {@code gid}. */
  public double vx(int gid, int l) {
    return vxMin + (blockI(gid) * wid + l % wid + 0.5) * dvx;
  }

  public double vy(int gid, int l) {
    return vyMin + (blockJ(gid) * wid + (l / wid) % wid + 0.5) * dvy;
  }

  public double vz(int gid, int l) {
    return vzMin + (blockK(gid) * wid + l / (wid * wid) + 0.5) * dvz;
  }

  /** Upper velocity limits, {@code vmin + n*wid*dv}. */
  public double vxMax() {
    return vxMin + (double) nx * wid * dvx;
  }

  public double vyMax() {
    return vyMin + (double) ny * wid * dvy;
  }

  public double vzMax() {
    return vzMin + (double) nz * wid * dvz;
  }
}
