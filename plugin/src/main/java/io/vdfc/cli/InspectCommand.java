package io.vdfc.cli;

import io.vdfc.restart.CompressedFile;
import io.vdfc.restart.CompressedVlsv;
import io.vdfc.restart.VdfSources;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VdfSource;
import io.vdfc.vdf.VelocityMesh;
import io.vdfc.verify.NonVdfComparison;
import io.vdfc.vlsv.VlsvArray;
import io.vdfc.vlsv.VlsvFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vdfc inspect FILE}: what a VLSV file (plain or vdfc-compressed) holds. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = "Describe a VLSV file's populations, velocity meshes, VDF statistics and non-VDF arrays.")
public final class InspectCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "VLSV file") Path file;
  @Option(names = "--json", description = "print as JSON") boolean json;
  @Option(names = "--arrays", description = "list every non-VDF array (default: a count per tag)") boolean arrays;

  @Override
  public Integer call() throws Exception {
    Map<String, Object> top = new LinkedHashMap<>();
    top.put("file", file.toString());
    List<Object> pops = new ArrayList<>();
    try (VlsvFile f = VlsvFile.open(file); VdfSource src = VdfSources.open(file)) {
      top.put("bytes", f.size());
      top.put("compressed", src instanceof CompressedFile);
      for (String pop : src.populations()) {
        pops.add(population(src, pop, f));
      }
      top.put("populations", pops);
      List<Object> other = new ArrayList<>();
      Map<String, Integer> perTag = new LinkedHashMap<>();
      for (VlsvArray a : f.arrays()) {
        if (NonVdfComparison.isVdf(a)) {
          continue;
        }
        perTag.merge(a.tag(), 1, Integer::sum);
        if (arrays) {
          other.add(a.describe());
        }
      }
      top.put("non_vdf_arrays", arrays ? other : perTag);
    }
    if (json) {
      System.out.println(Json.write(top));
    } else {
      printText(top);
    }
    return Vdfc.EXIT_OK;
  }

  private static Map<String, Object> population(VdfSource src, String pop, VlsvFile f) throws Exception {
    VelocityMesh mesh = src.mesh(pop);
    long[] ids = src.cellIds(pop);
    long firstWithBlocks = -1;
    long withBlocks = 0, blocks = 0, neg = 0, zeroBlocks = 0, values = 0, belowThreshold = 0;
    double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY, density = 0;
    double minValue = src.minValue(pop);
    int per = mesh.cellsPerBlock();
    for (int i = 0; i < ids.length; i++) {
      CellVdf cell = src.cellAt(pop, i);
      if (cell.blockCount() > 0) {
        firstWithBlocks = withBlocks == 0 ? ids[i] : firstWithBlocks;
        withBlocks++;
      }
      blocks += cell.blockCount();
      float[] v = cell.values();
      for (int b = 0; b < cell.blockCount(); b++) {
        boolean allZero = true;
        for (int l = b * per; l < (b + 1) * per; l++) {
          float x = v[l];
          min = Math.min(min, x);
          max = Math.max(max, x);
          neg += x < 0 ? 1 : 0;
          allZero &= x == 0;
          belowThreshold += x < minValue ? 1 : 0;
          density += x;
        }
        zeroBlocks += allZero ? 1 : 0;
      }
      values += v.length;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", pop);
    m.put("cells", ids.length);
    m.put("cells_with_blocks", withBlocks);
    m.put("first_cell_with_blocks", withBlocks == 0 ? null : firstWithBlocks); // null: printed as "none"
    m.put("blocks", blocks);
    m.put("value_type", valueType(f, pop));
    m.put("mesh_blocks", List.of(mesh.nx(), mesh.ny(), mesh.nz()));
    m.put("wid", mesh.wid());
    m.put("v_min", List.of(mesh.vxMin(), mesh.vyMin(), mesh.vzMin()));
    m.put("v_max", List.of(mesh.vxMax(), mesh.vyMax(), mesh.vzMax()));
    m.put("dv", List.of(mesh.dvx(), mesh.dvy(), mesh.dvz()));
    m.put("ref_bytes", blocks * (4L * per + 4));
    if (src instanceof CompressedFile cf) {
      CompressedFile.Population p = cf.population(pop);
      long bytes = p.records().byteSize() + p.index().byteSize() + p.settings().length()
          + (p.model() == null ? 0 : p.model().byteSize());
      m.put("compressed_bytes", bytes);
      m.put("ratio", bytes == 0 ? 0.0 : (double) (blocks * (4L * per + 4)) / bytes);
      m.put("settings", p.settings().strip().replace('\n', ' '));
    }
    m.put("min", values == 0 ? null : min);
    m.put("max", values == 0 ? null : max);
    m.put("negative_values", neg);
    m.put("all_zero_blocks", zeroBlocks);
    m.put("min_value", Double.isNaN(minValue) ? null : minValue); // the file's CONFIG has none
    m.put("values_below_min_value", Double.isNaN(minValue) ? null : belowThreshold);
    m.put("sum_f_dV", density * mesh.cellVolume());
    return m;
  }

  private static String valueType(VlsvFile f, String pop) {
    return f.find(CompressedVlsv.BLOCKVARIABLE, Map.of("name", pop))
        .map(a -> "float" + 8 * a.dataSize())
        .orElseGet(() -> f.find(CompressedVlsv.RECORDS, Map.of("name", pop))
            .map(a -> "vdfc records (float" + 8 * Integer.parseInt(a.attr(CompressedVlsv.ATTR_VALUE_DATASIZE).orElse("4")) + ")")
            .orElse("?"));
  }

  @SuppressWarnings("unchecked")
  private static void printText(Map<String, Object> top) {
    System.out.printf("%s: %d bytes%s%n", top.get("file"), (Long) top.get("bytes"),
        Boolean.TRUE.equals(top.get("compressed")) ? " (vdfc-compressed)" : "");
    if (((List<Object>) top.get("populations")).isEmpty()) {
      System.out.println("populations: none (no VDFs: the footer has no BLOCKSPERCELL array)");
    }
    for (Object o : (List<Object>) top.get("populations")) {
      Map<String, Object> m = (Map<String, Object>) o;
      System.out.printf("population %s%n", m.get("name"));
      m.forEach((k, v) -> {
        if (!k.equals("name")) {
          // a ratio to two decimals, as every other table prints it (the JSON keeps every digit); null: not known
          Object shown = v == null ? "none"
              : k.equals("ratio") ? String.format(java.util.Locale.ROOT, "%.2f", (Double) v) : v;
          System.out.printf("  %-22s %s%n", k, shown);
        }
      });
    }
    System.out.println("non-VDF arrays: " + top.get("non_vdf_arrays"));
  }
}
