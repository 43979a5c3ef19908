package io.vdfc.codec.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vdfc.codec.CodecOptions;
import io.vdfc.codec.CodecRegistry;
import io.vdfc.codec.Tolerance;
import io.vdfc.codec.VdfCodec;
import io.vdfc.compress.CellCompressor;
import io.vdfc.compress.CompressionSettings;
import io.vdfc.compress.EncodedCell;
import io.vdfc.metrics.ErrorMetrics;
import io.vdfc.record.CellRecord;
import io.vdfc.testing.SharedData;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VlsvVdfSource;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The model codecs on cells of the real restart through the per-cell pipeline at 1*minValue, with a model stored in
 * every cell ({@code model=always}, one candidate, so the model-plus-residual path is what is tested): every value within the
 * bound, density, bulk velocity and pressure conserved, the codec's own record (not the lossless fallback) used, and
 * decoding well within a Vlasiator step (a loose 1 s guard on a shared machine; measured figures are in the report).
 */
class ModelCodecsRealRestartTest {
  private static VlsvVdfSource source;
  private static final List<CellVdf> CELLS = new ArrayList<>();
  private static double minValue;

  @BeforeAll
  static void load() throws Exception {
    source = VlsvVdfSource.open(SharedData.realRestart());
    String pop = source.populations().get(0);
    minValue = source.minValue(pop);
    int count = source.cellIds(pop).length;
    int largest = 0;
    int most = -1;
    for (int i = 0; i < count; i++) {
      int b = source.cellAt(pop, i).blockCount();
      if (b > most) {
        most = b;
        largest = i;
      }
    }
    for (int i : new int[] {0, count / 5, 2 * count / 5, 3 * count / 5, count - 1, largest}) {
      CELLS.add(source.cellAt(pop, i));
    }
  }

  @AfterAll
  static void close() throws Exception {
    source.close();
  }

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
    "hermite; model=always,degree=4", "sph; model=always,degree=2", "gmm; model=always,components=2",
    "octree; model=always,leaftol=0.01"
  })
  void realCellsStayWithinTheBoundWithMomentsConserved(String name, String options) throws Exception {
    VdfCodec codec = CodecRegistry.get().byName(name).configure(CodecOptions.parse(options));
    CellCompressor cc = new CellCompressor(new CompressionSettings(codec, new Tolerance(Tolerance.Kind.MIN_VALUE, 1), true));
    for (CellVdf cell : CELLS) {
      EncodedCell e = cc.compress(cell, minValue);
      CellRecord r = CellRecord.read(ByteBuffer.wrap(e.record()), cell.mesh().blockCount(), cell.blockCount());
      assertEquals(codec.id(), r.codecId(), name + " record of cell " + cell.cellId() + ": " + e.report());
      assertEquals(3, r.payload().get(r.payload().position()), name + " payload flags: model and residual");
      long t0 = System.nanoTime();
      CellVdf back = CellCompressor.decompress(ByteBuffer.wrap(e.record()), cell.mesh(), cell.cellId(), cell.blockCount());
      double ms = (System.nanoTime() - t0) / 1e6;
      assertTrue(ms < 1000, name + " cell " + cell.cellId() + " (" + cell.blockCount() + " blocks) decoded in " + ms + " ms");
      ErrorMetrics m = ErrorMetrics.compare(cell, back);
      assertTrue(m.maxAbs() <= minValue, name + " cell " + cell.cellId() + " max_abs " + m.maxAbs());
      assertTrue(m.errN() <= 1e-6 && m.errV() <= 1e-6 && m.errP() <= 1e-6,
          name + " cell " + cell.cellId() + " moments: n " + m.errN() + " V " + m.errV() + " P " + m.errP());
    }
  }
}
