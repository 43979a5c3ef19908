package io.vdfc.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vdfc.codec.CodecRegistry;
import io.vdfc.codec.RealCellsCheck;
import io.vdfc.codec.VdfCodec;
import io.vdfc.testing.SharedData;
import io.vdfc.vdf.CellVdf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The study bench run quickly (two bisection steps, no conservation): a row per lossy codec, finite figures. */
class StudyBenchTest {
  @Test
  void givenStudyVdf_whenZfpbCodesAsTheStudysZfpRow_thenItBeatsThatRowWithConservation() {
    CellVdf study = StudyVdf.cell(SharedData.file("study-vdf/vdfData.bin"));
    StudyTable.Entry zfp = StudyTable.ENTRIES.stream()
        .filter(e -> e.codec().equals("zfpb") && e.options().contains("entropy=on")).findFirst().orElseThrow();
    StudyBench.Settings s = new StudyBench.Settings(12, 1, true, 0.032, List.of(), Double.NaN);
    StudyBench.Row r = new StudyBench(study, s).row(zfp);
    // the study's row: 87.3x at L2 0.032; every byte counted here, moments conserved
    assertTrue(r.beatsStudy(), "zfpb " + zfp.options() + ": " + r.atStudy().ratio() + "x at L2 "
        + r.atStudy().errors().l2() + " against the study's 87.3x at 0.032");
    assertTrue(r.atStudy().conserved(), "moments conserved in the zfp row");
  }

  @Test
  void givenStudyVdf_whenDeflateCodesAsTheStudysZlibRow_thenItBeatsThatRowLosslessly() {
    CellVdf study = StudyVdf.cell(SharedData.file("study-vdf/vdfData.bin"));
    StudyTable.Entry zlib = StudyTable.ENTRIES.stream().filter(e -> e.codec().equals("deflate")).findFirst().orElseThrow();
    StudyBench.Row r = new StudyBench(study, new StudyBench.Settings(2, 1, false, 0.032, List.of(), Double.NaN)).row(zlib);
    assertEquals(0, r.atStudy().errors().maxAbs(), "lossless");
    assertTrue(r.atStudy().ratio() >= 1.54, "deflate " + zlib.options() + ": " + r.atStudy().ratio()
        + "x with every byte counted against the study's zlib 1.54x");
  }

  @Test
  void givenStudyVdf_whenBenchRunsQuickly_thenEveryLossyCodecHasAFiniteRowAndThePlotIsWritten(@TempDir Path dir)
      throws Exception {
    CellVdf study = StudyVdf.cell(SharedData.file("study-vdf/vdfData.bin"));
    List<CellVdf> restart = List.of(RealCellsCheck.restartCells().get(6));
    StudyBench.Settings s = new StudyBench.Settings(2, 1, false, 0.032, restart, RealCellsCheck.restartMinValue());
    // the model-only study settings (network training, degree-10 fits) are for the benchmark, not the suite: their
    // codecs get a default-settings row here
    List<StudyTable.Entry> quick = StudyTable.ENTRIES.stream().filter(e -> !e.options().contains("residual=off")).toList();
    List<StudyBench.Row> rows = new StudyBench(study, s).run(quick);
    Set<String> codecs = new HashSet<>();
    for (StudyBench.Row r : rows) {
      codecs.add(r.entry().codec());
      StudyBench.Point p = r.atStudy();
      assertTrue(p.ratio() > 1 && Double.isFinite(p.ratio()), r.entry().method() + " ratio " + p.ratio());
      assertEquals(StudyVdf.REFERENCE_BYTES / (double) p.bytes(), p.ratio(), 1e-9);
      for (double v : new double[] {p.errors().errN(), p.errors().errP(), p.errors().l1(), p.errors().l2(),
          r.atTarget().ratio(), r.atTarget().errors().l2()}) {
        assertTrue(Double.isFinite(v) && v >= 0, r.entry().method() + " figure " + v);
      }
      if (r.lossless()) {
        assertEquals(0, p.errors().maxAbs(), r.entry().method() + " is lossless");
      } else {
        assertTrue(r.atTarget().errors().l2() <= 0.032, r.entry().method() + " L2 at the target");
        assertTrue(!r.curve().isEmpty());
      }
      assertTrue(r.extra().containsKey("restart_largest_cell_decode_ms"), r.entry().method());
    }
    for (VdfCodec c : CodecRegistry.get().all()) {
      if (!c.lossless()) {
        assertTrue(codecs.contains(c.name()), "no study row for lossy codec " + c.name());
      }
    }
    List<Map<String, Object>> json = StudyBench.toJson(rows, s);
    for (Map<String, Object> m : json) {
      for (String key : new String[] {"method", "ratio", "L1", "L2", "err_n", "err_P", "max_abs", "study_ratio", "study_L2"}) {
        assertTrue(m.containsKey(key), "JSON row lacks " + key);
      }
    }
    Path png = dir.resolve("study.png");
    StudyPlot.write(rows, 0.032, png, 600, 400);
    byte[] head = Files.readAllBytes(png);
    assertTrue(head.length > 1000 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G', "a PNG file");
  }
}
