package io.vdfc.cli;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import io.jhdf.api.WritableNode;
import io.vdfc.codec.grid.DenseBox;
import io.vdfc.metrics.ErrorMetrics;
import io.vdfc.metrics.Moments;
import io.vdfc.restart.CompressedFile;
import io.vdfc.restart.Progress;
import io.vdfc.restart.VdfSources;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VdfSource;
import io.vdfc.vdf.VelocityMesh;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vdfc export IN OUT.h5}: selected cells' VDFs, velocity meshes, moments and (with {@code --original}) the
 * reconstruction error, as an HDF5 file written with jhdf (readable by h5dump, h5py, HDFView).
 *
 * <h2>HDF5 layout</h2>
 * Units are SI throughout: velocities in m/s, phase-space density {@code f} in s^3/m^6, number density in 1/m^3.
 * Arrays are stored in C order (h5py shapes below); x is the fastest index everywhere.
 * <pre>
 * /                               attrs: format ("vdfc-export"), format_version (1), vdfc_version, created (ISO-8601 UTC),
 *                                        source_file, source_compressed (0|1), layout ("sparse"|"dense"),
 *                                        original_file (only with --original), units_velocity, units_f
 * /&lt;population&gt;/                  attrs: mesh_blocks int[3] (nx, ny, nz), wid, v_min double[3], v_max double[3],
 *                                        dv double[3] (m/s), min_value (sparsity threshold, s^3/m^6, NaN unknown),
 *                                        particle_mass (kg, NaN unknown), codec_settings (compressed inputs only)
 * /&lt;population&gt;/cell_&lt;ID&gt;/          attrs: cell_id (long), blocks (int); a cell with 0 blocks has nothing else
 *     block_ids     int[blocks]               Vlasiator global block IDs in stored order, gid = i + j*nx + k*nx*ny
 *   sparse layout (default):
 *     f             float[blocks][wid^3]       f[b][l], l = di + dj*wid + dk*wid^2; cell centre of (b, l) is
 *                                              v_min + ((i,j,k)(block_ids[b])*wid + (di,dj,dk) + 0.5) * dv
 *   dense layout (--dense): the cell on the bounding box of its blocks, 0 outside its blocks
 *     f             float[nz][ny][nx]          f[k][j][i] at (vx[i], vy[j], vz[k])
 *     vx, vy, vz    double[nx], [ny], [nz]     velocity-cell centres (m/s); attr box_origin int[3] in velocity cells
 *   moments/        n (1/m^3), V double[3] (bulk velocity, m/s), v_thermal (m/s),
 *                   P double[6] (xx, yy, zz, xy, xz, yz): sum f (v-V)(v-V) dV for unit mass, in m^-1 s^-2 per kg;
 *                   multiply by particle_mass for Pa (attr mass_factor says so)
 *   error/         (with --original ORIG) the input against ORIG, metrics.md definitions:
 *                   difference   same shape as f: f - f_original (blocks of ORIG absent from the input count only in
 *                                the metrics)
 *                   err_n, err_V, err_absV, err_P, L1, L2, max_abs (double), neg (long), err_P_diag double[3]
 *                   original_moments/  the moments of ORIG's cell, as in moments/
 * </pre>
 * h5py: {@code f = h5py.File("out.h5"); c = f["proton/cell_5"]; c["f"][...], c["moments/n"][()], c.attrs["cell_id"]}.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
    header = "Export cells' VDFs, velocity meshes, moments and errors to HDF5.",
    description = {"Export cells' VDFs (sparse blocks with their IDs, or densified on their bounding box), velocity mesh,",
        "moments and, with --original, the reconstruction error into an HDF5 file (h5py, h5dump, HDFView).",
        "The layout is documented in the class Javadoc of io.vdfc.cli.ExportCommand."})
public final class ExportCommand implements Callable<Integer> {
  /** Version of the layout above; bump it when a name or meaning changes. */
  public static final int FORMAT_VERSION = 1;

  static {
    // jhdf logs "Writing files is in alpha" on every write; the h5dump test checks our files instead.
    if (System.getProperty("org.slf4j.simpleLogger.log.io.jhdf") == null) {
      System.setProperty("org.slf4j.simpleLogger.log.io.jhdf", "error");
    }
  }

  @Parameters(index = "0", description = "VLSV file, plain or vdfc-compressed") Path in;
  @Parameters(index = "1", description = "HDF5 file to write (replaced if it exists)") Path out;
  @Option(names = "--cells", split = ",", paramLabel = "ID", description = "cell IDs to export (default: every cell with blocks)")
  List<Long> cells;
  @Option(names = "--population", description = "population (default: every population)") String population;
  @Option(names = "--dense", description = "store each cell densified on the bounding box of its blocks") boolean dense;
  @Option(names = "--original", paramLabel = "FILE", description = "original VLSV file: adds the error of IN against it")
  Path original;
  @Option(names = "--json", description = "print what was written as JSON") boolean json;
  @Option(names = {"-q", "--quiet"}, description = "no progress lines") boolean quiet;

  @Override
  public Integer call() throws Exception {
    OutputPaths.notNamedLikeVlsv(out, "output " + out, "an .h5 name (export writes HDF5)");
    OutputPaths.checkOutput(out, in, original);
    List<Object> written = new ArrayList<>();
    long[] values = {0}; // counted inside the write below
    try (VdfSource src = VdfSources.open(in); VdfSource orig = original == null ? null : VdfSources.open(original)) {
      Map<String, List<Long>> selection = new LinkedHashMap<>();
      src.choosePopulation(population); // a file without VDFs, or no such population: fail before anything is written
      for (String pop : population == null ? src.populations() : List.of(population)) {
        if (orig != null) {
          src.requireSameMesh(orig, pop);
        }
        selection.put(pop, selected(src, pop)); // unknown cells fail here, before anything is written
      }
      OutputPaths.writeThenRename(out, file -> {
        try (WritableHdfFile h5 = HdfFile.write(file)) {
          rootAttributes(h5, src);
          for (var e : selection.entrySet()) {
            String pop = e.getKey();
            WritableGroup g = h5.putGroup(pop);
            populationAttributes(g, src, pop);
            Progress progress = new Progress("export " + pop, e.getValue().size(), quiet);
            for (long id : e.getValue()) {
              CellVdf cell = src.cell(pop, id);
              CellVdf ref = orig == null ? null : orig.cell(pop, id);
              values[0] += writeCell(g.putGroup("cell_" + id), cell, ref);
              Map<String, Object> m = new LinkedHashMap<>();
              m.put("population", pop);
              m.put("cell", id);
              m.put("blocks", cell.blockCount());
              written.add(m);
              progress.advance(1);
            }
          }
        }
      });
    }
    if (json) {
      Map<String, Object> top = new LinkedHashMap<>();
      top.put("input", in.toString());
      top.put("output", out.toString());
      top.put("layout", dense ? "dense" : "sparse");
      top.put("bytes", Files.size(out));
      top.put("values", values[0]);
      top.put("cells", written);
      System.out.println(Json.write(top));
    } else {
      System.out.printf("%s -> %s: %d cells (%s, %d values), %d bytes%n", in, out, written.size(),
          dense ? "dense" : "sparse", values[0], Files.size(out));
    }
    return Vdfc.EXIT_OK;
  }

  private List<Long> selected(VdfSource src, String pop) throws java.io.IOException {
    List<Long> ids = new ArrayList<>();
    if (cells != null) {
      for (long id : cells) {
        if (ids.contains(id)) { // one group per cell: a repeat would be counted twice and written once
          throw new IllegalArgumentException("--cells " + cells.stream().map(String::valueOf)
              .collect(java.util.stream.Collectors.joining(",")) + ": cell " + id + " is listed twice; list each once");
        }
        src.cell(pop, id); // fails with "no cell ID" before anything is written
        ids.add(id);
      }
      return ids;
    }
    long[] all = src.cellIds(pop);
    for (int i = 0; i < all.length; i++) {
      if (src.cellAt(pop, i).blockCount() > 0) {
        ids.add(all[i]);
      }
    }
    return ids;
  }

  private void rootAttributes(WritableHdfFile h5, VdfSource src) {
    h5.putAttribute("format", "vdfc-export");
    h5.putAttribute("format_version", FORMAT_VERSION);
    h5.putAttribute("vdfc_version", "vdfc 0.1.0");
    h5.putAttribute("created", Instant.now().toString());
    h5.putAttribute("source_file", in.toAbsolutePath().normalize().toString());
    h5.putAttribute("source_compressed", src instanceof CompressedFile ? 1 : 0);
    h5.putAttribute("layout", dense ? "dense" : "sparse");
    if (original != null) {
      h5.putAttribute("original_file", original.toAbsolutePath().normalize().toString());
    }
    h5.putAttribute("units_velocity", "m/s");
    h5.putAttribute("units_f", "s^3/m^6");
  }

  private static void populationAttributes(WritableGroup g, VdfSource src, String pop) throws java.io.IOException {
    VelocityMesh m = src.mesh(pop);
    g.putAttribute("mesh_blocks", new int[] {m.nx(), m.ny(), m.nz()});
    g.putAttribute("wid", m.wid());
    g.putAttribute("v_min", new double[] {m.vxMin(), m.vyMin(), m.vzMin()});
    g.putAttribute("v_max", new double[] {m.vxMax(), m.vyMax(), m.vzMax()});
    g.putAttribute("dv", new double[] {m.dvx(), m.dvy(), m.dvz()});
    g.putAttribute("min_value", src.minValue(pop));
    g.putAttribute("particle_mass", src.particleMass(pop));
    if (src instanceof CompressedFile cf) {
      g.putAttribute("codec_settings", cf.population(pop).settings().strip());
    }
  }

  /** Writes one cell's group; returns the number of f values written. */
  private long writeCell(WritableGroup c, CellVdf cell, CellVdf ref) {
    c.putAttribute("cell_id", cell.cellId());
    c.putAttribute("blocks", cell.blockCount());
    if (cell.blockCount() == 0) {
      return 0; // an empty cell (selected by --cells): attributes only
    }
    c.putDataset("block_ids", cell.blockIds());
    long n;
    DenseBox box = DenseBox.of(cell);
    if (dense) {
      float[] d = box.toDense(cell.values());
      var f = c.putDataset("f", cube(d, box));
      f.putAttribute("units", "s^3/m^6");
      c.putDataset("vx", axis(box.nx, box::vx)).putAttribute("units", "m/s");
      c.putDataset("vy", axis(box.ny, box::vy)).putAttribute("units", "m/s");
      c.putDataset("vz", axis(box.nz, box::vz)).putAttribute("units", "m/s");
      c.putAttribute("box_origin", new int[] {box.x0, box.y0, box.z0});
      n = d.length;
    } else {
      var f = c.putDataset("f", rows(cell.values(), cell.blockCount(), cell.mesh().cellsPerBlock()));
      f.putAttribute("units", "s^3/m^6");
      n = cell.values().length;
    }
    moments(c.putGroup("moments"), Moments.of(cell));
    if (ref != null) {
      WritableGroup e = c.putGroup("error");
      float[] diff = difference(cell, ref);
      e.putDataset("difference", dense ? cube(box.toDense(diff), box) : rows(diff, cell.blockCount(), cell.mesh().cellsPerBlock()))
          .putAttribute("definition", "f - f_original");
      ErrorMetrics m = ErrorMetrics.compare(ref, cell);
      e.putDataset("err_n", m.errN());
      e.putDataset("err_V", m.errV());
      e.putDataset("err_absV", m.errAbsV());
      e.putDataset("err_P", m.errP());
      e.putDataset("err_P_diag", m.errPdiag());
      e.putDataset("L1", m.l1());
      e.putDataset("L2", m.l2());
      e.putDataset("max_abs", m.maxAbs());
      e.putDataset("neg", m.neg());
      e.putAttribute("definitions", "shared/notes/metrics.md: err_n=|n'-n|/n, err_V=|V'-V|/v_th, err_P=|P'-P|_F/|P|_F,"
          + " L1=sum|f'-f|/sum|f|, L2=|f'-f|_2/|f|_2, max_abs=max|f'-f|, neg=cells with f'<0<=f");
      moments(e.putGroup("original_moments"), m.original());
    }
    return n;
  }

  private static void moments(WritableGroup g, Moments m) {
    units(g.putDataset("n", m.n()), "1/m^3");
    units(g.putDataset("V", new double[] {m.vx(), m.vy(), m.vz()}), "m/s");
    units(g.putDataset("v_thermal", m.thermalSpeed()), "m/s (sqrt(trace P / 3n), unit mass)");
    var p = g.putDataset("P", m.pressure().clone());
    units(p, "kg^-1 Pa (unit mass)");
    p.putAttribute("components", "xx, yy, zz, xy, xz, yz");
    p.putAttribute("mass_factor", "multiply by the population's particle_mass (kg) for Pa");
  }

  private static void units(WritableNode node, String units) {
    node.putAttribute("units", units);
  }

  /** {@code f - f_original} on the blocks of {@code cell}; blocks the original lacks count as 0 there. */
  static float[] difference(CellVdf cell, CellVdf ref) {
    int per = cell.mesh().cellsPerBlock();
    Map<Integer, Integer> at = new java.util.HashMap<>();
    for (int b = 0; b < ref.blockCount(); b++) {
      at.put(ref.blockIds()[b], b);
    }
    float[] d = new float[cell.values().length];
    for (int b = 0; b < cell.blockCount(); b++) {
      Integer rb = at.get(cell.blockIds()[b]);
      for (int l = 0; l < per; l++) {
        d[b * per + l] = cell.values()[b * per + l] - (rb == null ? 0f : ref.values()[rb * per + l]);
      }
    }
    return d;
  }

  private static float[][] rows(float[] v, int blocks, int per) {
    float[][] r = new float[blocks][per];
    for (int b = 0; b < blocks; b++) {
      System.arraycopy(v, b * per, r[b], 0, per);
    }
    return r;
  }

  private static float[][][] cube(float[] d, DenseBox box) {
    float[][][] c = new float[box.nz][box.ny][box.nx];
    for (int k = 0; k < box.nz; k++) {
      for (int j = 0; j < box.ny; j++) {
        System.arraycopy(d, box.index(0, j, k), c[k][j], 0, box.nx);
      }
    }
    return c;
  }

  private static double[] axis(int n, java.util.function.IntToDoubleFunction v) {
    double[] a = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = v.applyAsDouble(i);
    }
    return a;
  }
}
