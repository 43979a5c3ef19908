package io.vdfc.cli;

import io.vdfc.codec.CodecOptions;
import io.vdfc.codec.CodecRegistry;
import io.vdfc.codec.Tolerance;
import io.vdfc.codec.VdfCodec;
import io.vdfc.budget.CodecChoice;
import io.vdfc.compress.CompressionSettings;
import io.vdfc.config.CompressionConfig;
import io.vdfc.config.ConfigException;
import io.vdfc.config.VlasiatorConfig;
import io.vdfc.parallel.Collectives;
import io.vdfc.parallel.RankContext;
import io.vdfc.restart.PopulationReport;
import io.vdfc.restart.VlsvCompressor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vdfc compress IN OUT --codec NAME --tolerance SPEC}: a compressed VLSV file and its figures. */
@Command(name = "compress", mixinStandardHelpOptions = true,
    description = {"Compress the VDFs of a VLSV restart or bulk file into a vdfc-compressed VLSV file.",
        "Every non-VDF array is kept byte for byte; each cell's bound is checked after decoding."})
public final class CompressCommand implements Callable<Integer> {
  @Parameters(index = "0", arity = "0..1", description = "input VLSV file (default: restart_in of --config)") Path in;
  @Parameters(index = "1", arity = "0..1",
      description = "output file, written under a temporary name and renamed when complete (default: restart_out of --config)")
  Path out;

  static final String DEFAULT_CODEC = "zfpb";
  static final String DEFAULT_TOLERANCE = "minValue";
  static final List<String> DEFAULT_CANDIDATES = List.of("zfpb", "zstd");

  @Option(names = "--config", description = "a Vlasiator config file whose [compression] section gives the settings;"
      + " options given here win") Path config;

  @Option(names = "--codec", description = "codec name or auto (default " + DEFAULT_CODEC + "); `vdfc codecs` lists them")
  String codec;

  @Option(names = "--candidates", split = ",", description = "codecs auto chooses among (default zfpb,zstd)")
  List<String> candidates;

  @Option(names = "--tolerance",
      description = "pointwise bound: absolute (1e-16), NUMBER*minValue or NUMBER*peak (default " + DEFAULT_TOLERANCE + ")")
  String tolerance;

  @Option(names = "--conserve", description = "conserve density, momentum and pressure exactly: on|off (default on)")
  String conserve;

  @Option(names = "--options", description = "codec options, key=value,key=value") String options;

  @Option(names = "--min-value", description = "sparsity threshold to use instead of the file's CONFIG") Double minValue;

  @Option(names = "--threads", description = "worker threads per rank, 1 to " + MAX_THREADS
      + " (default: available processors on 1 rank, 1 on several)") Integer threads;

  /** More worker threads than any compute node has hardware threads is a typing error, not a request. */
  static final int MAX_THREADS = 1024;

  @Option(names = "--json", description = "print figures as JSON") boolean json;

  @Option(names = {"-q", "--quiet"}, description = "no progress lines") boolean quiet;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  private String settings;
  private int threadsPerRank;

  @Override
  public Integer call() throws Exception {
    Collectives c = RankContext.collectives();
    VlsvCompressor compressor = prepare(c);
    long start = System.nanoTime();
    List<PopulationReport> reports = compressor.compress(in, out, c);
    double seconds = (System.nanoTime() - start) / 1e9;
    if (c.rank() == 0) {
      print(reports, settings, seconds, compressor.phases(), c.size(), threadsPerRank);
    }
    return Vdfc.EXIT_OK;
  }

  /** The input file, once {@link #prepare} has resolved it (from the command line or the config). */
  public Path input() {
    return in;
  }

  /** The output file, once {@link #prepare} has resolved it. */
  public Path output() {
    return out;
  }

  /**
   * Resolves the parsed options (and {@code --config}) into the compressor this command runs, without running it: the
   * scaling benchmark times exactly what the command does, pass after pass, in one process.
   */
  public VlsvCompressor prepare(Collectives c) throws java.io.IOException {
    VlasiatorConfig vc = config == null ? null : VlasiatorConfig.parse(config);
    CompressionConfig cfg = vc == null ? CompressionConfig.disabled() : CompressionConfig.from(vc);
    if (vc != null && !vc.hasSection(CompressionConfig.SECTION)) { // an empty one: the config's defaults
      // the defaults of an absent section (codec = auto) are not what the command line's defaults are: say so
      throw new ConfigException(vc.source(), 0, "no [" + CompressionConfig.SECTION + "] section to take the settings"
          + " from; add one (configs/ipshock_restart.cfg is an example) or leave out --config");
    }
    if (vc != null && !cfg.enabled() && c.rank() == 0) {
      int line = vc.line(CompressionConfig.SECTION + ".enabled");
      spec.commandLine().getErr().println("vdfc: note: " + vc.source() + ":" + line + ": [compression] enabled = false"
          + " switches off in-situ compression; compressing with the section's settings, as asked");
    }
    if (in == null) {
      in = require(cfg.restartIn(), "restart_in");
      if (!java.nio.file.Files.isRegularFile(in)) { // a path of the config's: say where it came from
        String key = CompressionConfig.SECTION + ".restart_in";
        throw new ConfigException(vc.source(), vc.line(key), "[compression] key 'restart_in' = '" + vc.get(key)
            + "' (relative paths are taken from the config's directory: " + in + "): "
            + (java.nio.file.Files.isDirectory(in) ? "is a directory, not a VLSV file" : "no such file"));
      }
    }
    if (out == null) {
      out = require(cfg.restartOut(), "restart_out");
    }
    String codecName = codec != null ? codec : config != null ? cfg.codec() : DEFAULT_CODEC;
    String tol = tolerance != null ? tolerance : config != null ? cfg.tolerance().toString() : DEFAULT_TOLERANCE;
    String cons = conserve != null ? conserve : cfg.conserve() ? "on" : "off";
    String opts = options != null ? options : cfg.codecOptions().toString();
    if (threads != null && (threads < 1 || threads > MAX_THREADS)) {
      throw new IllegalArgumentException("--threads " + threads + ": give 1 to " + MAX_THREADS
          + " worker threads per rank");
    }
    if (minValue != null && !(minValue > 0 && Double.isFinite(minValue))) {
      throw new IllegalArgumentException("--min-value " + minValue
          + ": the sparsity threshold must be a positive number");
    }
    int t = threads != null ? threads : c.size() > 1 ? 1 : Runtime.getRuntime().availableProcessors();
    VlsvCompressor compressor;
    var budgets = new CodecChoice.Budgets(cfg.maxErrN().orElse(Double.NaN), cfg.maxErrV().orElse(Double.NaN),
        cfg.maxErrP().orElse(Double.NaN), cfg.targetRatio().orElse(Double.NaN));
    if (candidates != null && !codecName.equals(CompressionConfig.AUTO)) {
      throw new IllegalArgumentException("--candidates needs --codec auto, but the codec is " + codecName
          + "; remove one of them");
    }
    // checked on their own, before the steps that build the settings name the config key they read: a bad
    // --tolerance or --conserve was reported as an error in the config's candidates or codec_options (the config's own
    // values were checked when it was read)
    Tolerance.parse(tol);
    conserveOn(cons);
    if (codecName.equals(CompressionConfig.AUTO) && !CodecOptions.parse(opts).isEmpty()) {
      // they configure one codec; auto's candidates are configured by their defaults, so say it rather than drop them
      String why = "codec options (" + opts + ") configure one codec, and codec = auto does not pass them to its"
          + " candidates; give a fixed codec";
      if (options != null) {
        throw new IllegalArgumentException("--options: " + why);
      }
      throw new ConfigException(vc.source(), vc.line(CompressionConfig.SECTION + ".codec_options"),
          "[compression] key 'codec_options': " + why);
    }
    if (codecName.equals(CompressionConfig.AUTO)) {
      List<String> names = candidates != null ? candidates : !cfg.candidates().isEmpty() ? cfg.candidates() : DEFAULT_CANDIDATES;
      List<CompressionSettings> list = new ArrayList<>();
      for (String n : names) {
        list.add(fromConfig(vc, candidates == null ? "candidates" : null, () -> settings(n, null, tol, cons)));
      }
      settings = "auto among " + names + ", tolerance " + tol + (cons.equals("on") ? ", moments conserved" : "");
      compressor = new VlsvCompressor(pop -> list.get(0), minValue == null ? Double.NaN : minValue, t, quiet)
          .withAuto(new VlsvCompressor.Auto(list, names, budgets));
    } else {
      fromConfig(vc, codec == null ? "codec" : null, () -> {
        try {
          return CodecRegistry.get().byName(codecName);
        } catch (IllegalArgumentException e) { // here 'auto' is a choice too
          throw new IllegalArgumentException(e.getMessage() + ", or auto", e);
        }
      });
      CompressionSettings s = fromConfig(vc, options == null ? "codec_options" : null, () -> settings(codecName, opts, tol, cons));
      settings = s.toString();
      compressor = new VlsvCompressor(pop -> s, minValue == null ? Double.NaN : minValue, t, quiet)
          .withBudgets(budgets);
    }
    settings += budgetsText(budgets);
    threadsPerRank = t;
    return compressor;
  }

  /** ", per cell err_n <= 1.0E-8, err_P <= 1.0E-6" for the budgets set; empty when none is. */
  private static String budgetsText(CodecChoice.Budgets b) {
    StringBuilder sb = new StringBuilder();
    double[] values = {b.maxErrN(), b.maxErrV(), b.maxErrP()};
    String[] names = {"err_n", "err_V", "err_P"};
    for (int i = 0; i < 3; i++) {
      if (!Double.isNaN(values[i])) {
        sb.append(sb.length() == 0 ? ", per cell " : ", ").append(names[i]).append(" <= ").append(values[i]);
      }
    }
    return sb.toString();
  }

  /**
   * Runs {@code step}; when it rejects a value that came from the config's {@code [compression]} key {@code key}, the
   * error is a {@link ConfigException} naming the file, the key's line, the key and what is allowed.
   */
  private static <T> T fromConfig(VlasiatorConfig vc, String key, java.util.function.Supplier<T> step) {
    try {
      return step.get();
    } catch (ConfigException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      String full = CompressionConfig.SECTION + "." + key;
      if (vc == null || key == null || !vc.has(full)) {
        throw e;
      }
      throw new ConfigException(vc.source(), vc.line(full), "[" + CompressionConfig.SECTION + "] key '" + key + "' = '"
          + vc.get(full) + "': " + e.getMessage());
    }
  }

  private Path require(Path fromConfig, String key) {
    if (fromConfig == null) {
      throw new IllegalArgumentException("no " + (key.equals("restart_in") ? "input" : "output") + " file: give it on the"
          + " command line or as " + key + " in the [compression] section of --config");
    }
    return fromConfig;
  }

  static CompressionSettings settings(String codec, String options, String tolerance, String conserve) {
    CodecOptions given = CodecOptions.parse(options);
    VdfCodec configured = CodecRegistry.get().byName(codec).configure(given);
    return new CompressionSettings(configured, Tolerance.parse(tolerance), conserveOn(conserve), given.toString());
  }

  private static boolean conserveOn(String conserve) {
    return switch (conserve.toLowerCase(java.util.Locale.ROOT)) {
      case "on", "true", "yes", "1" -> true; // the values the config's 'conserve' takes
      case "off", "false", "no", "0" -> false;
      default -> throw new IllegalArgumentException("--conserve " + conserve + ": expected on or off");
    };
  }

  private void print(List<PopulationReport> reports, String settings, double seconds, VlsvCompressor.Phases ph, int ranks,
      int threadsPerRank) {
    if (json) {
      List<Object> pops = new ArrayList<>();
      for (PopulationReport r : reports) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", r.name());
        m.put("cells", r.cells());
        m.put("blocks", r.blocks());
        m.put("ref_bytes", r.referenceBytes());
        m.put("compressed_bytes", r.compressedBytes());
        m.put("ratio", r.ratio());
        m.put("max_tolerance", r.maxTolerance());
        m.put("max_abs", r.maxAbs());
        m.put("conserved_cells", r.conservedCells());
        m.put("special_cells", r.specialCells());
        m.put("notes", r.notes());
        pops.add(m);
      }
      Map<String, Object> top = new LinkedHashMap<>();
      top.put("input", in.toString());
      top.put("output", out.toString());
      top.put("settings", settings);
      top.put("seconds", seconds);
      top.put("ranks", ranks);
      top.put("threads_per_rank", threadsPerRank);
      top.put("bytes", sizeOf(out));
      Map<String, Object> phases = new LinkedHashMap<>();
      phases.put("decide_s", ph.decideSeconds());
      phases.put("encode_s", ph.encodeSeconds());
      phases.put("kept_trial_s", ph.keptTrialSeconds()); // in encode_s: the chosen codec's trial records, reused
      phases.put("write_s", ph.writeSeconds());
      phases.put("report_s", ph.reportSeconds());
      top.put("phases", phases);
      top.put("populations", pops);
      System.out.println(Json.write(top));
      return;
    }
    System.out.printf("%s -> %s  [%s]%n", in, out, settings);
    System.out.printf("%-12s %6s %9s %14s %14s %8s %11s %11s %s%n",
        "population", "cells", "blocks", "ref_bytes", "compressed", "ratio", "tolerance", "max_abs", "special");
    for (PopulationReport r : reports) {
      System.out.printf("%-12s %6d %9d %14d %14d %8.2f %11.3e %11.3e %d%n", r.name(), r.cells(), r.blocks(),
          r.referenceBytes(), r.compressedBytes(), r.ratio(), r.maxTolerance(), r.maxAbs(), r.specialCells());
      for (String n : r.notes()) {
        System.out.println("  " + n);
      }
    }
    System.out.printf("%.2f s on %d rank%s x %d thread%s (decide %.2f s, encode %.2f s, write %.2f s)%n", seconds, ranks,
        ranks == 1 ? "" : "s", threadsPerRank, threadsPerRank == 1 ? "" : "s", ph.decideSeconds(), ph.encodeSeconds(),
        ph.writeSeconds());
  }

  private static long sizeOf(Path p) {
    try {
      return java.nio.file.Files.size(p);
    } catch (java.io.IOException e) {
      return -1;
    }
  }
}
