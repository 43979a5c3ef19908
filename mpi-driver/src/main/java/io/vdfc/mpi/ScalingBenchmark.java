package io.vdfc.mpi;

import io.vdfc.bench.Benchmark;
import io.vdfc.cli.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scaling benchmark of the restart pipeline (run it with {@code mpi-driver/bin/vdfc-scaling}). For each rank count
 * (default 1 and 2) it launches {@code vdfc-mpirun -np N scaling-passes}: the ranks start once, run untimed warm-up
 * passes, then at least 5 timed passes of the whole {@code restart compress --threads 1} (decision, encoding, write,
 * report) bracketed by barriers, then the same for {@code restart decompress} ({@link ScalingPasses}). JVM start-up,
 * class loading and JIT warm-up are thus outside the figures, as metrics.md asks ("wall clock of the work alone, median
 * of >= 5 runs"); the warm-up's own cost is printed apart. The rank counts are launched in turn, {@code --launches}
 * times each (default 3), and every figure is a median over the timed passes of all launches of a rank count: each
 * launch is a new JVM whose JIT compiles the codec its own way (on the real restart four 1-rank launches minutes apart
 * ran their passes in 0.258-0.362 s, while each launch's own passes stayed within a few %), so one launch per rank
 * count measured two JVMs' luck as much as the scaling. It prints:
 *
 * <ul>
 *   <li>the cores available and kept busy, the load average around each run, each rank's share of the cells' blocks;
 *   <li>per rank count the median pass time and phase times, and the parallel efficiency {@code T1 / (N TN)} of the
 *       medians; beside it the machine's own ceiling for 2, measured in the 1-rank launches ({@link MachineCeiling}:
 *       the same per-cell work on 1 and 2 plain threads, no MPI), and vdfc's efficiency as a share of it;
 *   <li>the decision phase's median share of the pass time ({@code codec = auto}): its own cost, and as run (with the
 *       chosen codec's trial records, which the encoding reuses; see {@link io.vdfc.restart.VlsvCompressor.Phases}),
 *       the first (cold) pass apart; and on 1 rank the median pass time with the chosen codec fixed;
 *   <li>the write bandwidth of the vdfc writer alone (its write phase: layout, copies, records, checksums, sync, rename)
 *       for the compressed file and the restored restart, against a plain sequential write of the same number of bytes
 *       to the same directory with the same durability (data sync and atomic rename, no directory sync), timed by
 *       rank 0 after each pass: the ratio of the medians.
 * </ul>
 */
public final class ScalingBenchmark {
  private final Path mpirun;
  private final Path restart;
  private final Path config;
  private final Path work;
  private final int passes;
  private final int warmup;
  private final int otherWarmup;
  private final int[] ranks;
  private final int launches;
  private final boolean json;

  private ScalingBenchmark(Path mpirun, Path restart, Path config, Path work, int passes, int warmup,
      int otherWarmup, int[] ranks, int launches, boolean json) {
    this.mpirun = mpirun;
    this.restart = restart;
    this.config = config;
    this.work = work;
    this.passes = passes;
    this.warmup = warmup;
    this.otherWarmup = otherWarmup;
    this.ranks = ranks;
    this.launches = launches;
    this.json = json;
  }

  /**
   * {@code ScalingBenchmark --mpirun PATH --restart FILE [--config CFG] [--work DIR] [--passes K] [--warmup W]
   * [--other-warmup W2] [--ranks 1,2] [--launches L] [--json]}: see the class comment.
   */
  public static void main(String[] args) throws Exception {
    Path mpirun = null, restart = null, config = null, work = Path.of("out/scaling");
    // 300 warm-up passes of the compression: with 3, the JIT was still compiling through the timed passes
    // (-XX:+PrintCompilation: hundreds of compilations a second), on the idle second core for 1 rank (busy cores 1.24)
    // but against the ranks for 2; with 10, methods that run once a pass (the decision's trials, the writer) were still
    // moving from C1 to C2 (JIT 0.10 s a pass on 2 ranks); with 30, 0.015-0.03 s a pass, 10-20 compilations a second
    // of code that runs a few times a pass (the JDK's NIO and XML parser, zstd, EJML, the writer), whose invocation
    // counts reach C2's thresholds only after hundreds of passes: 6-13 % of a 2-rank pass taken from a rank; with 300,
    // 0.002-0.007 s. The warm-up's cost is printed apart. The fixed codec's and the decompression's passes follow in
    // the same JVM and are no target: 30 (--other-warmup).
    int passes = 7, warmup = 300, otherWarmup = 30;
    int[] ranks = {1, 2};
    // 3 launches per rank count: the same passes ran 0.258-0.362 s on 1 rank in four launches minutes apart (each
    // JVM's JIT compiles the codec differently; within a launch the passes stay within a few %), so one launch per
    // rank count made the efficiency a draw between two JVMs (0.76-1.17 in six runs of the same code)
    int launches = 3;
    boolean json = false;
    for (int i = 0; i < args.length; i++) {
      String v = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--mpirun" -> mpirun = Path.of(need(v, args[i++]));
        case "--restart" -> restart = Path.of(need(v, args[i++]));
        case "--config" -> config = Path.of(need(v, args[i++]));
        case "--work" -> work = Path.of(need(v, args[i++]));
        case "--passes" -> passes = Integer.parseInt(need(v, args[i++]));
        case "--warmup" -> warmup = Integer.parseInt(need(v, args[i++]));
        case "--other-warmup" -> otherWarmup = Integer.parseInt(need(v, args[i++]));
        case "--ranks" -> ranks = Arrays.stream(need(v, args[i++]).split(",")).mapToInt(Integer::parseInt).toArray();
        case "--launches" -> launches = Integer.parseInt(need(v, args[i++]));
        case "--json" -> json = true;
        default -> throw new IllegalArgumentException("unknown argument " + args[i] + "; usage: --mpirun PATH --restart"
            + " FILE [--config CFG] [--work DIR] [--passes K] [--warmup W] [--other-warmup W2] [--ranks 1,2]"
            + " [--launches L] [--json]");
      }
    }
    if (mpirun == null || restart == null) {
      throw new IllegalArgumentException("--mpirun and --restart are required");
    }
    if (passes < 5) {
      throw new IllegalArgumentException("--passes " + passes + ": the median needs at least 5 timed passes");
    }
    if (launches < 1) {
      throw new IllegalArgumentException("--launches " + launches + ": at least 1");
    }
    if (ranks.length == 0 || ranks[0] != 1) {
      throw new IllegalArgumentException("--ranks must start with 1 (the efficiency is against 1 rank)");
    }
    Files.createDirectories(work);
    new ScalingBenchmark(mpirun, restart, config, work, passes, Math.max(0, warmup), Math.max(0, otherWarmup), ranks,
        launches, json).run();
  }

  private static String need(String v, String option) {
    if (v == null) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return v;
  }

  /**
   * One rank count's {@code scaling-passes} launches: each launch's flat JSON report. A list is every launch's values
   * in launch order (so a median is over all timed passes of all launches); a single number is the median over the
   * launches.
   */
  private record Run(int ranks, List<String> launches) {
    List<Double> list(String key) {
      List<Double> out = new ArrayList<>();
      for (String json : launches) {
        out.addAll(list(json, key));
      }
      return out;
    }

    static List<Double> list(String json, String key) {
      Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\": \\[([^\\]]*)\\]").matcher(json);
      if (!m.find()) {
        throw new IllegalStateException("no list \"" + key + "\" in the ranks' report:\n" + json);
      }
      List<Double> out = new ArrayList<>();
      for (String s : m.group(1).split(",")) {
        if (!s.isBlank()) {
          out.add(Double.parseDouble(s.trim()));
        }
      }
      return out;
    }

    /** The median of {@code key} in each launch, in launch order. */
    List<Double> perLaunch(String key) {
      List<Double> out = new ArrayList<>();
      for (String json : launches) {
        out.add(ScalingBenchmark.median(list(json, key)));
      }
      return out;
    }

    double number(String key) {
      List<Double> values = new ArrayList<>();
      for (String json : launches) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\": (-?[0-9.eE+-]+)").matcher(json);
        if (!m.find()) {
          throw new IllegalStateException("no number \"" + key + "\" in the ranks' report:\n" + json);
        }
        values.add(Double.parseDouble(m.group(1)));
      }
      return ScalingBenchmark.median(values);
    }

    /** From the first launch that has it. */
    String text(String key) {
      for (String json : launches) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\": \"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
        if (m.find()) {
          return m.group(1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
      }
      return "";
    }

    /** The texts of {@code key} of all launches, joined. */
    String texts(String key) {
      List<String> out = new ArrayList<>();
      for (String json : launches) {
        out.add(new Run(ranks, List.of(json)).text(key));
      }
      return String.join(" | ", out);
    }

    boolean has(String key) {
      return launches.stream().anyMatch(json -> json.contains("\"" + key + "\":"));
    }

    /** Only the launches that have {@code key}. */
    Run with(String key) {
      return new Run(ranks, launches.stream().filter(json -> json.contains("\"" + key + "\":")).toList());
    }

    double median(String key) {
      return ScalingBenchmark.median(list(key));
    }
  }

  private void run() throws Exception {
    System.out.printf(Locale.ROOT, "vdfc scaling benchmark: %s (%.1f MB)%s%n", restart, Files.size(restart) / 1e6,
        config == null ? ", compress defaults" : ", --config " + config);
    System.out.printf(Locale.ROOT, "machine: %d cores available to the JVM; load average %s before the runs%n",
        Runtime.getRuntime().availableProcessors(), ScalingPasses.loadAverage());
    System.out.printf(Locale.ROOT, "protocol: %d launch%s per rank count, the rank counts alternating; per launch %d"
        + " untimed warm-up pass%s, then %d timed passes bracketed by barriers (%d warm-ups before the fixed codec's"
        + " and the decompression's); figures are medians over the timed passes of all launches; 1 thread per rank%n",
        launches, launches == 1 ? "" : "es", warmup, warmup == 1 ? "" : "es", passes, otherWarmup);
    List<List<String>> reports = new ArrayList<>();
    for (int n : ranks) {
      reports.add(new ArrayList<>());
    }
    for (int l = 0; l < launches; l++) {
      for (int k = 0; k < ranks.length; k++) {
        reports.get(k).add(launch(ranks[k], ranks[k] == 1 && config != null && l == 0, l));
      }
    }
    List<Run> runs = new ArrayList<>();
    for (int k = 0; k < ranks.length; k++) {
      runs.add(new Run(ranks[k], reports.get(k)));
    }
    Run one = runs.get(0);
    System.out.println("the ranks' JVM flags: " + jvmFlags(runs) + " (vdfc-mpirun: VDFC_JAVA_OPTS, default -Xmx4g, "
        + "after -XX:+UseParallelGC unless they name a collector)");

    System.out.println();
    System.out.printf(Locale.ROOT, "%-5s %-11s %-14s %9s %9s %19s %9s %9s %9s %s%n", "ranks", "busy_cores", "load_avg",
        "pass_s", "decide_s", "encode_s(max/min)", "write_s", "report_s", "other_s", "blocks_per_rank");
    for (Run r : runs) {
      double total = r.median("compress_total_s");
      double decide = r.median("compress_decide_s");
      double encode = r.median("compress_encode_max_s");
      double write = r.median("compress_write_s");
      double report = r.median("compress_report_s");
      System.out.printf(Locale.ROOT, "%-5d %-11.2f %-14s %9.3f %9.4f %9.3f/%-9.3f %9.4f %9.4f %9.4f %s%n", r.ranks,
          r.number("compress_busy_cores"), r.text("load_average_end"), total, decide, encode,
          r.median("compress_encode_min_s"), write, report, total - decide - encode - write - report,
          Run.list(r.launches().get(0), "partition_blocks").stream().map(d -> Long.toString(d.longValue())).toList());
    }
    System.out.println("(medians; busy_cores: process CPU time over wall time of the timed passes, JIT and GC"
        + " included; other_s: opening the restart, waiting for the slowest rank, barriers; blocks_per_rank: blocks + 1"
        + " per cell each rank held in the first launch's last timed pass, which follow the ranks' speed)");
    for (Run r : runs.subList(1, runs.size())) {
      double t1 = one.median("compress_total_s");
      double tn = r.median("compress_total_s");
      System.out.printf(Locale.ROOT, "parallel efficiency T1/(%d*T%d): %.3f / (%d * %.3f) = %.2f (target >= 0.85;"
          + " speed-up %.2f)%n", r.ranks, r.ranks, t1, r.ranks, tn, t1 / (r.ranks * tn), t1 / tn);
      if (launches > 1) {
        System.out.printf(Locale.ROOT, "  per launch: pass %s s on 1 rank, %s s on %d; efficiency of launch l against"
            + " launch l: %s%n", seconds(one.perLaunch("compress_total_s")), seconds(r.perLaunch("compress_total_s")),
            r.ranks, efficiencies(one.perLaunch("compress_total_s"), r.perLaunch("compress_total_s"), r.ranks));
      }
    }
    if (one.has("ceiling_one_thread_s") && runs.size() > 1 && runs.get(1).ranks == 2) {
      double e = ceiling(one);
      double vdfc = one.median("compress_total_s") / (2 * runs.get(1).median("compress_total_s"));
      System.out.printf(Locale.ROOT, "  the machine's ceiling, measured in the 1-rank launches: the chosen codec's"
          + " per-cell work (read, encode, budgets) of every cell on 1 thread vs 2 block-balanced halves on 2 threads,"
          + " one JVM, no MPI, decision or write: %.3f / (2 * %.3f) = %.2f (per launch: %s); vdfc's efficiency is %.2f"
          + " of it%n", one.median("ceiling_one_thread_s"), one.median("ceiling_two_threads_s"), e,
          efficiencies(one.perLaunch("ceiling_one_thread_s"), one.perLaunch("ceiling_two_threads_s"), 2), vdfc / e);
    }
    for (Run r : runs.subList(1, runs.size())) {
      double c1 = one.number("compress_cpu_per_pass_s");
      double cn = r.number("compress_cpu_per_pass_s");
      System.out.printf(Locale.ROOT, "  (not the target, a load-independent hint: process CPU per pass %.3f s on 1 rank,"
          + " %.3f s on %d: the ranks together do %.2fx the work of one; GC %.3f vs %.3f s, JIT %.3f vs %.3f s per"
          + " pass)%n", c1, cn, r.ranks, cn / c1, one.number("compress_gc_per_pass_s"), r.number("compress_gc_per_pass_s"),
          one.number("compress_jit_per_pass_s"), r.number("compress_jit_per_pass_s"));
    }
    if (warmup > 0) {
      for (Run r : runs) {
        double w = r.number("compress_warmup_s");
        System.out.printf(Locale.ROOT, "warm-up, one-time and in no figure above, %d rank%s: the %d untimed passes took"
            + " %.1f s, %.1f s more than %d passes at the timed median; the JIT compiled for %.1f s during them%n",
            r.ranks, r.ranks == 1 ? "" : "s", warmup, w, w - warmup * r.median("compress_total_s"), warmup,
            r.number("compress_warmup_jit_s"));
      }
    }
    for (Run r : runs) {
      System.out.printf(Locale.ROOT, "decision phase share, %d rank%s: median %.2f%% of the pass (per pass: %s) (target"
          + " < 5%%); as run, with the chosen codec's reused trial records: %.2f%%; first, cold pass: %.1f%% (as run"
          + " %.1f%%) of %.3f s%n", r.ranks, r.ranks == 1 ? "" : "s", 100 * median(shares(r, "compress_decide_s")),
          percents(shares(r, "compress_decide_s")), 100 * median(shares(r, "compress_decide_raw_s")),
          100 * r.number("compress_first_decide_s") / r.number("compress_first_total_s"),
          100 * r.number("compress_first_decide_raw_s") / r.number("compress_first_total_s"),
          r.number("compress_first_total_s"));
    }
    if (one.has("fixed_total_s")) {
      Run first = one.with("fixed_total_s"); // the first launch: the fixed codec's passes ran in its JVM only
      double auto = first.median("compress_total_s");
      double fixed = first.median("fixed_total_s");
      System.out.printf(Locale.ROOT, "auto vs the chosen codec fixed (1 rank, first launch, --codec %s): %.3f s vs"
          + " %.3f s median (%+.1f%%)%n", one.text("fixed_codec"), auto, fixed, 100 * (auto - fixed) / fixed);
    }
    System.out.println("decision: " + one.text("decision"));
    System.out.println("write bandwidth, vdfc writer alone vs a plain sequential write of as many bytes to the same"
        + " directory, both with data sync + atomic rename (no directory sync); medians:");
    for (Run r : runs) {
      bandwidth(r, "compressed file", "compress_bytes", "compress_write_s", "compress_plain_write_s");
    }
    for (Run r : runs) {
      bandwidth(r, "restored restart", "restored_bytes", "restored_write_s", "restored_plain_write_s");
    }
    System.out.println("(write target: >= 0.8x the plain write)");
    if (json) {
      System.out.println(Json.write(summary(runs)));
    }
  }

  /** The {@link MachineCeiling}'s efficiency, 1 thread against 2, over the timed turns of every 1-rank launch. */
  private static double ceiling(Run one) {
    return one.median("ceiling_one_thread_s") / (2 * one.median("ceiling_two_threads_s"));
  }

  private static String seconds(List<Double> values) {
    return String.join(" ", values.stream().map(v -> String.format(Locale.ROOT, "%.3f", v)).toList());
  }

  private static String efficiencies(List<Double> t1, List<Double> tn, int n) {
    List<String> out = new ArrayList<>();
    for (int l = 0; l < Math.min(t1.size(), tn.size()); l++) {
      out.add(String.format(Locale.ROOT, "%.2f", t1.get(l) / (n * tn.get(l))));
    }
    return String.join(" ", out);
  }

  private static List<Double> shares(Run r, String key) {
    List<Double> decide = r.list(key);
    List<Double> total = r.list("compress_total_s");
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < decide.size(); i++) {
      out.add(decide.get(i) / total.get(i));
    }
    return out;
  }

  private static String percents(List<Double> shares) {
    StringBuilder sb = new StringBuilder();
    for (double s : shares) {
      sb.append(sb.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.1f", 100 * s));
    }
    return sb.toString();
  }

  private static void bandwidth(Run r, String what, String bytesKey, String vdfcKey, String plainKey) {
    double mb = r.number(bytesKey) / 1e6;
    double vdfc = r.median(vdfcKey);
    double plain = r.median(plainKey);
    System.out.printf(Locale.ROOT, "  %-16s %d rank%s %7.2f MB: vdfc %7.4f s %8.1f MB/s, plain %7.4f s %8.1f MB/s -> "
        + "%.2fx%n", what + ",", r.ranks, r.ranks == 1 ? ", " : "s,", mb, vdfc, mb / vdfc, plain, mb / plain, plain / vdfc);
  }

  /** The JVM flags the ranks ran with, each different set once (one, unless VDFC_JAVA_OPTS changed mid-run). */
  private static String jvmFlags(List<Run> runs) {
    return String.join(" | ", runs.stream().flatMap(r -> r.launches().stream())
        .map(json -> new Run(0, List.of(json)).text("jvm_options")).distinct().toList());
  }

  private Map<String, Object> summary(List<Run> runs) {
    Map<String, Object> top = new LinkedHashMap<>();
    top.put("restart", restart.toString());
    top.put("config", config == null ? "" : config.toString());
    top.put("available_processors", Runtime.getRuntime().availableProcessors());
    top.put("passes", passes);
    top.put("warmup", warmup);
    top.put("other_warmup", otherWarmup);
    top.put("launches", launches);
    top.put("jvm_options", jvmFlags(runs));
    top.put("durability", "data sync + atomic rename, no directory sync (vdfc writer and plain write alike)");
    double t1 = runs.get(0).median("compress_total_s");
    List<Object> perRanks = new ArrayList<>();
    for (Run r : runs) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("ranks", r.ranks);
      m.put("threads_per_rank", 1);
      m.put("busy_cores", r.number("compress_busy_cores"));
      m.put("load_average_start", r.texts("load_average_start"));
      m.put("load_average_end", r.texts("load_average_end"));
      m.put("blocks_per_rank", Run.list(r.launches().get(0), "partition_blocks"));
      m.put("compress_s", r.median("compress_total_s"));
      m.put("decide_s", r.median("compress_decide_s"));
      m.put("encode_max_s", r.median("compress_encode_max_s"));
      m.put("encode_min_s", r.median("compress_encode_min_s"));
      m.put("write_s", r.median("compress_write_s"));
      m.put("report_s", r.median("compress_report_s"));
      m.put("efficiency", t1 / (r.ranks * r.median("compress_total_s")));
      m.put("decide_share", median(shares(r, "compress_decide_s")));
      m.put("decide_share_as_run", median(shares(r, "compress_decide_raw_s")));
      m.put("cpu_per_pass_s", r.number("compress_cpu_per_pass_s"));
      m.put("first_pass_compress_s", r.number("compress_first_total_s"));
      m.put("first_pass_decide_s", r.number("compress_first_decide_s"));
      m.put("warmup_s", r.number("compress_warmup_s"));
      m.put("warmup_jit_s", r.number("compress_warmup_jit_s"));
      m.put("compressed_bytes", (long) r.number("compress_bytes"));
      m.put("compressed_write_ratio", r.median("compress_plain_write_s") / r.median("compress_write_s"));
      m.put("restored_bytes", (long) r.number("restored_bytes"));
      m.put("restored_write_ratio", r.median("restored_plain_write_s") / r.median("restored_write_s"));
      if (r.has("ceiling_one_thread_s")) {
        m.put("ceiling_efficiency", ceiling(r));
        m.put("ceiling_one_thread_s", r.median("ceiling_one_thread_s"));
        m.put("ceiling_two_threads_s", r.median("ceiling_two_threads_s"));
      }
      if (r.has("fixed_total_s")) {
        m.put("fixed_codec", r.text("fixed_codec"));
        m.put("fixed_compress_s", r.with("fixed_total_s").median("fixed_total_s"));
      }
      m.put("launches", r.launches().size());
      m.put("compress_s_per_launch", r.perLaunch("compress_total_s"));
      m.put("passes_raw", r.launches());
      perRanks.add(m);
    }
    top.put("runs", perRanks);
    return top;
  }

  private String launch(int n, boolean compareFixed, int l) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(mpirun.toString(), "-np", Integer.toString(n), "scaling-passes",
        "--restart", restart.toString(), "--work", work.toString(), "--passes", Integer.toString(passes), "--warmup",
        Integer.toString(warmup), "--other-warmup", Integer.toString(otherWarmup)));
    if (config != null) {
      cmd.addAll(List.of("--config", config.toString()));
    }
    if (compareFixed) {
      cmd.add("--compare-fixed");
    }
    System.err.printf(Locale.ROOT, "vdfc-scaling: launch %d of %d, %d rank%s ...%n", l + 1, launches, n,
        n == 1 ? "" : "s");
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int rc = p.waitFor();
    if (rc != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " exited with " + rc + "; output:\n" + out);
    }
    return out;
  }

  static double median(List<Double> values) {
    return Benchmark.median(values.stream().mapToDouble(Double::doubleValue).toArray());
  }
}
