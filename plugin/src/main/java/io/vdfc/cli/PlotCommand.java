package io.vdfc.cli;

import io.vdfc.metrics.ErrorMetrics;
import io.vdfc.plot.SliceFigure;
import io.vdfc.restart.CompressedFile;
import io.vdfc.restart.VdfSources;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VdfSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vdfc plot IN [CANDIDATE] --cell ID --out FILE.png}: the three central slices of a cell's VDF on a log colour
 * scale, beside its reconstruction from CANDIDATE and the error map (see {@link SliceFigure}). Runs headless.
 */
@Command(name = "plot", mixinStandardHelpOptions = true,
    header = "Draw a cell's VDF slices beside its reconstruction and the error map (PNG).",
    description = {"Draw the three central slices (vx-vy, vx-vz, vy-vz) of one cell's VDF on a log colour scale from",
        "the sparsity threshold to the peak; with CANDIDATE (plain or vdfc-compressed) also its reconstruction on the",
        "same scale and the error |f'-f|, titled with the cell's error metrics. Writes a PNG."})
public final class PlotCommand implements Callable<Integer> {
  static {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  @Parameters(index = "0", description = "original VLSV file (plain or vdfc-compressed)") Path in;
  @Parameters(index = "1", arity = "0..1", description = "candidate to compare, e.g. the compressed file") Path candidate;
  @Option(names = "--cell", required = true, paramLabel = "ID", description = "spatial cell ID") long cellId;
  @Option(names = "--out", required = true, paramLabel = "FILE.png", description = "PNG file to write") Path out;
  @Option(names = "--population", description = "population (default: the first)") String population;
  @Option(names = "--centre", defaultValue = "peak", paramLabel = "peak|bulk",
      description = "slices through the peak or the bulk velocity (default ${DEFAULT-VALUE})") String centre;
  @Option(names = "--json", description = "print the cell's figures as JSON") boolean json;

  @Override
  public Integer call() throws Exception {
    SliceFigure.Centre where = switch (centre.toLowerCase()) {
      case "peak" -> SliceFigure.Centre.PEAK;
      case "bulk" -> SliceFigure.Centre.BULK;
      default -> throw new IllegalArgumentException("--centre " + centre + ": expected peak or bulk");
    };
    OutputPaths.checkOutput(out, in, candidate);
    OutputPaths.notNamedLikeVlsv(out, "--out " + out + ":", "a .png name (plot writes PNG)");
    CellVdf a;
    CellVdf b = null;
    String pop;
    double minValue;
    String settings = null;
    // both open at once: the candidate's mesh is checked against the input's without opening the input again
    try (VdfSource src = VdfSources.open(in); VdfSource other = candidate == null ? null : VdfSources.open(candidate)) {
      pop = src.choosePopulation(population);
      a = src.cell(pop, cellId);
      minValue = src.minValue(pop);
      if (other != null) {
        other.choosePopulation(pop);
        src.requireSameMesh(other, pop);
        b = other.cell(pop, cellId);
        if (other instanceof CompressedFile cf) {
          settings = cf.population(pop).settings().strip().replace('\n', ' ');
        }
      }
    }
    if (a.blockCount() == 0) {
      throw new IllegalArgumentException(in + ": cell " + cellId + " of " + pop + " has no blocks, nothing to draw");
    }
    ErrorMetrics m = b == null ? null : ErrorMetrics.compare(a, b);
    List<String> header = new ArrayList<>();
    header.add(String.format("cell %d, population %s: %s", cellId, pop, in.getFileName()));
    if (b != null) {
      header.add("reconstruction: " + candidate.getFileName() + (settings == null ? "" : " [" + settings + "]"));
      header.add(String.format("err_n %.2e   err_V %.2e   err_P %.2e   L1 %.2e   L2 %.2e   max|f'-f| %.2e   neg %d",
          m.errN(), m.errV(), m.errP(), m.l1(), m.l2(), m.maxAbs(), m.neg()));
    }
    SliceFigure.Result r = SliceFigure.render(a, b, minValue, where, header);
    double[] v = velocity(a, r.centre());
    // The centre is known only after rendering; the caption goes on a second pass (cheap) so it can name it.
    header.add(String.format("slices through the %s at (%.0f, %.0f, %.0f) km/s; colour: log10 f from %s to the peak %.2e",
        where == SliceFigure.Centre.PEAK ? "peak" : "bulk velocity", v[0] / 1e3, v[1] / 1e3, v[2] / 1e3,
        minValue > 0 ? String.format("minValue %.0e", minValue) : "1e-6 x peak", a.peak()));
    r = SliceFigure.render(a, b, minValue, where, header);
    SliceFigure.Result image = r; // the lambda needs an effectively final name
    OutputPaths.writeThenRename(out, file -> {
      if (!ImageIO.write(image.image(), "png", file.toFile())) {
        throw new IllegalStateException("no PNG writer in this JVM");
      }
    });
    Map<String, Object> top = new LinkedHashMap<>();
    top.put("output", out.toString());
    top.put("width", r.image().getWidth());
    top.put("height", r.image().getHeight());
    top.put("cell", cellId);
    top.put("population", pop);
    top.put("centre_kmps", List.of(v[0] / 1e3, v[1] / 1e3, v[2] / 1e3));
    if (m != null) {
      top.put("err_n", m.errN());
      top.put("err_V", m.errV());
      top.put("err_P", m.errP());
      top.put("L1", m.l1());
      top.put("L2", m.l2());
      top.put("max_abs", m.maxAbs());
      top.put("neg", m.neg());
    }
    if (json) {
      System.out.println(Json.write(top));
    } else {
      System.out.printf("%s: cell %d of %s, %dx%d px%n", out, cellId, pop, r.image().getWidth(), r.image().getHeight());
    }
    return Vdfc.EXIT_OK;
  }

  private static double[] velocity(CellVdf cell, int[] c) {
    var mesh = cell.mesh();
    return new double[] {mesh.vxMin() + (c[0] + 0.5) * mesh.dvx(), mesh.vyMin() + (c[1] + 0.5) * mesh.dvy(),
        mesh.vzMin() + (c[2] + 0.5) * mesh.dvz()};
  }
}
