package io.vdfc.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vdfc.codec.CodecRegistry;
import io.vdfc.codec.RealCellsCheck;
import io.vdfc.codec.SharedModelCodec;
import io.vdfc.codec.Tolerance;
import io.vdfc.compress.CompressionSettings;
import io.vdfc.parallel.SingleRank;
import io.vdfc.restart.PopulationReport;
import io.vdfc.restart.VlsvCompressor;
import io.vdfc.testing.SharedData;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VlsvVdfSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file bench counts what a file holds: with a shared-model codec, the model trained as a file write trains it,
 * counted once per row; for every codec, each cell's index entry and the settings text, as {@code vdfc compress} counts
 * them (the bench left those out: 15.53 where the file has 15.52).
 */
class PipelineSubjectTest {
  @Test
  void givenRealCells_whenASharedModelCodecIsBenched_thenItsModelIsCountedOnceBesideTheRecords() {
    List<CellVdf> cells = RealCellsCheck.restartCells();
    double minValue = RealCellsCheck.restartMinValue();
    SharedModelCodec vq = (SharedModelCodec) CodecRegistry.get().byName("vq");
    PipelineSubject s = new PipelineSubject(new CompressionSettings(vq, Tolerance.parse("1*minValue"), true), cells,
        minValue);
    long model = vq.trainModel(cells, minValue).length;
    long settings = VlsvCompressor.settingsText(s.settings(), minValue, null).length;
    assertEquals(model + settings, s.sharedBytes());
    long records = 0;
    for (CellVdf c : cells) {
      records += s.encode(c, minValue).bytes();
    }
    Benchmark.Row row = new Benchmark(cells, minValue, 1).run(s);
    assertEquals(records + model + settings, row.compressedBytes());
    assertTrue(row.errors().max(5) <= minValue, "max_abs " + row.errors().max(5));
    assertTrue(s.label().endsWith("(model once)"), s.label());
  }

  @Test
  void givenTheRealRestart_whenBenchedAndCompressed_thenBothCountTheSameBytes(@TempDir Path tmp) throws Exception {
    List<CellVdf> cells = new ArrayList<>();
    double minValue;
    try (VlsvVdfSource src = VlsvVdfSource.open(SharedData.realRestart())) {
      for (int i = 0; i < src.cellIds("proton").length; i++) {
        cells.add(src.cellAt("proton", i));
      }
      minValue = src.minValue("proton");
    }
    for (String codec : new String[] {"zfpb", "zstd"}) {
      CompressionSettings settings = new CompressionSettings(CodecRegistry.get().byName(codec),
          Tolerance.parse("1*minValue"), true);
      Benchmark.Row row = new Benchmark(cells, minValue, 1).run(settings.codec().lossless()
          ? new PipelineSubject(settings, minValue) : new PipelineSubject(settings, cells, minValue));
      List<PopulationReport> file = new VlsvCompressor(pop -> settings, Double.NaN, 1, true)
          .compress(SharedData.realRestart(), tmp.resolve(codec + ".vlsv"), SingleRank.INSTANCE);
      assertEquals(file.get(0).compressedBytes(), row.compressedBytes(), codec);
    }
  }
}
