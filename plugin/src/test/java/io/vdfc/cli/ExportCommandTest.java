package io.vdfc.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import io.vdfc.codec.grid.DenseBox;
import io.vdfc.metrics.ErrorMetrics;
import io.vdfc.metrics.Moments;
import io.vdfc.restart.VdfSources;
import io.vdfc.testing.EnabledIfH5DumpAvailable;
import io.vdfc.testing.SharedData;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VdfSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vdfc export}: the HDF5 file holds exactly the cells' values, IDs, moments and errors, and h5dump reads it. */
class ExportCommandTest {
  @TempDir Path tmp;

  static final long[] CELLS = {30, 31};

  @Test
  void sparseExportHoldsEveryValueBlockIdAndMomentOfTheRealRestart() throws Exception {
    Path h5 = tmp.resolve("s.h5");
    Object[] r = CliTest.run("export", SharedData.realRestart().toString(), h5.toString(), "--cells", "30,31", "-q", "--json");
    assertEquals(0, r[0], (String) r[2]);
    assertTrue(((String) r[1]).contains("\"layout\": \"sparse\""), (String) r[1]);
    try (VdfSource src = VdfSources.open(SharedData.realRestart()); HdfFile f = new HdfFile(h5)) {
      assertEquals("vdfc-export", f.getAttribute("format").getData());
      assertArrayEquals(new int[] {67, 67, 67}, (int[]) f.getByPath("proton").getAttribute("mesh_blocks").getData());
      for (long id : CELLS) {
        CellVdf cell = src.cell("proton", id);
        String g = "proton/cell_" + id + "/";
        assertEquals(id, ((Number) f.getByPath("proton/cell_" + id).getAttribute("cell_id").getData()).longValue());
        assertArrayEquals(cell.blockIds(), (int[]) f.getDatasetByPath(g + "block_ids").getData());
        float[][] rows = (float[][]) f.getDatasetByPath(g + "f").getData();
        assertEquals(cell.blockCount(), rows.length);
        for (int b = 0; b < rows.length; b++) {
          for (int l = 0; l < 64; l++) {
            assertEquals(cell.values()[b * 64 + l], rows[b][l], "cell " + id + " block " + b + " value " + l);
          }
        }
        Moments m = Moments.of(cell);
        assertEquals(m.n(), ((Number) f.getDatasetByPath(g + "moments/n").getData()).doubleValue());
        assertArrayEquals(new double[] {m.vx(), m.vy(), m.vz()}, (double[]) f.getDatasetByPath(g + "moments/V").getData());
        assertArrayEquals(m.pressure(), (double[]) f.getDatasetByPath(g + "moments/P").getData());
      }
    }
  }

  @Test
  void denseExportIsTheCellOnItsBoundingBox() throws Exception {
    Path h5 = tmp.resolve("d.h5");
    Object[] r = CliTest.run("export", SharedData.realRestart().toString(), h5.toString(), "--cells", "30", "--dense", "-q");
    assertEquals(0, r[0], (String) r[2]);
    try (VdfSource src = VdfSources.open(SharedData.realRestart()); HdfFile f = new HdfFile(h5)) {
      CellVdf cell = src.cell("proton", 30);
      DenseBox box = DenseBox.of(cell);
      float[] dense = box.toDense(cell.values());
      float[][][] cube = (float[][][]) f.getDatasetByPath("proton/cell_30/f").getData();
      assertEquals(box.nz, cube.length);
      assertEquals(box.ny, cube[0].length);
      assertEquals(box.nx, cube[0][0].length);
      for (int k = 0; k < box.nz; k++) {
        for (int j = 0; j < box.ny; j++) {
          for (int i = 0; i < box.nx; i++) {
            assertEquals(dense[box.index(i, j, k)], cube[k][j][i]);
          }
        }
      }
      double[] vx = (double[]) f.getDatasetByPath("proton/cell_30/vx").getData();
      assertEquals(box.nx, vx.length);
      assertEquals(box.vx(0), vx[0]);
      assertEquals(cell.mesh().dvx(), vx[1] - vx[0], 1e-6);
    }
  }

  @Test
  void compressedInputWithOriginalCarriesTheReconstructionError() throws Exception {
    Path in = SharedData.file("vlsvrs/fullf.0000001.vlsv");
    Path z = tmp.resolve("z.vlsv");
    assertEquals(0, CliTest.run("compress", in.toString(), z.toString(), "--tolerance", "0.5*minValue", "-q")[0]);
    Path h5 = tmp.resolve("e.h5");
    Object[] r = CliTest.run("export", z.toString(), h5.toString(), "--original", in.toString(), "-q");
    assertEquals(0, r[0], (String) r[2]);
    try (VdfSource a = VdfSources.open(in); VdfSource b = VdfSources.open(z); HdfFile f = new HdfFile(h5)) {
      assertEquals(1, ((Number) f.getAttribute("source_compressed").getData()).intValue());
      for (String pop : a.populations()) {
        long id = a.cellIds(pop)[0];
        String g = pop + "/cell_" + id + "/error/";
        ErrorMetrics m = ErrorMetrics.compare(a.cell(pop, id), b.cell(pop, id));
        double maxAbs = ((Number) f.getDatasetByPath(g + "max_abs").getData()).doubleValue();
        assertEquals(m.maxAbs(), maxAbs);
        assertTrue(maxAbs > 0 && maxAbs <= 0.5 * a.minValue(pop), pop + ": max_abs " + maxAbs);
        assertEquals(m.errN(), ((Number) f.getDatasetByPath(g + "err_n").getData()).doubleValue());
        float[][] diff = (float[][]) f.getDatasetByPath(g + "difference").getData();
        double largest = 0;
        for (float[] row : diff) {
          for (float d : row) {
            largest = Math.max(largest, Math.abs(d));
          }
        }
        assertEquals(maxAbs, largest, 1e-6 * maxAbs, pop + ": difference array agrees with max_abs");
        assertTrue(f.getByPath(pop).getAttribute("codec_settings").getData().toString().contains("zfpb"));
      }
    }
  }

  @Test
  void unknownCellOrPopulationIsAOneLineUsageError() throws Exception {
    Path h5 = tmp.resolve("x.h5");
    Object[] r = CliTest.run("export", SharedData.realRestart().toString(), h5.toString(), "--cells", "999999");
    assertEquals(Vdfc.EXIT_USAGE, r[0]);
    assertTrue(((String) r[2]).contains("999999"), (String) r[2]);
    r = CliTest.run("export", SharedData.realRestart().toString(), h5.toString(), "--population", "electron");
    assertEquals(Vdfc.EXIT_USAGE, r[0]);
    assertTrue(((String) r[2]).contains("electron"), (String) r[2]);
    try (java.util.stream.Stream<Path> left = Files.list(tmp)) {
      assertEquals(List.of(), left.toList(), "nothing left behind");
    }
  }

  @Test
  @EnabledIfH5DumpAvailable
  void h5dumpReadsTheExportedFile() throws Exception {
    Path in = SharedData.file("vlsvrs/fullf.0000001.vlsv");
    Path h5 = tmp.resolve("h.h5");
    assertEquals(0, CliTest.run("export", in.toString(), h5.toString(), "--dense", "-q")[0]);
    String header = h5dump("-H", h5.toString());
    for (String s : new String[] {"GROUP \"proton\"", "GROUP \"antiproton\"", "DATASET \"block_ids\"", "DATASET \"f\"",
        "GROUP \"moments\"", "ATTRIBUTE \"units_f\"", "ATTRIBUTE \"dv\""}) {
      assertTrue(header.contains(s), s + " in h5dump -H output");
    }
    try (VdfSource src = VdfSources.open(in)) {
      long id = src.cellIds("proton")[0];
      CellVdf cell = src.cell("proton", id);
      String ids = h5dump("-d", "/proton/cell_" + id + "/block_ids", "-m", "%d", h5.toString());
      List<String> numbers = new ArrayList<>();
      for (String line : ids.split("\n")) {
        String t = line.strip();
        if (t.matches("\\(\\d+\\):.*")) {
          for (String n : t.substring(t.indexOf(':') + 1).split(",")) {
            if (!n.isBlank()) {
              numbers.add(n.strip());
            }
          }
        }
      }
      assertEquals(cell.blockCount(), numbers.size(), "h5dump lists every block ID");
      for (int b = 0; b < cell.blockCount(); b++) {
        assertEquals(Integer.toString(cell.blockIds()[b]), numbers.get(b));
      }
      String n = h5dump("-d", "/proton/cell_" + id + "/moments/n", "-m", "%.17g", h5.toString());
      double stored = Double.parseDouble(n.substring(n.indexOf("(0):") + 4, n.indexOf('}', n.indexOf("(0):"))).strip());
      assertEquals(Moments.of(cell).n(), stored);
    }
  }

  private static String h5dump(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(EnabledIfH5DumpAvailable.Condition.h5dump().toString());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "h5dump finished");
    assertEquals(0, p.exitValue(), "h5dump " + String.join(" ", args) + ":\n" + out);
    assertTrue(!out.contains("h5dump error"), out);
    return out;
  }
}
