package io.vdfc.vdf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A velocity mesh is refused where it is made when it cannot be coded: the C API's vdfc_define_population had taken a
 * block width of 1291 (wid^3 overflows an int), 2048 (wraps to 0), infinite cell sizes and NaN origins, which failed
 * later inside the codec as internal errors.
 */
class VelocityMeshTest {
  private static VelocityMesh mesh(int n, int wid, double vmin, double dv) {
    return new VelocityMesh("proton", n, n, n, wid, vmin, vmin, vmin, dv, dv, dv);
  }

  @Test
  void meshesThatCannotBeCodedAreRefusedWithTheirFigures() {
    assertEquals(64, mesh(67, 4, -8.04e6, 6e4).cellsPerBlock());
    assertEquals(64 * 64 * 64, mesh(2, VelocityMesh.MAX_WID, 0, 1).cellsPerBlock());
    for (int wid : new int[] {65, 1291, 2048}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> mesh(67, wid, 0, 1));
      assertTrue(e.getMessage().contains("blocks of width " + wid + " (at most 2^32 blocks, block width at most 64)"),
          e.getMessage());
    }
    assertTrue(assertThrows(IllegalArgumentException.class, () -> mesh(1700, 4, 0, 1)).getMessage()
        .contains("too large: 1700x1700x1700 blocks"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> mesh(67, 4, Double.NaN, 1)).getMessage()
        .contains("must start at finite velocities, got NaN"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> mesh(67, 4, 0, Double.POSITIVE_INFINITY))
        .getMessage().contains("positive finite cell sizes, got Infinity"));
  }
}
