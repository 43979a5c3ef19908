package io.vdfc.mpi;

import io.vdfc.parallel.SingleRank;
import io.vdfc.restart.VlsvDecompressor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scaling benchmark of the restart pipeline (run it with {@code mpi-driver/bin/vdfc-scaling}). It launches {@code
 * vdfc-mpirun -np 1} and {@code -np 2} {@code restart compress --threads 1 --json} on a restart (each rank one thread,
 * so the ranks are the only parallelism), then {@code -np 2 restart decompress --json}, and reads the commands' own
 * phase timings (JVM start-up is not counted). It prints:
 *
 * <ul>
 *   <li>compression wall time on 1 and 2 ranks and the parallel efficiency {@code T1 / (2 T2)};
 *   <li>the share of the collective decision phase ({@code codec = auto} trials and agreement) in the compression time,
 *       and the decision's cost beyond a 1-rank run with the chosen codec fixed ({@code --codec});
 *   <li>the write bandwidth of the compressed file and of the restored restart (layout, copies, every rank's positional
 *       writes, fsync, rename) against a plain sequential write of the same bytes (one FileChannel, fsync) to the same
 *       directory, timed in the same run right after each.
 * </ul>
 *
 * <p>Last, the restored restart's write is timed in this JVM once warm (one rank, second run), as the in-situ plugin
 * runs it: the launched commands above run in fresh JVMs, whose first write also loads and compiles the code.
 *
 * <p>Each figure is the best of {@code --repeat} runs. The machine's load average is printed: on a shared machine the
 * figures are lower bounds of what the code does on idle cores.
 */
public final class ScalingBenchmark {
  private final Path mpirun;
  private final Path restart;
  private final Path config;
  private final Path work;
  private final int repeat;

  private ScalingBenchmark(Path mpirun, Path restart, Path config, Path work, int repeat) {
    this.mpirun = mpirun;
    this.restart = restart;
    this.config = config;
    this.work = work;
    this.repeat = repeat;
  }

  /** The figures of one command run, from its {@code --json} report (decompression: {@code decide} is the decoding). */
  private record Figures(double seconds, double decide, double encode, double write, long bytes) {}

  /**
   * {@code ScalingBenchmark --mpirun PATH --restart FILE [--config CFG] [--work DIR] [--repeat K]}: see the class
   * comment. {@code --config} defaults to none (the compress defaults); pass {@code configs/auto_budget.cfg} to time
   * {@code codec = auto}.
   */
  public static void main(String[] args) throws Exception {
    Path mpirun = null, restart = null, config = null, work = Path.of("out/scaling");
    int repeat = 1;
    for (int i = 0; i < args.length; i++) {
      String v = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--mpirun" -> mpirun = Path.of(need(v, args[i++]));
        case "--restart" -> restart = Path.of(need(v, args[i++]));
        case "--config" -> config = Path.of(need(v, args[i++]));
        case "--work" -> work = Path.of(need(v, args[i++]));
        case "--repeat" -> repeat = Integer.parseInt(need(v, args[i++]));
        default -> throw new IllegalArgumentException("unknown argument " + args[i]
            + "; usage: --mpirun PATH --restart FILE [--config CFG] [--work DIR] [--repeat K]");
      }
    }
    if (mpirun == null || restart == null) {
      throw new IllegalArgumentException("--mpirun and --restart are required");
    }
    Files.createDirectories(work);
    new ScalingBenchmark(mpirun, restart, config, work, Math.max(1, repeat)).run();
  }

  private static String need(String v, String option) {
    if (v == null) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return v;
  }

  private void run() throws Exception {
    System.out.printf(Locale.ROOT, "vdfc scaling benchmark: %s (%.1f MB)%s%n", restart, Files.size(restart) / 1e6,
        config == null ? ", compress defaults" : ", --config " + config);
    System.out.printf(Locale.ROOT, "machine: %d cores available to the JVM, load average at start %s (shared machine:"
        + " other jobs compete for the cores); best of %d run%s per figure%n",
        Runtime.getRuntime().availableProcessors(), loadAverage(), repeat, repeat == 1 ? "" : "s");
    Path compressed = work.resolve("scaling.vdfc.vlsv");
    Figures one = best(() -> compress(1, compressed, null));
    String chosen = chosenCodec(compressed);
    Figures fixed = chosen == null ? null : best(() -> compress(1, compressed, chosen));
    double plainCompressed = bestPlain(compressed);
    Figures two = best(() -> compress(2, compressed, null));
    double plainCompressed2 = bestPlain(compressed);
    Path restored = work.resolve("scaling.restored.vlsv");
    Figures back = best(() -> decompress(2, compressed, restored));
    double plainRestored = bestPlain(restored);

    System.out.println();
    System.out.printf(Locale.ROOT, "%-6s %-8s %12s %10s %10s %10s %10s%n", "ranks", "threads", "compress_s", "decide_s",
        "encode_s", "write_s", "other_s");
    for (int r = 1; r <= 2; r++) {
      Figures f = r == 1 ? one : two;
      System.out.printf(Locale.ROOT, "%-6d %-8d %12.2f %10.3f %10.2f %10.3f %10.3f%n", r, 1, f.seconds, f.decide, f.encode,
          f.write, f.seconds - f.decide - f.encode - f.write);
    }
    System.out.println("(other_s: opening the restart and its cell index, the report's collectives, and on 2 ranks the"
        + " skew of the ranks' start-up inside the JVM)");
    double efficiency = one.seconds / (2 * two.seconds);
    System.out.printf(Locale.ROOT, "parallel efficiency T1/(2*T2): %.2f (target >= 0.85; speed-up %.2f on 2 ranks)%n",
        efficiency, one.seconds / two.seconds);
    System.out.printf(Locale.ROOT, "decision phase share of compression: %.2f%% on 1 rank, %.2f%% on 2 ranks "
        + "(target < 5%%)%n", 100 * one.decide / one.seconds, 100 * two.decide / two.seconds);
    if (fixed != null) {
      System.out.printf(Locale.ROOT, "decision cost beyond a fixed codec (1 rank, --codec %s, otherwise the same): "
          + "%.2f s auto vs %.2f s fixed -> %.2f%% of the auto run (the decide phase above also carries the JVM's JIT "
          + "warm-up of the codec, which a fixed-codec run pays while encoding)%n", chosen, one.seconds, fixed.seconds,
          100 * (one.seconds - fixed.seconds) / one.seconds);
    }
    bandwidth("compressed file, 1 rank", two.bytes, one.write, plainCompressed);
    bandwidth("compressed file, 2 ranks", two.bytes, two.write, plainCompressed2);
    bandwidth("restored restart, 2 ranks", back.bytes, back.write, plainRestored);
    System.out.printf(Locale.ROOT, "(write target: >= 0.8x the plain sequential write; decompression on 2 ranks took "
        + "%.2f s, of which decode %.2f s)%n", back.seconds, back.decide);
    warmWrite(compressed);
  }

  /**
   * The restored restart's write in a warm JVM, as the in-situ plugin (a long-lived JVM) runs it: decompress twice in
   * this process on one rank and time the second write, then a plain write of the same bytes; best of {@code repeat}.
   */
  private void warmWrite(Path compressed) throws IOException {
    Path out = work.resolve("scaling.warm.vlsv");
    VlsvDecompressor d = new VlsvDecompressor(true);
    d.decompress(compressed, out, SingleRank.INSTANCE);
    double vdfc = Double.MAX_VALUE;
    double plain = Double.MAX_VALUE;
    for (int i = 0; i < repeat; i++) {
      d.decompress(compressed, out, SingleRank.INSTANCE);
      vdfc = Math.min(vdfc, d.phases().writeSeconds());
      plain = Math.min(plain, bestPlain(out));
    }
    bandwidth("restored, warm JVM, 1 rank", Files.size(out), vdfc, plain);
  }

  private static void bandwidth(String what, long bytes, double vdfcSeconds, double plainSeconds) {
    double mb = bytes / 1e6;
    System.out.printf(Locale.ROOT, "write bandwidth, %-26s %7.1f MB: vdfc %8.1f MB/s, plain sequential %8.1f MB/s -> "
        + "%.2fx%n", what + ":", mb, mb / vdfcSeconds, mb / plainSeconds, plainSeconds / vdfcSeconds);
  }

  private interface Run {
    Figures once() throws Exception;
  }

  private Figures best(Run run) throws Exception {
    Figures best = null;
    for (int i = 0; i < repeat; i++) {
      Figures f = run.once();
      best = best == null || f.seconds < best.seconds ? f : best;
    }
    return best;
  }

  /** @param codec a fixed codec instead of the configured one; null: as configured */
  private Figures compress(int ranks, Path out, String codec) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(mpirun.toString(), "-np", Integer.toString(ranks), "restart",
        "compress", restart.toString(), out.toString(), "--threads", "1", "--json", "-q"));
    if (config != null) {
      cmd.addAll(List.of("--config", config.toString()));
    }
    if (codec != null) {
      cmd.addAll(List.of("--codec", codec));
    }
    String json = launch(cmd);
    return new Figures(number(json, "seconds"), number(json, "decide_s"), number(json, "encode_s"),
        number(json, "write_s"), (long) number(json, "bytes"));
  }

  private Figures decompress(int ranks, Path in, Path out) throws Exception {
    String json = launch(List.of(mpirun.toString(), "-np", Integer.toString(ranks), "restart", "decompress",
        in.toString(), out.toString(), "--json", "-q"));
    return new Figures(number(json, "seconds"), number(json, "decode_s"), 0, number(json, "write_s"),
        (long) number(json, "bytes"));
  }

  /** The codec {@code codec = auto} chose, from the file's settings text; null when the file was not made by auto. */
  private static String chosenCodec(Path compressed) throws IOException {
    byte[] bytes = Files.readAllBytes(compressed);
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    Matcher m = Pattern.compile("decision=auto chose ([A-Za-z0-9_-]+)").matcher(text);
    return m.find() ? m.group(1) : null;
  }

  /** Best time of a plain sequential write (one channel, fsync) of {@code like}'s bytes to a file beside it. */
  private double bestPlain(Path like) throws IOException {
    byte[] bytes = Files.readAllBytes(like);
    Path plain = like.resolveSibling("plain-write.bin");
    double best = Double.MAX_VALUE;
    for (int i = 0; i < repeat; i++) {
      Files.deleteIfExists(plain);
      long t = System.nanoTime();
      try (FileChannel ch = FileChannel.open(plain, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
          ch.write(b);
        }
        ch.force(true);
      }
      best = Math.min(best, (System.nanoTime() - t) / 1e9);
    }
    Files.deleteIfExists(plain);
    return best;
  }

  private String launch(List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int rc = p.waitFor();
    if (rc != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " exited with " + rc + "; output:\n" + out);
    }
    return out;
  }

  private static double number(String json, String key) {
    Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\": (-?[0-9.eE+-]+)").matcher(json);
    if (!m.find()) {
      throw new IllegalStateException("no \"" + key + "\" in the command's JSON report:\n" + json);
    }
    return Double.parseDouble(m.group(1));
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "unknown";
    }
  }
}
