package io.vdfc.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vdfc.compress.CellCompressor;
import io.vdfc.compress.CompressionSettings;
import io.vdfc.compress.EncodedCell;
import io.vdfc.metrics.ErrorMetrics;
import io.vdfc.testing.SharedData;
import io.vdfc.testing.TestCells;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VlsvVdfSource;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Shared checks of the study codecs: real restart cells through the pipeline, synthetic cells through the codec. */
public final class RealCellsCheck {
  private RealCellsCheck() {
    throw new AssertionError("no instances");
  }

  private static List<CellVdf> cached;

  /** Seven cells spread over the real restart's 60, the largest (index 24, 2,945 blocks) and smallest among them. */
  public static synchronized List<CellVdf> restartCells() {
    if (cached != null) {
      return cached;
    }
    try (VlsvVdfSource src = VlsvVdfSource.open(SharedData.realRestart())) {
      String pop = src.populations().get(0);
      long[] ids = src.cellIds(pop);
      List<CellVdf> out = new ArrayList<>();
      for (int i : new int[] {0, 11, 23, 24, 35, 47, ids.length - 1}) {
        out.add(src.cellAt(pop, i));
      }
      cached = List.copyOf(out);
      return cached;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  public static double restartMinValue() {
    try (VlsvVdfSource src = VlsvVdfSource.open(SharedData.realRestart())) {
      return src.minValue(src.populations().get(0));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Every value within {@code 1*minValue} and n, V, P conserved to 1e-6 through {@link CellCompressor}. */
  public static void realRestartWithinBoundAndConserved(VdfCodec codec) {
    realRestartWithinBoundAndConserved(codec, CellCompressor.CodecBinder.NONE);
  }

  public static void realRestartWithinBoundAndConserved(VdfCodec codec, CellCompressor.CodecBinder binder) {
    double minValue = restartMinValue();
    CellCompressor cc = new CellCompressor(new CompressionSettings(codec, Tolerance.parse("1*minValue"), true));
    for (CellVdf cell : restartCells()) {
      EncodedCell e = cc.compress(cell, minValue);
      CellVdf back;
      try {
        back = CellCompressor.decompress(ByteBuffer.wrap(e.record()), cell.mesh(), cell.cellId(), cell.blockCount(), binder);
      } catch (CorruptRecordException ex) {
        throw new AssertionError(ex);
      }
      assertEquals("", e.report().note(), codec.name() + " cell " + cell.cellId() + " needed special handling");
      assertTrue(e.report().recordBytes() < cell.referenceBytes(), codec.name() + " cell " + cell.cellId() + " did not compress");
      double tol = minValue;
      for (int i = 0; i < cell.values().length; i++) {
        double err = Math.abs((double) back.values()[i] - cell.values()[i]);
        if (!(err <= tol)) {
          fail(codec.name() + " cell " + cell.cellId() + " value " + i + ": error " + err + " > " + tol);
        }
      }
      ErrorMetrics m = ErrorMetrics.compare(cell, back);
      assertTrue(m.errN() <= 1e-6 && m.errV() <= 1e-6 && m.errP() <= 1e-6,
          codec.name() + " cell " + cell.cellId() + " moments not conserved: " + m);
    }
  }

  private static List<CellVdf> all;

  /** Every cell of the real restart (60), loaded once per JVM. */
  public static synchronized List<CellVdf> allRestartCells() {
    if (all == null) {
      try (VlsvVdfSource src = VlsvVdfSource.open(SharedData.realRestart())) {
        String pop = src.populations().get(0);
        List<CellVdf> out = new ArrayList<>();
        for (int i = 0; i < src.cellIds(pop).length; i++) {
          out.add(src.cellAt(pop, i));
        }
        all = List.copyOf(out);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return all;
  }

  /** The codec alone (no conservation) round-trips every real restart cell within {@code 1*minValue}. */
  public static void everyRestartCellWithinBound(VdfCodec c) throws CorruptRecordException {
    double tol = restartMinValue();
    List<CellVdf> cells = allRestartCells();
    assertEquals(60, cells.size());
    for (CellVdf cell : cells) {
      ByteBuffer p = ByteBuffer.wrap(c.encode(cell, tol));
      float[] back = c.decode(p, cell.mesh(), cell.blockIds(), c.version());
      assertEquals(0, p.remaining());
      for (int v = 0; v < back.length; v++) {
        if (!(Math.abs((double) back[v] - cell.values()[v]) <= tol)) {
          fail(c.name() + " cell " + cell.cellId() + " value " + v + ": " + cell.values()[v] + " -> " + back[v]);
        }
      }
    }
  }

  /** Codec round trips of the synthetic corpus at two tolerances, bound on every value. */
  public static void syntheticWithinBound(VdfCodec codec) throws CorruptRecordException {
    for (CellVdf cell : TestCells.corpus()) {
      for (double tol : new double[] {1e-14, 1e-17}) {
        ByteBuffer p = ByteBuffer.wrap(codec.encode(cell, tol));
        float[] back = codec.decode(p, cell.mesh(), cell.blockIds(), codec.version());
        assertEquals(0, p.remaining());
        for (int i = 0; i < back.length; i++) {
          double err = Math.abs((double) back[i] - cell.values()[i]);
          if (!(err <= tol)) {
            fail(codec + " cell " + cell.cellId() + " value " + i + ": error " + err + " > " + tol);
          }
        }
      }
    }
  }
}
