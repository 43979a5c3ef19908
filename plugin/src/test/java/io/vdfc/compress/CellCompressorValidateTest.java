package io.vdfc.compress;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vdfc.testing.SharedData;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VelocityMesh;
import io.vdfc.vdf.VlsvVdfSource;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link CellCompressor#validate}'s duplicate-ID check (a hash set): every repeat found, no false alarm. */
class CellCompressorValidateTest {
  private static final VelocityMesh MESH = new VelocityMesh("proton", 67, 67, 67, 4, -1, -1, -1, 0.1, 0.1, 0.1);

  @Test
  void givenRealRestartCells_whenValidated_thenAccepted() throws Exception {
    try (VlsvVdfSource s = VlsvVdfSource.open(SharedData.realRestart())) {
      for (int i = 0; i < s.cellIds("proton").length; i++) {
        CellVdf cell = s.cellAt("proton", i);
        assertDoesNotThrow(() -> CellCompressor.validate(cell), "cell " + cell.cellId());
      }
    }
  }

  @Test
  void givenRandomIdsWithOneRepeat_whenValidated_thenRejectedAndWithoutRepeatAccepted() {
    Random rnd = new Random(5);
    int checked = 0;
    for (int n : new int[] {2, 3, 17, 64, 1000, 5000}) {
      for (int trial = 0; trial < 20; trial++) {
        int[] ids = rnd.ints(0, MESH.blockCount() > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) MESH.blockCount())
            .distinct().limit(n).toArray();
        assertDoesNotThrow(() -> CellCompressor.validate(cell(ids)), n + " distinct IDs");
        int[] dup = ids.clone();
        int a = rnd.nextInt(n);
        int b = (a + 1 + rnd.nextInt(n - 1)) % n;
        dup[b] = dup[a];
        BadVdfException e = assertThrows(BadVdfException.class, () -> CellCompressor.validate(cell(dup)));
        assertTrue(e.getMessage().contains("block ID " + dup[a] + " appears twice"), e.getMessage());
        checked++;
      }
    }
    assertTrue(checked == 120);
  }

  private static CellVdf cell(int[] ids) {
    return new CellVdf(1, MESH, ids, new float[ids.length * 64]);
  }
}
