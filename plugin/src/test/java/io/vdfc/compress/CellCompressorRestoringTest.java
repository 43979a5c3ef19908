package io.vdfc.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vdfc.codec.CodecRegistry;
import io.vdfc.codec.Tolerance;
import io.vdfc.testing.SharedData;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VlsvVdfSource;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * The values {@link CellCompressor#compressRestoring} hands back are bit for bit what the reader restores from the
 * record ({@link CellCompressor#decompress}), so {@code codec = auto}'s trials can take their errors without decoding:
 * real restart cells, conserved and not, lossy and lossless.
 */
class CellCompressorRestoringTest {
  @Test
  void givenRealCells_whenCompressedRestoring_thenRestoredEqualsTheDecodedRecord() throws Exception {
    String[][] settings = {{"zfpb", "0.5*minValue", "on"}, {"zfpb", "1*minValue", "off"}, {"zstd", "1*minValue", "off"}};
    try (VlsvVdfSource s = VlsvVdfSource.open(SharedData.realRestart())) {
      int cells = s.cellIds("proton").length;
      double minValue = s.minValue("proton");
      int checked = 0;
      for (String[] st : settings) {
        CellCompressor cc = new CellCompressor(new CompressionSettings(CodecRegistry.get().byName(st[0]),
            Tolerance.parse(st[1]), st[2].equals("on")));
        for (int i : new int[] {0, cells / 4, cells / 2, cells - 2, cells - 1}) {
          CellVdf cell = s.cellAt("proton", i);
          CellCompressor.Restoring r = cc.compressRestoring(cell, minValue);
          assertArrayEquals(cc.compress(cell, minValue).record(), r.encoded().record(), "same record as compress()");
          CellVdf back = CellCompressor.decompress(ByteBuffer.wrap(r.encoded().record()), cell.mesh(), cell.cellId(),
              cell.blockCount());
          assertEquals(cell.values().length, r.restored().length);
          for (int v = 0; v < r.restored().length; v++) {
            if (Float.floatToRawIntBits(back.values()[v]) != Float.floatToRawIntBits(r.restored()[v])) {
              throw new AssertionError(st[0] + " " + st[1] + " conserve=" + st[2] + " cell " + cell.cellId() + " value "
                  + v + ": restored " + r.restored()[v] + ", decoded " + back.values()[v]);
            }
          }
          checked++;
        }
      }
      assertTrue(checked == 15);
    }
  }
}
