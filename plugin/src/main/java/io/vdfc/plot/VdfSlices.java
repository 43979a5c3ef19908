package io.vdfc.plot;

import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VelocityMesh;
import java.util.HashMap;
import java.util.Map;

/**
 * Point look-up of a sparse VDF on the global velocity-cell grid of its mesh, and the three axis-aligned central slices
 * through a chosen velocity cell. Velocity cells outside the stored blocks read as 0.
 */
public final class VdfSlices {
  /** The three slice planes: the two in-plane axes (0 = vx, 1 = vy, 2 = vz) and the normal axis. */
  public enum Plane {
    XY(0, 1, 2), XZ(0, 2, 1), YZ(1, 2, 0);

    public final int a;
    public final int b;
    public final int normal;

    Plane(int a, int b, int normal) {
      this.a = a;
      this.b = b;
      this.normal = normal;
    }
  }

  private static final String[] AXIS = {"vx", "vy", "vz"};

  private final CellVdf cell;
  private final VelocityMesh mesh;
  private final Map<Integer, Integer> blockAt = new HashMap<>();

  public VdfSlices(CellVdf cell) {
    this.cell = cell;
    this.mesh = cell.mesh();
    int[] ids = cell.blockIds();
    for (int b = 0; b < ids.length; b++) {
      blockAt.put(ids[b], b);
    }
  }

  public static String axisName(int axis) {
    return AXIS[axis];
  }

  /** f at global velocity cell (i, j, k); 0 outside the stored blocks or the mesh. */
  public float value(int i, int j, int k) {
    int w = mesh.wid();
    if (i < 0 || j < 0 || k < 0 || i >= mesh.nx() * w || j >= mesh.ny() * w || k >= mesh.nz() * w) {
      return 0f;
    }
    Integer b = blockAt.get(mesh.blockId(i / w, j / w, k / w));
    return b == null ? 0f : cell.values()[b * mesh.cellsPerBlock() + i % w + w * (j % w + w * (k % w))];
  }

  /** Global index (i, j, k) of the largest value of the cell (the first one in stored order on ties). */
  public int[] peakIndex() {
    float[] v = cell.values();
    int best = 0;
    for (int n = 1; n < v.length; n++) {
      if (v[n] > v[best]) {
        best = n;
      }
    }
    int per = mesh.cellsPerBlock(), w = mesh.wid();
    if (v.length == 0) {
      return velocityIndex(0, 0, 0);
    }
    int gid = cell.blockIds()[best / per], l = best % per;
    return new int[] {mesh.blockI(gid) * w + l % w, mesh.blockJ(gid) * w + (l / w) % w, mesh.blockK(gid) * w + l / (w * w)};
  }

  /** Global index of the velocity cell holding a velocity (m/s), clamped to the mesh. */
  public int[] velocityIndex(double vx, double vy, double vz) {
    int w = mesh.wid();
    return new int[] {clamp((vx - mesh.vxMin()) / mesh.dvx(), mesh.nx() * w), clamp((vy - mesh.vyMin()) / mesh.dvy(),
        mesh.ny() * w), clamp((vz - mesh.vzMin()) / mesh.dvz(), mesh.nz() * w)};
  }

  private static int clamp(double x, int n) {
    return (int) Math.max(0, Math.min(n - 1, Math.floor(x)));
  }

  /**
   * Half-width in velocity cells of a cube centred on {@code centre} that holds every stored block of the cell
   * (at least {@code 2*wid}).
   */
  public int halfWidth(int[] centre) {
    int w = mesh.wid();
    int h = 2 * w;
    for (int gid : cell.blockIds()) {
      int[] lo = {mesh.blockI(gid) * w, mesh.blockJ(gid) * w, mesh.blockK(gid) * w};
      for (int a = 0; a < 3; a++) {
        h = Math.max(h, Math.max(centre[a] - lo[a], lo[a] + w - 1 - centre[a]));
      }
    }
    return h;
  }

  /** Centre velocity (m/s) of global cell index {@code n} along an axis. */
  public double velocity(int axis, int n) {
    return switch (axis) {
      case 0 -> mesh.vxMin() + (n + 0.5) * mesh.dvx();
      case 1 -> mesh.vyMin() + (n + 0.5) * mesh.dvy();
      default -> mesh.vzMin() + (n + 0.5) * mesh.dvz();
    };
  }

  public double cellSize(int axis) {
    return axis == 0 ? mesh.dvx() : axis == 1 ? mesh.dvy() : mesh.dvz();
  }

  /**
   * The slice through {@code centre} in a plane, {@code (2h+1)^2} values, {@code s[u + (2h+1)*v]} for in-plane offsets
   * u along {@code plane.a} and v along {@code plane.b}, both from {@code -h} to {@code h}.
   */
  public float[] slice(Plane plane, int[] centre, int h) {
    int n = 2 * h + 1;
    float[] s = new float[n * n];
    int[] at = centre.clone();
    for (int v = 0; v < n; v++) {
      for (int u = 0; u < n; u++) {
        at[plane.a] = centre[plane.a] - h + u;
        at[plane.b] = centre[plane.b] - h + v;
        s[u + n * v] = value(at[0], at[1], at[2]);
      }
    }
    return s;
  }
}
