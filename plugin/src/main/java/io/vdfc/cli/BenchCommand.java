package io.vdfc.cli;

import io.vdfc.bench.BenchSubject;
import io.vdfc.bench.Benchmark;
import io.vdfc.bench.PipelineSubject;
import io.vdfc.bench.ZfpPeerSubject;
import io.vdfc.codec.Tolerance;
import io.vdfc.compress.CompressionSettings;
import io.vdfc.peer.zfp.ZfpPeer;
import io.vdfc.restart.VdfSources;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VdfSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vdfc bench FILE}: ratio, errors and single-core speed of codecs beside the real zfp, measured in one run. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    header = "Measure codecs' ratio, errors and speed on a file's cells, beside the real zfp.",
    description = {"Measure codecs on the cells of a VLSV file: ratio (every byte needed to decode, against float32 +",
        "4-byte block IDs), every error metric (max over cells, density-weighted mean) and single-core compress and",
        "decompress MB/s (median of --repeats timed passes). The real zfp library (Debian libzfp, in-process) is",
        "measured on the same blocks in the same run; vdfc rows show their ratio and speed as multiples of it, the",
        "speed as the median of pass-by-pass ratios, each vdfc pass timed right after a zfp pass."})
public final class BenchCommand implements Callable<Integer> {
  @Parameters(index = "0", arity = "0..1", description = "VLSV file with VDFs (not with --study)") Path file;
  @Option(names = "--study", description = {"Reproduce the method study's table on its VDF (study-vdf/vdfData.bin,",
      "50^3 float32 = 500,000 B reference): one row per method, at the study's L2 and at --l2-target"}) boolean study;
  @Option(names = "--study-vdf", description = "the study VDF (default: ../shared/data/study-vdf/vdfData.bin, found upwards)")
  Path studyVdf;
  @Option(names = "--restart", description = {"real restart for per-cell decode times and shared-model ratios",
      "(default: ../shared/data/ipshock/restart.0000100.vlsv, found upwards; 'none' to skip)"}) String restart;
  @Option(names = "--l2-target", defaultValue = "0.032", description = "common L2 every row is also measured at (default ${DEFAULT-VALUE}, zfp's row)")
  double l2Target;
  @Option(names = "--iterations", defaultValue = "12", description = "bisection steps per tolerance search (default ${DEFAULT-VALUE})")
  int iterations;
  @Option(names = "--png", description = "also write the ratio-vs-L2 plot of every method to this PNG") Path png;
  @Option(names = "--codecs", split = ",", defaultValue = "zfpb,deflate,zstd", description = "codecs (default ${DEFAULT-VALUE})")
  List<String> codecs;
  @Option(names = "--tolerances", split = ",", defaultValue = "1*minValue,0.5*minValue",
      description = "tolerance specs for lossy codecs (default ${DEFAULT-VALUE})")
  List<String> tolerances;
  @Option(names = "--conserve", defaultValue = "on", description = "conserve moments in lossy rows: on|off|both (default ${DEFAULT-VALUE})") String conserve;
  @Option(names = "--population", description = "population (default: the first)") String population;
  @Option(names = {"--stride", "--cells"}, defaultValue = "0", paramLabel = "K",
      description = "use every K-th cell only to shorten the run (default ${DEFAULT-VALUE}: all; --cells is the old name)") int stride;
  @Option(names = "--repeats", defaultValue = "5", description = "timed passes; the median is reported (default ${DEFAULT-VALUE})") int repeats;
  @Option(names = "--json", description = "print as JSON") boolean json;

  @Override
  public Integer call() throws Exception {
    if (repeats < 1) {
      throw new IllegalArgumentException("--repeats " + repeats + ": give at least 1 timed pass");
    }
    if (!List.of("on", "off", "both").contains(conserve)) {
      throw new IllegalArgumentException("--conserve " + conserve + ": expected on, off or both");
    }
    if (stride < 0) {
      throw new IllegalArgumentException("--stride " + stride + ": give 0 (every cell) or a positive K");
    }
    // every codec and tolerance named is checked before the first timed pass
    for (String name : codecs) {
      try {
        io.vdfc.codec.CodecRegistry.get().byName(name);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--codecs " + name + ": " + e.getMessage(), e);
      }
    }
    for (String tolSpec : tolerances) {
      try {
        Tolerance.parse(tolSpec);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--tolerances " + tolSpec + ": " + e.getMessage(), e);
      }
    }
    if (study) {
      return new StudyCommandPart(this).run();
    }
    if (file == null) {
      throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "give a VLSV file, or --study");
    }
    List<CellVdf> cells = new ArrayList<>();
    double minValue;
    String pop;
    try (VdfSource src = VdfSources.open(file)) {
      pop = src.choosePopulation(population);
      minValue = src.minValue(pop);
      long[] ids = src.cellIds(pop);
      for (int i = 0; i < ids.length; i += Math.max(1, stride)) {
        cells.add(src.cellAt(pop, i));
      }
    }
    Benchmark bench = new Benchmark(cells, minValue, repeats);
    List<Map<String, Object>> rows = new ArrayList<>();
    boolean peer = ZfpPeer.available();
    for (String tolSpec : tolerances) {
      Tolerance tol = Tolerance.parse(tolSpec);
      ZfpPeerSubject zfpSubject = peer ? new ZfpPeerSubject(tol) : null;
      Benchmark.Row zfp = peer ? bench.run(zfpSubject) : null;
      if (zfp != null) {
        rows.add(row(zfp, null, tolSpec));
      }
      for (String name : codecs) {
        CompressionSettings s = CompressCommand.settings(name, null, tolSpec, "off");
        if (s.codec().lossless()) {
          continue;
        }
        for (boolean on : conserveModes()) {
          rows.add(row(bench.run(subject(name, tolSpec, on, cells, minValue), zfpSubject), zfp, tolSpec));
        }
        if (zfp != null && zfp.errors().max(5) > 0) {
          // The same codec asked for the error zfp actually achieved: compared at equal max_abs.
          String atZfp = Double.toString(zfp.errors().max(5));
          Map<String, Object> r = row(bench.run(subject(name, atZfp, true, cells, minValue), zfpSubject), zfp, atZfp);
          r.put("label", r.get("label") + " (=zfp max_abs)");
          rows.add(r);
        }
      }
    }
    for (String name : codecs) {
      CompressionSettings s = CompressCommand.settings(name, null, "1", "off");
      if (s.codec().lossless()) {
        rows.add(row(bench.run(new PipelineSubject(s, minValue)), null, "lossless"));
      }
    }
    print(rows, pop, cells.size(), peer);
    return Vdfc.EXIT_OK;
  }

  private boolean[] conserveModes() {
    return switch (conserve) {
      case "both" -> new boolean[] {false, true};
      case "off" -> new boolean[] {false};
      default -> new boolean[] {true};
    };
  }

  private static BenchSubject subject(String codec, String tol, boolean conserve, List<CellVdf> cells, double minValue) {
    return new PipelineSubject(CompressCommand.settings(codec, null, tol, conserve ? "on" : "off"), cells, minValue);
  }

  private static Map<String, Object> row(Benchmark.Row r, Benchmark.Row zfp, String tol) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("label", r.label());
    m.put("tolerance", tol);
    m.put("ref_bytes", r.referenceBytes());
    m.put("compressed_bytes", r.compressedBytes());
    m.put("ratio", r.ratio());
    m.put("max_abs", r.errors().max(5));
    m.put("err_n_max", r.errors().max(0));
    m.put("err_V_max", r.errors().max(1));
    m.put("err_P_max", r.errors().max(2));
    m.put("L1_max", r.errors().max(3));
    m.put("L2_max", r.errors().max(4));
    m.put("compress_MBps", r.compressMBps());
    m.put("decompress_MBps", r.decompressMBps());
    if (zfp != null) {
      m.put("ratio_vs_zfp", r.ratio() / zfp.ratio());
      // measured pass by pass against zfp passes run alternately with this row's (Benchmark.run(subject, peer))
      m.put("compress_speed_vs_zfp", r.compressVsPeer());
      m.put("decompress_speed_vs_zfp", r.decompressVsPeer());
    }
    return m;
  }

  private void print(List<Map<String, Object>> rows, String pop, int cells, boolean peer) {
    if (json) {
      Map<String, Object> top = new LinkedHashMap<>();
      top.put("file", file.toString());
      top.put("population", pop);
      top.put("cells", cells);
      top.put("zfp_peer", peer ? "libzfp (in-process, JavaCPP)" : "unavailable: " + ZfpPeer.unavailableReason());
      top.put("rows", rows);
      System.out.println(Json.write(top));
      return;
    }
    System.out.printf("%s, %s, %d cells; single core; MB/s of reference bytes (float32 + 4-byte IDs)%n", file, pop, cells);
    if (!peer) {
      System.out.println("zfp peer unavailable: " + ZfpPeer.unavailableReason());
    }
    int width = 32; // the codec column fits the longest label (one at zfp's achieved max_abs is long)
    for (Map<String, Object> m : rows) {
      width = Math.max(width, m.get("label").toString().length());
    }
    String codecColumn = "%-" + width + "s";
    System.out.printf(codecColumn + " %10s %7s %10s %9s %9s %9s %9s %9s %9s %7s %7s%n", "codec", "bytes", "ratio", "max_abs",
        "err_n", "err_V", "err_P", "L2", "comp MB/s", "dec MB/s", "x zfp", "spd x");
    for (Map<String, Object> m : rows) {
      System.out.printf(codecColumn + " %10d %7.2f %10.3e %9.2e %9.2e %9.2e %9.2e %9.1f %9.1f %7s %7s%n", m.get("label"),
          (Long) m.get("compressed_bytes"), (Double) m.get("ratio"), (Double) m.get("max_abs"), (Double) m.get("err_n_max"),
          (Double) m.get("err_V_max"), (Double) m.get("err_P_max"), (Double) m.get("L2_max"),
          (Double) m.get("compress_MBps"), (Double) m.get("decompress_MBps"),
          m.containsKey("ratio_vs_zfp") ? String.format("%.2f", (Double) m.get("ratio_vs_zfp")) : "",
          m.containsKey("compress_speed_vs_zfp") ? String.format("%.2f", (Double) m.get("compress_speed_vs_zfp")) : "");
    }
  }
}
