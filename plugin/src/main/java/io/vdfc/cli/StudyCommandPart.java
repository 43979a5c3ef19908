package io.vdfc.cli;

import io.vdfc.bench.StudyBench;
import io.vdfc.bench.StudyPlot;
import io.vdfc.bench.StudyTable;
import io.vdfc.bench.StudyVdf;
import io.vdfc.metrics.ErrorMetrics;
import io.vdfc.restart.VdfSources;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VdfSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code vdfc bench --study}: runs {@link StudyBench} and prints its table, JSON or a PNG plot. */
final class StudyCommandPart {
  private final BenchCommand cmd;

  StudyCommandPart(BenchCommand cmd) {
    this.cmd = cmd;
  }

  int run() throws Exception {
    Path vdf = cmd.studyVdf != null ? cmd.studyVdf : findUp("shared/data/study-vdf/vdfData.bin");
    if (vdf == null || !Files.isRegularFile(vdf)) {
      System.err.println("vdfc bench --study: study VDF not found (give --study-vdf PATH)");
      return Vdfc.EXIT_USAGE;
    }
    List<CellVdf> restartCells = new ArrayList<>();
    double minValue = Double.NaN;
    Path restart = "none".equals(cmd.restart) ? null
        : cmd.restart != null ? Paths.get(cmd.restart) : findUp("shared/data/ipshock/restart.0000100.vlsv");
    if (restart != null && Files.isRegularFile(restart)) {
      try (VdfSource src = VdfSources.open(restart)) {
        String pop = src.choosePopulation(null);
        minValue = src.minValue(pop);
        int n = src.cellIds(pop).length;
        for (int i = 0; i < n; i++) {
          restartCells.add(src.cellAt(pop, i));
        }
      }
    }
    boolean conserve = !"off".equalsIgnoreCase(cmd.conserve);
    StudyBench.Settings s = new StudyBench.Settings(cmd.iterations, Math.max(1, cmd.repeats), conserve, cmd.l2Target,
        restartCells, minValue);
    List<StudyBench.Row> rows = new StudyBench(StudyVdf.cell(vdf), s).run();
    List<Map<String, Object>> json = StudyBench.toJson(rows, s);
    if (cmd.png != null) {
      StudyPlot.write(rows, cmd.l2Target, cmd.png, 1200, 800);
    }
    if (cmd.json) {
      System.out.println(Json.write(json));
      return Vdfc.EXIT_OK;
    }
    System.out.printf("study VDF %s (reference 500,000 B = 50^3 float32); every byte counted; moments %s (unless a row's note says otherwise); "
        + "row = best tolerance (x peak) with L2 <= the study's L2; last columns at L2 <= %.3g%n", vdf,
        conserve ? "conserved" : "not conserved", cmd.l2Target);
    System.out.printf("%-22s %-16s %8s %8s | %9s %9s %9s %9s %9s %9s %9s | %8s %8s | %7s %8s %8s | %9s %7s %s%n",
        "method", "codec", "ratio", "study", "err_n", "err_V", "err_P", "L1", "L2", "study L2", "max_abs", "comp ms",
        "dec ms", "beats", "ratio@T", "L2@T", "rst dec", "rst x", "note");
    for (int i = 0; i < rows.size(); i++) {
      StudyBench.Row r = rows.get(i);
      Map<String, Object> m = json.get(i);
      StudyTable.Entry e = r.entry();
      ErrorMetrics x = r.atStudy().errors();
      System.out.printf("%-22s %-16s %8.2f %8s | %9.2e %9.2e %9.2e %9.2e %9.2e %9s %9.2e | %8.1f %8.1f | %7s %8.2f %8.2e | %9s %7s %s%n",
          trim(e.method(), 22), trim(e.codec() + (e.options().isEmpty() ? "" : " " + e.options()), 16), r.atStudy().ratio(),
          Double.isNaN(e.studyRatio()) ? "-" : String.format("%.2f", e.studyRatio()), x.errN(), x.errV(), x.errP(), x.l1(),
          x.l2(), Double.isNaN(e.studyL2()) ? "-" : String.format("%.3g", e.studyL2()), x.maxAbs(),
          (Double) m.get("compress_ms"), (Double) m.get("decompress_ms"),
          Double.isNaN(e.studyRatio()) ? "-" : r.beatsStudy() ? "yes" : "NO", r.atTarget().ratio(), r.atTarget().errors().l2(),
          m.containsKey("restart_largest_cell_decode_ms") ? String.format("%.2f ms", (Double) m.get("restart_largest_cell_decode_ms")) : "-",
          m.containsKey("restart_ratio_model_once") ? String.format("%.2f", (Double) m.get("restart_ratio_model_once")) : "-",
          (r.atStudy().note().isEmpty() ? "" : "[pipeline: " + r.atStudy().note() + "] ") + e.note());
    }
    if (!restartCells.isEmpty()) {
      System.out.printf("rst dec: decode of the real restart's largest cell (%s blocks) at 1*minValue; rst x: restart ratio "
          + "with a shared model counted once per file (shared-model codecs)%n",
          json.isEmpty() ? "?" : json.get(0).get("restart_largest_cell_blocks"));
    }
    if (cmd.png != null) {
      System.out.println("plot: " + cmd.png);
    }
    return Vdfc.EXIT_OK;
  }

  private static String trim(String s, int n) {
    return s.length() <= n ? s : s.substring(0, n - 1) + "~";
  }

  /** {@code rel} under the working directory or one of its parents' siblings ({@code ../shared/...}). */
  static Path findUp(String rel) {
    Path dir = Paths.get("").toAbsolutePath();
    for (int up = 0; up < 5 && dir != null; up++, dir = dir.getParent()) {
      for (Path c : new Path[] {dir.resolve(rel), dir.resolve("..").resolve(rel)}) {
        if (Files.isRegularFile(c)) {
          return c.normalize();
        }
      }
    }
    return null;
  }
}
