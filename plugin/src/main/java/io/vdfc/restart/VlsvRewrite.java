package io.vdfc.restart;

import io.vdfc.parallel.Collectives;
import io.vdfc.parallel.FaultInjection;
import io.vdfc.vlsv.DirectBuffers;
import io.vdfc.vlsv.IoErrors;
import io.vdfc.vlsv.VlsvArray;
import io.vdfc.vlsv.VlsvCopy;
import io.vdfc.vlsv.VlsvDataType;
import io.vdfc.vlsv.VlsvFile;
import io.vdfc.vlsv.VlsvWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/**
 * Writes a VLSV file that copies an input file's arrays verbatim except those a plan replaces, by one rank or many.
 *
 * <p>Every rank passes the same plan; each contributes its parts of the replaced arrays (byte offset within the array
 * plus bytes). Every rank lays the file out itself (copied arrays in input order, replacements where the arrays they
 * replace stood, appended arrays last: the same offsets everywhere, since the plan is the same), so no offsets are
 * exchanged; rank 0 writes the copies and the footer while the other ranks write their parts, and rank 0 its own, all
 * with positional writes (whichever rank comes first creates the file; nobody truncates it). The file is written
 * under a temporary name beside the target and renamed into place only after every rank has written its parts and the
 * whole file is on disk (and, for a checksummed plan, rank 0 has filled the file's checksums): a failed write never
 * leaves a file under the final name, nor touches an earlier file there.
 *
 * <p>Syncs: every rank that does not run on rank 0's machine forces its own parts to disk before the ranks agree that
 * all parts are written (on a shared file system a rank can only vouch for its own writes). Rank 0 forces nothing until
 * the end: after the checksums it forces the whole file once, which covers its copies, footer, parts and checksums, and
 * the parts of every rank on its machine (the kernel syncs a file's dirty pages whoever wrote them: {@link #nodeId}),
 * then renames. On one machine: one sync on one rank, as a plain write that is synced and renamed would have.
 */
public final class VlsvRewrite {
  /** Suffix of the temporary file beside the output. */
  public static final String PARTIAL_SUFFIX = ".vdfc-partial";
  /** Bytes per write call of gathered parts (see {@link Staging}). */
  static final int WRITE_WINDOW = 1 << 20;

  /** A new array: its footer entry (the caller's attributes; the writer adds the four size/type attributes). */
  public record NewArray(String tag, Map<String, String> attributes, VlsvDataType type, int dataSize, int vectorSize,
      long arraySize) {
    public long byteSize() {
      return arraySize * vectorSize * dataSize;
    }
  }

  /**
   * A rank's bytes of new array {@code array} (index in the plan's list of new arrays) at {@code offset} within it, with
   * their CRC32C when the caller already has it (null: the writer computes it, for a checksummed plan).
   */
  public record Part(int array, long offset, ByteBuffer bytes, Integer crc32c) {
    public Part(int array, long offset, ByteBuffer bytes) {
      this(array, offset, bytes, null);
    }
  }

  /**
   * Something a benchmark runs on every rank just before a collective write starts (after the ranks have met), outside
   * every phase's time: {@code vdfc-scaling} times a plain write of as many bytes there, so that the two writes it
   * compares take turns right after the encoding ({@link VlsvCompressor#beforeWrite}, {@link
   * VlsvDecompressor#beforeWrite}).
   */
  @FunctionalInterface
  public interface BeforeWrite {
    BeforeWrite NOTHING = () -> {};

    void run() throws IOException;
  }

  /** What to do with the input's arrays. */
  public interface Plan {
    /**
     * The new arrays that stand where {@code input} stood: {@code null} to copy it, an empty list to drop it.
     * Must give the same answer on every rank.
     */
    List<NewArray> replace(VlsvArray input);

    /** New arrays written after all others. */
    List<NewArray> appended();

    /**
     * True if the last appended array is a {@link FileChecksums} array: rank 0 fills it after every rank has written
     * and synced its parts, before the rename.
     */
    default boolean checksummed() {
      return false;
    }
  }

  private VlsvRewrite() {
    throw new AssertionError("no instances");
  }

  /**
   * Writes {@code out} collectively.
   *
   * @param parts this rank's parts; new arrays are numbered in file order (replacements in input order, then appended)
   */
  public static void write(VlsvFile in, Path out, Plan plan, List<Part> parts, Collectives c) throws IOException {
    Path tmp = partialName(out);
    if (c.rank() == 0) {
      IN_PROGRESS.add(tmp);
    }
    try {
      writeUnder(tmp, in, out, plan, parts, c);
    } finally {
      IN_PROGRESS.remove(tmp);
    }
  }

  /**
   * The temporary files rank 0 of this JVM is writing now. A JVM that ends in the middle of a write removes them: a
   * shutdown hook does on a signal (Ctrl-C, SIGTERM), {@link #removePartialsInProgress} where the JVM is halted (the MPI
   * driver's collective timeout). Only SIGKILL or a power loss leaves one, which the next run to the same output removes
   * first ({@link #prepareTarget}).
   */
  private static final java.util.Set<Path> IN_PROGRESS = java.util.concurrent.ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(VlsvRewrite::removePartialsInProgress, "vdfc-partials"));
  }

  /** Removes every temporary file a write in this JVM has not finished; for a JVM about to halt. */
  public static void removePartialsInProgress() {
    OutputLock.removeAllHeld();
    for (Path p : IN_PROGRESS) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException | RuntimeException e) {
        // the JVM is ending: nothing else to do; the next run to this output removes it
      }
    }
  }

  private static void writeUnder(Path tmp, VlsvFile in, Path out, Plan plan, List<Part> parts, Collectives c)
      throws IOException {
    List<NewArray> fresh = new ArrayList<>();
    Layout layout = null;
    FileChannel open = null; // rank 0: the writer's file, open from the layout to the sync
    byte[][] runs;
    Exception own = null; // this rank's failure while writing
    try {
      boolean syncMine = !onRank0sNode(c); // collective the first time: every rank calls it, rank 0 too
      String mine = null;
      byte[] myRuns = new byte[0];
      try {
        // every rank lays the file out itself (the plan is the same everywhere), so no offsets are exchanged; rank 0
        // creates the file, the others create it too if they come first, and nobody truncates it
        layout = layout(in, tmp, plan, fresh, c.rank() == 0);
        if (c.rank() == 0) {
          open = layout.writeCopies(in);
        }
        myRuns = writeParts(open, tmp, fresh, layout.offsets(), parts, syncMine, plan.checksummed());
        FaultInjection.at("write", c.rank());
      } catch (IOException | RuntimeException e) {
        own = e;
        mine = "rank " + c.rank() + ": writing " + (c.rank() == 0 ? "" : "its parts of ") + tmp + ": "
            + IoErrors.describe(e);
      }
      runs = agree(mine, withLayoutPrint(layout, fresh, myRuns), c);
    } catch (RuntimeException e) {
      if (c.rank() == 0) {
        if (layout != null) {
          layout.writer().close();
        }
        Files.deleteIfExists(tmp); // every rank has stopped writing: each passed or aborted the agreement above
      }
      if (own instanceof IOException && e instanceof Collectives.CollectiveFailure) {
        throw new IOException(e.getMessage(), own); // an I/O error of this rank's own (every rank's message kept)
      }
      throw e;
    }
    Exception last = null;
    if (c.rank() == 0) {
      last = differentLayout(runs, c); // and the runs without their prints
      try (VlsvWriter w = layout.writer()) {
        if (last == null) {
          if (plan.checksummed()) {
            FileChecksums.fill(open, w, layout.knownCrcs(runs, fresh));
          }
          open.force(true); // the whole file: rank 0's copies, footer and parts, the checksums (others synced theirs)
        }
      } catch (IOException | RuntimeException e) {
        last = e;
      }
      try {
        if (last == null) {
          Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
      } catch (IOException | RuntimeException e) {
        last = e;
      }
    }
    if (c.rank() == 0 && last != null) {
      Files.deleteIfExists(tmp);
    }
    try {
      agree(last == null ? null : "rank 0: finishing " + tmp + ": " + IoErrors.describe(last), c);
    } catch (Collectives.CollectiveFailure f) {
      if (last instanceof IOException io) {
        throw io; // the rank that failed reports its own error (an I/O error, not another rank's)
      }
      throw f;
    }
  }

  /**
   * What a rank knows after laying the file out: the writer (its entries; on rank 0, which writes through it, header and
   * footer once {@link #writeCopies} has finished it), the offset and writer entry index of every new array, how many
   * of them replace input arrays (the first ones; the plan's appended arrays follow), the runs of back-to-back input
   * arrays to copy with their entries, and, once copied, the CRC32C of each copied array, computed as it was copied
   * (checksummed plans only; keyed by writer entry index).
   */
  private record Layout(VlsvWriter writer, long[] offsets, int[] freshEntry, int replacing, List<List<VlsvArray>> runs,
      List<List<VlsvArray>> copies, boolean sums, Map<Integer, Integer> copyCrcs) {
    /**
     * Copies the input's arrays into their entries, then writes the footer (no sync).
     *
     * @return the writer's file, still open ({@link VlsvWriter#finishOpen}): closing the writer closes it
     */
    FileChannel writeCopies(VlsvFile in) throws IOException {
      for (int r = 0; r < runs.size(); r++) {
        List<VlsvArray> run = runs.get(r);
        Checksum[] c = null;
        if (sums) {
          c = new Checksum[run.size()];
          for (int i = 0; i < c.length; i++) {
            c[i] = new CRC32C();
          }
        }
        writer.writeCopies(in, run, copies.get(r), c);
        if (sums) {
          for (int i = 0; i < c.length; i++) {
            copyCrcs.put(copies.get(r).get(i).index(), (int) c[i].getValue());
          }
        }
      }
      return writer.finishOpen(); // synced once, with everything else, before the rename
    }

    /**
     * The CRC32C of every array whose bytes some rank wrote and checksummed, by writer entry index: the copies, and
     * each new array that the ranks' runs ({@code runs[r]}: rank r's, as {@link #writeParts} encodes them) tile
     * exactly, joined with {@link Crc32cConcat}. A new array they do not tile (a gap nobody wrote) is left out, and
     * {@link FileChecksums#fill} reads it back.
     */
    Map<Integer, Integer> knownCrcs(byte[][] runs, List<NewArray> fresh) {
      List<List<long[]>> byArray = new ArrayList<>();
      for (int i = 0; i < fresh.size(); i++) {
        byArray.add(new ArrayList<>());
      }
      for (byte[] r : runs) {
        ByteBuffer b = ByteBuffer.wrap(r).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
          int array = b.getInt();
          byArray.get(array).add(new long[] {b.getLong(), b.getLong(), b.getInt()});
        }
      }
      Map<Integer, Integer> known = new HashMap<>(copyCrcs);
      for (int i = 0; i < fresh.size(); i++) {
        List<long[]> pieces = byArray.get(i);
        pieces.sort(Comparator.comparingLong(p -> p[0]));
        long at = 0;
        int crc = 0;
        for (long[] p : pieces) {
          if (p[0] != at) {
            break; // a gap or an overlap: read this array back
          }
          crc = Crc32cConcat.concat(crc, (int) p[2], p[1]);
          at += p[1];
        }
        if (at == fresh.get(i).byteSize()) {
          known.put(freshEntry[i], crc);
        }
      }
      return known;
    }
  }

  /**
   * Whether {@code out} is the existing file {@code in} (under another name too: a link), which writing {@code out}
   * would replace. The check of every command that writes a file from others (also {@code vdfc plot}, {@code export}).
   */
  public static boolean isInput(Path out, Path in) throws IOException {
    return in != null && Files.exists(out) && Files.exists(in) && Files.isSameFile(in, out);
  }

  /** The temporary name {@code out} is written under: {@code <out>.vdfc-partial} beside it. */
  public static Path partialName(Path out) {
    return out.resolveSibling(out.getFileName() + PARTIAL_SUFFIX);
  }

  /**
   * Call at the start of a run that rewrites {@code in} into {@code out}, before any rank reads or computes, and close
   * what it returns when the run has written {@code out} or failed: rank 0 checks that {@code out} can be written
   * ({@link #targetProblem}; it creates a missing directory), takes its {@link OutputLock}, so that no other run writes
   * {@code out} meanwhile, and removes a {@code <out>.vdfc-partial} left by an earlier run that was killed while
   * writing (a SIGKILL or a power loss leaves it; any other failure removes it). Every rank then stops with rank 0's
   * message if {@code out} cannot be written or another run holds it, before any work is spent.
   *
   * @return rank 0: the output's lock; other ranks: {@link OutputLock#NONE}
   * @throws IllegalArgumentException on rank 0, naming the path and what is wrong with it (the input itself, a
   *     directory, a device)
   * @throws IOException on rank 0 if the file system refuses it (its directory or temporary file cannot be created) or
   *     another run is writing it
   */
  public static OutputLock prepareTarget(Path in, Path out, Collectives c) throws IOException {
    OutputLock lock = OutputLock.NONE;
    Exception problem = null;
    if (c.rank() == 0) {
      problem = targetProblem(in, out);
      if (problem == null) {
        try {
          lock = OutputLock.take(out);
          problem = partialProblem(out);
        } catch (IOException | RuntimeException e) {
          problem = e;
        }
      }
    }
    try {
      agreeOrRethrow(problem, "", c);
    } catch (IOException | RuntimeException e) {
      try {
        lock.close();
      } catch (IOException | RuntimeException again) {
        e.addSuppressed(again);
      }
      throw e;
    }
    return lock;
  }

  /**
   * Why {@code out} cannot be the output of rewriting {@code in}, or null: {@link #outputProblem}, or {@code in} is the
   * temporary name {@code out} is written under, which is removed first ({@link #partialProblem} probes that it can be
   * created).
   *
   * @return null, an {@link IllegalArgumentException} for a path that must not be the output, or an {@link
   *     IOException} for one the file system refuses
   */
  static Exception targetProblem(Path in, Path out) {
    Exception problem = outputProblem(out, in);
    try {
      if (problem == null && isInput(partialName(out), in)) { // the stale partial this run would remove first
        problem = new IllegalArgumentException("input " + in + " has the name " + out + " is written under ("
            + partialName(out).getFileName() + "); rename the input or give another output path (the input is left "
            + "as it is)");
      }
    } catch (IOException | RuntimeException e) {
      problem = new IOException("output " + out + ": " + IoErrors.describe(e), e);
    }
    return problem;
  }

  /**
   * Why a command that writes {@code out} from {@code inputs} must not, or null; the check of every command that writes
   * a file, made before it reads or computes anything: {@code out} is one of the inputs (under another name too: a
   * link), which the rename at the end would replace with the new file, so that a lossy compression would leave no
   * original behind ({@code vdfc plot r.vlsv --out r.vlsv} overwrote the restart with a PNG); or it is not a file
   * ({@link #notAFile}). A missing directory of {@code out} is created, so that a path that cannot be written fails
   * now, not after the work.
   *
   * @param inputs the command's input files; null entries (an optional input not given) are skipped
   * @return null, an {@link IllegalArgumentException} for a path that must not be the output (a usage error), or an
   *     {@link IOException} for one the file system refuses (an I/O error)
   */
  public static Exception outputProblem(Path out, Path... inputs) {
    try {
      for (Path in : inputs) {
        if (isInput(out, in)) {
          return new IllegalArgumentException("output " + out + " is the input file " + (in.equals(out) ? "" : in
              + " ") + "itself; give another output path (the input is left as it is)");
        }
      }
      String kind = notAFile(out);
      if (kind != null) {
        return new IllegalArgumentException(kind);
      }
      Path dir = out.toAbsolutePath().getParent();
      if (dir != null && !Files.isDirectory(dir)) {
        try {
          Files.createDirectories(dir);
        } catch (IOException e) { // IoErrors names the kind: permission denied, a file of that name exists, ...
          return new IOException("output " + out + " cannot be written: cannot create its directory: "
              + IoErrors.describe(e), e);
        }
      }
      return null;
    } catch (IOException | RuntimeException e) {
      return new IOException("output " + out + ": " + IoErrors.describe(e), e);
    }
  }

  /**
   * Removes a stale temporary file of {@code out} (under its lock: no run is writing it) and probes that it can be
   * created: created empty and removed.
   *
   * @return null, or the {@link IOException} of a temporary file the file system refuses
   */
  private static IOException partialProblem(Path out) {
    Path partial = partialName(out);
    try {
      Files.deleteIfExists(partial); // left by an earlier run that was killed while writing
      Files.newByteChannel(partial, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
      Files.delete(partial); // the write creates it again, once every rank is done encoding
      return null;
    } catch (IOException e) {
      return new IOException("output " + out + " cannot be written: " + IoErrors.describe(e), e);
    }
  }

  /**
   * Why an output path that exists cannot be replaced by a new file, or null: it is a directory, or not a regular file
   * (a device such as /dev/null, a pipe, a socket), which the rename at the end would replace with a regular file, or a
   * symbolic link, which it would replace while its target stays as it was. The check of every command that writes a
   * file ({@code vdfc plot}, {@code export} and {@code verify --png} too).
   */
  public static String notAFile(Path out) {
    if (Files.isSymbolicLink(out)) {
      String target;
      try {
        target = Files.readSymbolicLink(out).toString();
      } catch (IOException e) {
        target = "?";
      }
      return "output " + out + " is a symbolic link (to " + target + "), which the new file would replace; give the path"
          + " of the file itself";
    }
    if (Files.isDirectory(out)) {
      return "output " + out + " is a directory; give the output file's path";
    }
    if (Files.exists(out) && !Files.isRegularFile(out)) {
      return "output " + out + " is not a regular file (a device, a pipe or a socket), which the new file would replace;"
          + " give a file's path";
    }
    return null;
  }

  /**
   * As {@link #agree(String, Collectives)} for a step only some ranks can fail in ({@code own}: this rank's failure, or
   * null). A rank that failed rethrows {@code own} itself, so that its message and exit code say what went wrong (a
   * path, a corrupt file, a missing setting) and not that "a rank failed"; the others throw {@link
   * Collectives.CollectiveFailure} with every failed rank's message, as {@code rank R: <step>: <message>}.
   *
   * @param step what the ranks were doing, e.g. {@code training the vq model of proton}; empty for none
   */
  public static void agreeOrRethrow(Exception own, String step, Collectives c) throws IOException {
    String failure = own == null ? null
        : "rank " + c.rank() + ": " + (step.isEmpty() ? "" : step + ": ") + IoErrors.describe(own);
    try {
      agree(failure, c);
    } catch (Collectives.CollectiveFailure f) {
      if (own instanceof IOException io) {
        throw io;
      }
      if (own instanceof RuntimeException r) {
        throw r;
      }
      throw f;
    }
  }

  /** Throws on every rank if any rank reports a failure, with every rank's message. */
  public static void agree(String failure, Collectives c) {
    agree(failure, new byte[0], c);
  }

  /**
   * As {@link #agree(String, Collectives)}, in the same single exchange handing every rank each rank's {@code payload}
   * (sent only by ranks without a failure).
   *
   * @return every rank's payload, by rank
   */
  static byte[][] agree(String failure, byte[] payload, Collectives c) {
    byte[] text = failure == null ? new byte[0] : failure.getBytes(StandardCharsets.UTF_8);
    byte[] mine = new byte[1 + (failure == null ? payload.length : text.length)];
    mine[0] = (byte) (failure == null ? 0 : 1);
    System.arraycopy(failure == null ? payload : text, 0, mine, 1, mine.length - 1);
    byte[][] all = c.allgather(mine);
    StringBuilder sb = new StringBuilder();
    byte[][] payloads = new byte[all.length][];
    for (int r = 0; r < all.length; r++) {
      payloads[r] = Arrays.copyOfRange(all[r], 1, all[r].length);
      if (all[r][0] != 0) {
        sb.append(sb.length() == 0 ? "" : "; ").append(new String(payloads[r], StandardCharsets.UTF_8));
      }
    }
    if (sb.length() > 0) {
      throw new Collectives.CollectiveFailure(sb.toString());
    }
    return payloads;
  }

  /**
   * {@code runs} prefixed with a print of the layout this rank wrote by: the offsets and sizes of the arrays that
   * replace the input's (the ones the ranks write parts of), 8 bytes; 0 when it has none (it failed before).
   */
  private static byte[] withLayoutPrint(Layout layout, List<NewArray> fresh, byte[] runs) {
    long print = 0;
    if (layout != null) {
      for (int i = 0; i < layout.replacing(); i++) {
        print = 31 * (31 * print + layout.offsets()[i]) + fresh.get(i).byteSize();
      }
      print = 31 * print + layout.replacing();
    }
    return ByteBuffer.allocate(8 + runs.length).order(ByteOrder.LITTLE_ENDIAN).putLong(print).put(runs).array();
  }

  /**
   * Rank 0, after the ranks agreed their parts are written: strips every rank's layout print off its runs (in place)
   * and checks the prints against its own. Every rank lays the file out itself from the plan, which must be the same
   * everywhere; a rank that got other offsets wrote its parts in the wrong places.
   *
   * @return the failure to report, or null
   */
  private static Exception differentLayout(byte[][] runs, Collectives c) {
    long mine = ByteBuffer.wrap(runs[0]).order(ByteOrder.LITTLE_ENDIAN).getLong();
    List<Integer> differ = new ArrayList<>();
    for (int r = 0; r < runs.length; r++) {
      if (ByteBuffer.wrap(runs[r]).order(ByteOrder.LITTLE_ENDIAN).getLong() != mine) {
        differ.add(r);
      }
      runs[r] = Arrays.copyOfRange(runs[r], 8, runs[r].length);
    }
    return differ.isEmpty() ? null : new IllegalStateException("ranks " + differ + " laid the file out differently from"
        + " rank 0 (the write plan differs between the " + c.size() + " ranks); their parts would land in the wrong places");
  }

  /** Per communicator (by identity): whether this rank runs on rank 0's machine ({@link #nodeId}). */
  private static final Map<Collectives, Boolean> RANK0S_NODE = java.util.Collections.synchronizedMap(
      new java.util.WeakHashMap<>());

  /**
   * Whether this rank runs on rank 0's machine, so that rank 0's final sync of the file covers its writes. Asked once
   * per communicator, collectively (every rank's first write on it): an {@code allgather} of rank 0's {@link #nodeId};
   * a machine does not change during a run.
   */
  private static boolean onRank0sNode(Collectives c) {
    if (c.size() == 1) {
      return true;
    }
    Boolean known = RANK0S_NODE.get(c);
    if (known == null) {
      byte[] node = c.rank() == 0 ? nodeId().getBytes(StandardCharsets.UTF_8) : new byte[0];
      String rank0s = new String(c.allgather(node)[0], StandardCharsets.UTF_8);
      known = c.rank() == 0 || !rank0s.isEmpty() && rank0s.equals(nodeId());
      RANK0S_NODE.put(c, known);
    }
    return known;
  }

  /**
   * This machine's running kernel (boot id and host name, Linux), or "" when unknown. Linux syncs a file's dirty pages
   * whoever wrote them, so rank 0's final {@code force} of the whole file covers the writes of every rank on the same
   * kernel; only ranks elsewhere (another node, or an unknown one) must sync their own parts.
   */
  static String nodeId() {
    String id = nodeId;
    if (id == null) {
      try {
        id = Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).trim() + " " + readHostName();
      } catch (IOException | RuntimeException e) {
        id = "";
      }
      nodeId = id;
    }
    return id;
  }

  /** This machine's host name (Linux), or "this machine" when unknown. */
  static String hostName() {
    try {
      return readHostName();
    } catch (IOException | RuntimeException e) {
      return "this machine";
    }
  }

  private static String readHostName() throws IOException {
    return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
  }

  private static volatile String nodeId;

  /**
   * Lays the file out: the copies' entries (their bytes are written later, by {@link Layout#writeCopies}) and the new
   * arrays' ranges, in file order, appended arrays last. With {@code create} (rank 0) the file is created, not
   * truncated, and the writer stays open; else the writer only lays out ({@link VlsvWriter#layoutOnly}).
   */
  private static Layout layout(VlsvFile in, Path tmp, Plan plan, List<NewArray> fresh, boolean create)
      throws IOException {
    List<Long> offs = new ArrayList<>();
    List<Integer> entries = new ArrayList<>();
    List<List<VlsvArray>> runs = new ArrayList<>();
    List<List<VlsvArray>> copies = new ArrayList<>();
    VlsvWriter w = create ? VlsvWriter.createShared(tmp) : VlsvWriter.layoutOnly(tmp);
    try {
      List<VlsvArray> run = new ArrayList<>(); // copied arrays back to back in the input: one read and write for all
      for (VlsvArray a : inFileOrder(in)) {
        List<NewArray> r = plan.replace(a);
        if (r == null) {
          VlsvArray prev = run.isEmpty() ? null : run.get(run.size() - 1);
          if (prev != null && prev.offset() + prev.byteSize() != a.offset()) {
            run = reserveCopies(w, run, runs, copies);
          }
          run.add(a);
        } else {
          run = reserveCopies(w, run, runs, copies);
          for (NewArray n : r) {
            VlsvArray e = reserve(w, n);
            offs.add(e.offset());
            entries.add(e.index());
            fresh.add(n);
          }
        }
      }
      reserveCopies(w, run, runs, copies);
      int replacing = offs.size();
      for (NewArray n : plan.appended()) {
        VlsvArray e = reserve(w, n);
        offs.add(e.offset());
        entries.add(e.index());
        fresh.add(n);
      }
      long[] offsets = new long[offs.size()];
      int[] entryOf = new int[entries.size()];
      for (int i = 0; i < offsets.length; i++) {
        offsets[i] = offs.get(i);
        entryOf[i] = entries.get(i);
      }
      return new Layout(w, offsets, entryOf, replacing, runs, copies, plan.checksummed(), new HashMap<>());
    } catch (RuntimeException e) {
      try {
        w.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** Reserves the copies of a run of back-to-back arrays; @return a new, empty run */
  private static List<VlsvArray> reserveCopies(VlsvWriter w, List<VlsvArray> run, List<List<VlsvArray>> runs,
      List<List<VlsvArray>> copies) {
    if (!run.isEmpty()) {
      runs.add(run);
      copies.add(w.reserveCopies(run));
    }
    return new ArrayList<>();
  }

  private static VlsvArray reserve(VlsvWriter w, NewArray n) {
    return w.reserveArray(n.tag(), n.attributes(), n.type(), n.dataSize(), n.vectorSize(), n.arraySize());
  }

  /**
   * Writes this rank's parts in file order, those back to back gathered into one write call ({@link Staging}).
   *
   * @param open the file, open for writing, that rank 0 writes through (left open); null: open {@code tmp} (created
   *     if this rank comes first) and close it
   * @param sync force the parts to disk before returning
   * @param sums checksum the parts
   * @return with {@code sums}, this rank's runs: for each stretch of a new array it wrote back to back, {@code [i32
   *     array][i64 offset][i64 length][i32 crc32c]}, little-endian; else empty
   */
  private static byte[] writeParts(FileChannel open, Path tmp, List<NewArray> fresh, long[] offsets, List<Part> parts,
      boolean sync, boolean sums) throws IOException {
    if (parts.isEmpty()) {
      return new byte[0];
    }
    List<Part> sorted = new ArrayList<>(parts);
    sorted.sort(Comparator.comparingLong((Part p) -> offsets[p.array()] + p.offset()));
    ByteArrayOutputStream runs = new ByteArrayOutputStream();
    ByteBuffer run = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
    int runArray = -1;
    long runStart = 0, runEnd = 0;
    int runCrc = 0;
    FileChannel ch = open != null ? open : FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      Staging staging = new Staging(ch);
      for (Part p : sorted) {
        NewArray a = fresh.get(p.array());
        ByteBuffer b = p.bytes().duplicate();
        long length = b.remaining();
        if (p.offset() < 0 || p.offset() + length > a.byteSize()) {
          throw new IllegalStateException("part of " + a.tag() + " at " + p.offset() + " (+" + length
              + ") outside its " + a.byteSize() + " bytes");
        }
        if (length == 0) {
          continue;
        }
        if (sums) {
          int partCrc;
          if (p.crc32c() != null) {
            partCrc = p.crc32c();
          } else {
            CRC32C crc = new CRC32C();
            crc.update(b.duplicate());
            partCrc = (int) crc.getValue();
          }
          if (p.array() != runArray || p.offset() != runEnd) {
            if (runArray >= 0) {
              runs.write(run.clear().putInt(runArray).putLong(runStart).putLong(runEnd - runStart).putInt(runCrc).array());
            }
            runArray = p.array();
            runStart = p.offset();
            runEnd = p.offset();
            runCrc = 0;
          }
          runCrc = Crc32cConcat.concat(runCrc, partCrc, length);
          runEnd += length;
        }
        staging.write(b, offsets[p.array()] + p.offset());
      }
      staging.flush();
      staging.release();
      if (runArray >= 0) {
        runs.write(run.clear().putInt(runArray).putLong(runStart).putLong(runEnd - runStart).putInt(runCrc).array());
      }
      if (sync) {
        ch.force(true);
      }
    } finally {
      if (ch != open) {
        ch.close();
      }
    }
    return runs.toByteArray();
  }

  /**
   * Positional writes gathered: parts that continue each other in the file go to the kernel in one call. Direct parts
   * (records a compressor put into a {@link io.vdfc.vlsv.DirectArena}) are gathered as they are, into one vectored
   * write ({@code writev}) per stretch, without a copy. Heap parts are copied into one direct buffer, as the kernel needs
   * them in direct memory anyway (a heap buffer goes through a temporary direct copy of each write's size), so that
   * small ones share a write call and a rank's whole block data goes in windows that stay in cache.
   *
   * <p>The gathered writes go through the channel's position: the channel is this rank's alone.
   */
  private static final class Staging {
    /** At most this many parts per vectored write (Linux's IOV_MAX). */
    private static final int MAX_GATHER = 1024;

    private final FileChannel ch;
    private ByteBuffer buf;
    private long start;
    private final ByteBuffer[] gather = new ByteBuffer[MAX_GATHER];
    private int gathered;
    private long gatherStart;
    private long gatherEnd;

    Staging(FileChannel ch) {
      this.ch = ch;
    }

    void write(ByteBuffer b, long pos) throws IOException {
      if (b.isDirect()) {
        if (gathered > 0 && (gatherEnd != pos || gathered == MAX_GATHER)) {
          flushGathered();
        }
        flushStaged();
        if (gathered == 0) {
          gatherStart = pos;
          gatherEnd = pos;
        }
        gather[gathered++] = b;
        gatherEnd += b.remaining();
        return;
      }
      flushGathered();
      if (buf == null) {
        buf = DirectBuffers.take(WRITE_WINDOW);
      }
      while (b.hasRemaining()) {
        if (buf.position() > 0 && (start + buf.position() != pos || !buf.hasRemaining())) {
          flushStaged();
        }
        if (buf.position() == 0) {
          start = pos;
        }
        int n = Math.min(buf.remaining(), b.remaining());
        buf.put(buf.position(), b, b.position(), n);
        buf.position(buf.position() + n);
        b.position(b.position() + n);
        pos += n;
      }
    }

    void flush() throws IOException {
      flushGathered();
      flushStaged();
    }

    private void flushStaged() throws IOException {
      if (buf != null && buf.position() > 0) {
        buf.flip();
        writeFully(ch, buf, start);
        buf.clear().limit(WRITE_WINDOW);
      }
    }

    private void flushGathered() throws IOException {
      if (gathered == 0) {
        return;
      }
      ch.position(gatherStart);
      int first = 0;
      while (first < gathered) {
        ch.write(gather, first, gathered - first);
        while (first < gathered && !gather[first].hasRemaining()) {
          first++;
        }
      }
      Arrays.fill(gather, 0, gathered, null);
      gathered = 0;
    }

    /** After the last flush: the buffer goes back to the thread's {@link DirectBuffers}. */
    void release() {
      DirectBuffers.give(buf);
      buf = null;
    }
  }

  private static void writeFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
    while (b.hasRemaining()) {
      pos += ch.write(b, pos);
    }
  }

  /** The input's arrays in the order they were written ({@link VlsvCopy#dataOrder}). */
  public static List<VlsvArray> inFileOrder(VlsvFile in) {
    return in.dataOrder();
  }
}
