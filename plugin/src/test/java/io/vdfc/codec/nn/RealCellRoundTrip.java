package io.vdfc.codec.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vdfc.codec.SharedModelCodec;
import io.vdfc.codec.Tolerance;
import io.vdfc.codec.VdfCodec;
import io.vdfc.compress.CellCompressor;
import io.vdfc.compress.CompressionSettings;
import io.vdfc.compress.EncodedCell;
import io.vdfc.metrics.ErrorMetrics;
import io.vdfc.testing.SharedData;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VlsvVdfSource;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Real restart cells through the whole pipeline with a learned codec: six cells spread over the file (the largest
 * included) at 1*minValue with moment conservation; every value within the bound, moments conserved, the codec's own
 * record (not the lossless fallback) used.
 */
public final class RealCellRoundTrip {
  private RealCellRoundTrip() {}

  private static List<CellVdf> cached;

  /** The six cells (read once per test JVM). */
  public static synchronized List<CellVdf> cells() throws Exception {
    if (cached == null) {
      cached = read();
    }
    return cached;
  }

  private static List<CellVdf> read() throws Exception {
    try (VlsvVdfSource src = VlsvVdfSource.open(SharedData.realRestart())) {
      String pop = src.populations().get(0);
      long[] ids = src.cellIds(pop);
      List<CellVdf> all = new ArrayList<>();
      int largest = 0;
      for (int i = 0; i < ids.length; i++) {
        CellVdf c = src.cellAt(pop, i);
        all.add(c);
        if (c.blockCount() > all.get(largest).blockCount()) {
          largest = i;
        }
      }
      List<CellVdf> out = new ArrayList<>();
      out.add(all.get(largest));
      for (int k = 0; k < 5; k++) {
        int i = (int) ((long) k * (all.size() - 1) / 4);
        if (i != largest && out.size() < 6) {
          out.add(all.get(i));
        }
      }
      return out;
    }
  }

  public static double minValue() throws Exception {
    try (VlsvVdfSource src = VlsvVdfSource.open(SharedData.realRestart())) {
      return src.minValue(src.populations().get(0));
    }
  }

  /** Runs the cells through {@link CellCompressor} with {@code codec} (trained on them first if it shares a model). */
  public static void check(VdfCodec codec) throws Exception {
    List<CellVdf> cells = cells();
    double minValue = minValue();
    Tolerance tol = Tolerance.parse("1*minValue");
    VdfCodec bound = codec;
    if (codec instanceof SharedModelCodec sm) {
      bound = sm.withModel(ByteBuffer.wrap(sm.trainModel(cells, minValue)));
    }
    final VdfCodec use = bound;
    CellCompressor cc = new CellCompressor(new CompressionSettings(use, tol, true));
    int own = 0;
    for (CellVdf cell : cells) {
      EncodedCell e = cc.compress(cell, minValue);
      CellVdf back = CellCompressor.decompress(ByteBuffer.wrap(e.record()), cell.mesh(), cell.cellId(),
          cell.blockCount(), registered -> registered.id() == use.id() ? use : registered);
      assertEquals(cell.values().length, back.values().length);
      for (int k = 0; k < back.values().length; k++) {
        double err = Math.abs((double) back.values()[k] - cell.values()[k]);
        assertTrue(err <= minValue, codec.name() + " cell " + cell.cellId() + " value " + k + ": error " + err);
      }
      ErrorMetrics m = ErrorMetrics.compare(cell, back);
      assertTrue(m.errN() <= 1e-6 && m.errV() <= 1e-6 && m.errP() <= 1e-6,
          codec.name() + " cell " + cell.cellId() + ": moments " + m.errN() + " " + m.errV() + " " + m.errP());
      if (e.report().note().isEmpty()) {
        own++;
      }
    }
    assertTrue(own >= cells.size() - 1, codec.name() + ": only " + own + " cells used the codec itself");
  }
}
