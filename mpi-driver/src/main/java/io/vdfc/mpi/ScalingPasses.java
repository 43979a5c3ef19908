package io.vdfc.mpi;

import io.vdfc.cli.CompressCommand;
import io.vdfc.cli.Json;
import io.vdfc.parallel.Collectives;
import io.vdfc.parallel.RankContext;
import io.vdfc.restart.CellPartition;
import io.vdfc.restart.PopulationReport;
import io.vdfc.restart.VlsvCompressor;
import io.vdfc.restart.VlsvDecompressor;
import io.vdfc.restart.VlsvRewrite;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The in-rank half of the scaling benchmark ({@link ScalingBenchmark} launches it with {@code vdfc-mpirun -np N
 * scaling-passes ...}): the ranks start once, then time the restart pipeline in steady state, in one JVM.
 *
 * <ol>
 *   <li><b>Compression.</b> {@code --warmup} untimed passes, then {@code --passes} timed passes of exactly what {@code
 *       restart compress --threads 1} runs ({@link CompressCommand#prepare}: decision, encoding, write, report), each
 *       bracketed by barriers and writing a new file (rank 0 removes the last pass's output first, untimed). The first
 *       (cold) pass's total and decision times are kept apart, and so are the warm-up passes' summed time and the
 *       JIT's compile time during them: the one-time cost of a JVM that has not yet compiled the code that runs once
 *       a pass. Per pass: the wall time between the barriers, and each phase's time (the largest over
 *       the ranks; the encode phase also its smallest, to show the balance between the ranks; {@code
 *       partition_blocks}: the weight of the cells each rank held in the last timed pass, {@link
 *       VlsvCompressor#heldWeight}, as {@link CellPartition} weighs them). The decision
 *       phase is given as {@link VlsvCompressor.Phases#decideSeconds} (its own cost) and as run (with the chosen
 *       codec's trial records, which the encoding reuses).
 *   <li><b>Plain write.</b> In every pass rank 0 also writes the same bytes (the output's own) to a temporary file in
 *       the same directory with the same durability as the vdfc writer: one sequential write, a data sync ({@code
 *       force(true)}) and an atomic rename, no directory sync (the vdfc writer syncs no directory either); the other
 *       ranks wait at a barrier. It runs right before the vdfc write in odd passes and right after the pass in the
 *       others ({@link PlainTurn}), and is in no other figure.
 *   <li><b>Fixed codec</b> ({@code --compare-fixed}, {@code codec = auto} only): the same passes with the codec auto
 *       chose given by {@code --codec}, so the decision's cost also shows as the difference of two totals; after
 *       {@code --other-warmup} untimed passes, as the JVM has run the auto passes' code already.
 *   <li><b>The machine's ceiling</b> (1 rank, {@code codec = auto} with a config): {@link MachineCeiling}, the chosen
 *       codec's per-cell work on one thread against two, after {@link #CEILING_WARMUP} untimed turns.
 *   <li><b>Decompression.</b> The same protocol for {@code restart decompress} of the compressed file into a restored
 *       restart, with its plain-write baseline, after {@code --other-warmup} untimed passes.
 * </ol>
 *
 * <p>Rank 0 prints one flat JSON object of every pass's figures (lists, in seconds) and the process CPU time of the
 * timed compression passes over their wall time (the cores the JVM kept busy, ranks, JIT and GC together).
 */
@Command(name = "scaling-passes", hidden = true,
    description = "Scaling benchmark passes inside the ranks (run by mpi-driver/bin/vdfc-scaling).")
public final class ScalingPasses implements Callable<Integer> {
  @Option(names = "--restart", required = true, description = "restart to compress") Path restart;

  @Option(names = "--config", description = "config whose [compression] section gives the settings") Path config;

  @Option(names = "--work", defaultValue = "out/scaling", description = "directory of the output files") Path work;

  @Option(names = "--passes", defaultValue = "7", description = "timed passes per figure (at least 5)") int passes;

  @Option(names = "--warmup", defaultValue = "300", description = "untimed compression passes first") int warmup;

  @Option(names = "--other-warmup", defaultValue = "30",
      description = "untimed passes before the fixed codec's and the decompression's timed passes")
  int otherWarmup;

  @Option(names = "--compare-fixed", description = "also time the chosen codec fixed (codec = auto only)")
  boolean compareFixed;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Untimed turns of the {@link MachineCeiling} (its code is the compression's, already compiled by then). */
  static final int CEILING_WARMUP = 3;

  private final Map<String, Object> figures = new LinkedHashMap<>();

  @Override
  public Integer call() throws Exception {
    if (passes < 5) {
      throw new IllegalArgumentException("--passes " + passes + ": the median needs at least 5 timed passes");
    }
    Collectives c = RankContext.collectives();
    Files.createDirectories(work);
    Path compressed = work.resolve("scaling.np" + c.size() + ".vdfc.vlsv");
    Path restored = work.resolve("scaling.np" + c.size() + ".restored.vlsv");
    figures.put("ranks", c.size());
    figures.put("threads_per_rank", 1);
    figures.put("available_processors", Runtime.getRuntime().availableProcessors());
    figures.put("jvm_options", jvmOptions());
    figures.put("passes", passes);
    figures.put("warmup", warmup);
    figures.put("other_warmup", otherWarmup);
    figures.put("load_average_start", loadAverage());

    String decision = compressPasses("compress", compressed, null, warmup, c);
    figures.put("decision", decision == null ? "" : decision);
    Matcher chosen = Pattern.compile("auto chose ([A-Za-z0-9_-]+)").matcher(decision == null ? "" : decision);
    String chosenCodec = chosen.find() ? chosen.group(1) : null;
    if (compareFixed && chosenCodec != null) {
      figures.put("fixed_codec", chosenCodec);
      compressPasses("fixed", compressed, chosenCodec, otherWarmup, c);
    }
    if (c.size() == 1 && config != null && chosenCodec != null) {
      MachineCeiling.Turns turns = new MachineCeiling(restart, config, chosenCodec).measure(CEILING_WARMUP, passes);
      figures.put("ceiling_one_thread_s", turns.one());
      figures.put("ceiling_two_threads_s", turns.two());
    }
    decompressPasses(compressed, restored, c);
    figures.put("load_average_end", loadAverage());
    spec.commandLine().getOut().println(Json.write(figures));
    spec.commandLine().getOut().flush();
    return 0;
  }

  /**
   * {@code untimed} warm-up passes, then the timed ones.
   *
   * @return the decision note of the first population, or null when the codec was fixed
   */
  private String compressPasses(String key, Path out, String codec, int untimed, Collectives c) throws IOException {
    List<String> args = new ArrayList<>(List.of(restart.toString(), out.toString(), "--threads", "1", "-q"));
    if (config != null) {
      args.addAll(List.of("--config", config.toString()));
    }
    if (codec != null) {
      args.addAll(List.of("--codec", codec));
    }
    CompressCommand command = new CompressCommand();
    new CommandLine(command).parseArgs(args.toArray(String[]::new));
    PlainTurn turn = new PlainTurn(out, c);
    VlsvCompressor compressor = command.prepare(c).beforeWrite(turn);
    List<Double> total = new ArrayList<>(), decide = new ArrayList<>(), encode = new ArrayList<>(),
        encodeMin = new ArrayList<>(), decideRaw = new ArrayList<>(), write = new ArrayList<>(), report = new ArrayList<>(), plain = new ArrayList<>();
    String decision = null;
    long bytes = 0;
    double cpu = 0, wall = 0, gc = 0, jit = 0, warmWall = 0;
    long warmJit0 = jitMillis(), warmJit = 0;
    for (int i = 0; i < untimed + passes; i++) {
      boolean timed = i >= untimed;
      removeEarlier(command.output(), c);
      turn.before(i);
      long cpu0 = processCpuNanos();
      long gc0 = gcMillis(), jit0 = jitMillis();
      long t0 = System.nanoTime();
      List<PopulationReport> reports = compressor.compress(command.input(), command.output(), c);
      c.barrier();
      long t1 = System.nanoTime() - turn.wallNanos; // the plain write is in no figure but its own
      long cpu1 = processCpuNanos() - turn.cpuNanos;
      long gc1 = gcMillis(), jit1 = jitMillis();
      VlsvCompressor.Phases ph = compressor.phases();
      double[] max = c.allreduceMax(new double[] {(t1 - t0) / 1e9, ph.decideSeconds(), ph.encodeSeconds(),
          ph.writeSeconds(), ph.reportSeconds(), ph.decideSeconds() + ph.keptTrialSeconds()});
      double[] min = c.allreduceMin(new double[] {ph.encodeSeconds()});
      bytes = Files.size(command.output());
      double p = turn.after(command.output());
      if (!reports.isEmpty() && !reports.get(0).notes().isEmpty() && codec == null) {
        decision = reports.get(0).notes().get(0).startsWith("auto chose") ? reports.get(0).notes().get(0) : null;
      }
      if (i == 0) {
        figures.put(key + "_first_total_s", max[0]);
        figures.put(key + "_first_decide_s", max[1]);
        figures.put(key + "_first_decide_raw_s", max[5]);
      }
      if (i == untimed - 1) {
        warmJit = jitMillis() - warmJit0;
      }
      if (!timed) {
        warmWall += max[0];
      } else {
        total.add(max[0]);
        decide.add(max[1]);
        decideRaw.add(max[5]);
        encode.add(max[2]);
        write.add(max[3]);
        report.add(max[4]);
        encodeMin.add(min[0]);
        plain.add(p);
        cpu += (cpu1 - cpu0) / 1e9;
        gc += (gc1 - gc0) / 1e3;
        jit += (jit1 - jit0) / 1e3;
        wall += (t1 - t0) / 1e9;
      }
    }
    figures.put(key + "_bytes", bytes);
    if (key.equals("compress")) { // the cells each rank held in the last pass (they follow the ranks' speed)
      long[] held = new long[c.size()];
      held[c.rank()] = compressor.heldWeight();
      figures.put("partition_blocks", Arrays.stream(c.allreduceSum(held)).boxed().toList());
    }
    figures.put(key + "_total_s", total);
    figures.put(key + "_decide_s", decide);
    figures.put(key + "_decide_raw_s", decideRaw);
    figures.put(key + "_encode_max_s", encode);
    figures.put(key + "_encode_min_s", encodeMin);
    figures.put(key + "_write_s", write);
    figures.put(key + "_report_s", report);
    figures.put(key + "_plain_write_s", plain);
    figures.put(key + "_busy_cores", wall > 0 ? cpu / wall : 0);
    figures.put(key + "_cpu_per_pass_s", cpu / passes);
    figures.put(key + "_gc_per_pass_s", gc / passes);
    figures.put(key + "_jit_per_pass_s", jit / passes);
    figures.put(key + "_warmup_s", warmWall);
    figures.put(key + "_warmup_jit_s", warmJit / 1e3);
    return decision;
  }

  private void decompressPasses(Path in, Path out, Collectives c) throws IOException {
    PlainTurn turn = new PlainTurn(out, c);
    VlsvDecompressor d = new VlsvDecompressor(true).beforeWrite(turn);
    List<Double> total = new ArrayList<>(), decode = new ArrayList<>(), write = new ArrayList<>(), plain = new ArrayList<>();
    for (int i = 0; i < otherWarmup + passes; i++) {
      removeEarlier(out, c);
      turn.before(i);
      long t0 = System.nanoTime();
      d.decompress(in, out, c);
      c.barrier();
      long t1 = System.nanoTime() - turn.wallNanos;
      double[] max = c.allreduceMax(new double[] {(t1 - t0) / 1e9, d.phases().decodeSeconds(), d.phases().writeSeconds()});
      double p = turn.after(out);
      if (i >= otherWarmup) {
        total.add(max[0]);
        decode.add(max[1]);
        write.add(max[2]);
        plain.add(p);
      }
    }
    figures.put("restored_bytes", Files.size(out));
    figures.put("decompress_total_s", total);
    figures.put("decompress_decode_s", decode);
    figures.put("restored_write_s", write);
    figures.put("restored_plain_write_s", plain);
  }

  /**
   * Rank 0 removes the previous pass's output before the pass (untimed), then all meet at a barrier: every pass writes a
   * new file, as the plain write does and as a simulation writing restart.NNNNNNN.vlsv files does, instead of replacing
   * (and freeing the blocks of) the last pass's file inside the timed rename.
   */
  private static void removeEarlier(Path out, Collectives c) throws IOException {
    if (c.rank() == 0) {
      Files.deleteIfExists(out);
    }
    c.barrier();
  }

  /**
   * When the plain write of a pass runs: in odd passes right before the vdfc write (the compressor's or decompressor's
   * {@link VlsvRewrite.BeforeWrite} hook, after the encoding or decoding; the bytes of the last pass's output), in
   * the others right after the pass. Whichever write runs first after the codec work runs colder (a plain write after
   * 250 ms of computing took 3.4 ms against 2.9 ms right after another write, 2.9 MB, in a probe), so the two writes
   * take turns instead of the plain one always running second, warm.
   */
  private static final class PlainTurn implements VlsvRewrite.BeforeWrite {
    private final Path like;
    private final Collectives c;
    private byte[] last;
    private ByteBuffer buffer; // rank 0: kept from write to write, as the vdfc writer keeps its buffers
    private boolean first;
    private double seconds;
    long wallNanos;
    long cpuNanos;

    PlainTurn(Path like, Collectives c) {
      this.like = like;
      this.c = c;
    }

    /** Before pass {@code i}: whether its plain write goes first (every rank knows: rank 0 has the bytes). */
    void before(int i) {
      first = i % 2 == 1 && i > 0;
      wallNanos = 0;
      cpuNanos = 0;
    }

    @Override
    public void run() throws IOException {
      if (first) {
        long t = System.nanoTime(), cpu = processCpuNanos();
        seconds = plainWrite(filled(last), like, c);
        wallNanos = System.nanoTime() - t;
        cpuNanos = processCpuNanos() - cpu;
      }
    }

    /** After the pass: the plain write unless it went first; keeps the output's bytes for the next turn (rank 0). */
    double after(Path out) throws IOException {
      byte[] bytes = c.rank() == 0 ? Files.readAllBytes(out) : null;
      if (!first) {
        seconds = plainWrite(filled(bytes), like, c);
      } else {
        c.barrier(); // every rank has looked at the output before rank 0 removes it for the next pass
      }
      last = bytes;
      return seconds;
    }

    /** Rank 0: {@code bytes} in the kept direct buffer (a larger one if they do not fit); other ranks: null. */
    private ByteBuffer filled(byte[] bytes) {
      if (bytes == null) {
        return null;
      }
      if (buffer == null || buffer.capacity() < bytes.length) {
        buffer = ByteBuffer.allocateDirect(bytes.length);
      }
      return buffer.clear().put(bytes).flip();
    }
  }

  /**
   * Rank 0 writes {@code bytes} to a temporary file beside {@code like} with the vdfc writer's durability (one
   * sequential write from a direct buffer, {@code force(true)}, atomic rename), times it, and removes the file; the
   * others wait. Removing the copy is not timed.
   *
   * <p>The buffer is filled before the timing and kept from pass to pass ({@link PlainTurn#filled}), as the vdfc writer
   * keeps its own: on this machine's kernel (6.18) a write from a freshly allocated 2.9 MB direct buffer took 4.1 ms
   * against 0.5 ms from a kept one (the sync 2.5-2.9 ms either way), which made the plain baseline twice as slow as it
   * needs to be and flattered the vdfc writer (2026-12-04).
   *
   * @param buf the bytes on rank 0, between position and limit (ignored on the other ranks)
   * @return the seconds on rank 0 (0 on the other ranks)
   */
  private static double plainWrite(ByteBuffer buf, Path like, Collectives c) throws IOException {
    double seconds = 0;
    c.barrier();
    if (c.rank() == 0) {
      Path tmp = like.resolveSibling("plain-write.bin.partial");
      Path done = like.resolveSibling("plain-write.bin");
      Files.deleteIfExists(tmp);
      Files.deleteIfExists(done);
      long t = System.nanoTime();
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      Files.move(tmp, done, StandardCopyOption.ATOMIC_MOVE);
      seconds = (System.nanoTime() - t) / 1e9;
      Files.delete(done);
    }
    c.barrier();
    return seconds;
  }


  /** Milliseconds the JVM's collectors have spent (all of them, pauses and concurrent work they account). */
  private static long gcMillis() {
    long ms = 0;
    for (java.lang.management.GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      ms += Math.max(0, gc.getCollectionTime());
    }
    return ms;
  }

  /** Milliseconds the JIT compilers have spent, or 0 when the JVM does not tell. */
  private static long jitMillis() {
    java.lang.management.CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
  }

  private static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return 0;
  }

  /** The JVM's own flags ({@code -X...}, {@code -XX:...}; not the system properties), as the launcher gave them. */
  static String jvmOptions() {
    return String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("-X")).toList());
  }

  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "unknown";
    }
  }
}
