package io.vdfc.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vdfc.codec.CodecRegistry;
import io.vdfc.codec.RealCellsCheck;
import io.vdfc.codec.SharedModelCodec;
import io.vdfc.codec.Tolerance;
import io.vdfc.compress.CompressionSettings;
import io.vdfc.vdf.CellVdf;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The file bench with a shared-model codec: the model trained as a file write trains it, counted once per row. */
class PipelineSubjectTest {
  @Test
  void givenRealCells_whenASharedModelCodecIsBenched_thenItsModelIsCountedOnceBesideTheRecords() {
    List<CellVdf> cells = RealCellsCheck.restartCells();
    double minValue = RealCellsCheck.restartMinValue();
    SharedModelCodec vq = (SharedModelCodec) CodecRegistry.get().byName("vq");
    PipelineSubject s = new PipelineSubject(new CompressionSettings(vq, Tolerance.parse("1*minValue"), true), cells,
        minValue);
    long model = vq.trainModel(cells, minValue).length;
    assertEquals(model, s.sharedBytes());
    long records = 0;
    for (CellVdf c : cells) {
      records += s.encode(c, minValue).bytes();
    }
    Benchmark.Row row = new Benchmark(cells, minValue, 1).run(s);
    assertEquals(records + model, row.compressedBytes());
    assertTrue(row.errors().max(5) <= minValue, "max_abs " + row.errors().max(5));
    assertTrue(s.label().endsWith("(model once)"), s.label());
  }
}
