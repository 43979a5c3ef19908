package io.vdfc.restart;

import io.vdfc.parallel.Collectives;
import io.vdfc.parallel.FaultInjection;
import io.vdfc.vlsv.VlsvArray;
import io.vdfc.vlsv.VlsvCopy;
import io.vdfc.vlsv.VlsvDataType;
import io.vdfc.vlsv.VlsvFile;
import io.vdfc.vlsv.VlsvWriter;
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
import java.util.List;
import java.util.Map;

/**
 * Writes a VLSV file that copies an input file's arrays verbatim except those a plan replaces, by one rank or many.
 *
 * <p>Every rank passes the same plan; each contributes its parts of the replaced arrays (byte offset within the array
 * plus bytes). Rank 0 lays the file out (copied arrays in input order, replacements where the arrays they replace
 * stood, appended arrays last), writes the copies and the footer, and broadcasts the replaced arrays' offsets; every
 * rank then writes its parts with positional writes. The file is written under a temporary name beside the target and
 * renamed into place only after every rank has written and synced its parts (and, for a checksummed plan, rank 0 has
 * filled the file's checksums): a failed write never leaves a file under the final name, nor touches an earlier file
 * there.
 */
public final class VlsvRewrite {
  /** Suffix of the temporary file beside the output. */
  public static final String PARTIAL_SUFFIX = ".vdfc-partial";

  /** A new array: its footer entry (the caller's attributes; the writer adds the four size/type attributes). */
  public record NewArray(String tag, Map<String, String> attributes, VlsvDataType type, int dataSize, int vectorSize,
      long arraySize) {
    public long byteSize() {
      return arraySize * vectorSize * dataSize;
    }
  }

  /** A rank's bytes of new array {@code array} (index in the plan's list of new arrays) at {@code offset} within it. */
  public record Part(int array, long offset, ByteBuffer bytes) {}

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
    List<NewArray> fresh = new ArrayList<>();
    long[] offsets;
    String failure = null;
    if (c.rank() == 0) {
      try {
        offsets = layoutAndWriteCopies(in, tmp, plan, fresh);
      } catch (IOException | RuntimeException e) {
        failure = "writing " + tmp + ": " + e.getMessage();
        offsets = new long[0];
      }
    } else {
      collectPlan(in, plan, fresh);
      offsets = new long[0];
    }
    try {
      offsets = shareOffsets(offsets, fresh.size(), failure, c);
      String mine = null;
      try {
        writeParts(tmp, fresh, offsets, parts);
        FaultInjection.at("write", c.rank());
      } catch (IOException | RuntimeException e) {
        mine = "rank " + c.rank() + ": writing its parts of " + tmp + ": " + e.getMessage();
      }
      agree(mine, c);
    } catch (RuntimeException e) {
      if (c.rank() == 0) {
        Files.deleteIfExists(tmp); // every rank has stopped writing: each passed or aborted the agreement above
      }
      throw e;
    }
    Exception last = null;
    if (c.rank() == 0) {
      try {
        if (plan.checksummed()) {
          FileChecksums.fill(tmp);
        }
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException | RuntimeException e) {
        last = e;
        Files.deleteIfExists(tmp);
      }
    }
    try {
      agree(last == null ? null : "rank 0: finishing " + tmp + ": " + last.getMessage(), c);
    } catch (Collectives.CollectiveFailure f) {
      if (last instanceof IOException io) {
        throw io; // the rank that failed reports its own error (an I/O error, not another rank's)
      }
      throw f;
    }
  }

  /** The temporary name {@code out} is written under: {@code <out>.vdfc-partial} beside it. */
  public static Path partialName(Path out) {
    return out.resolveSibling(out.getFileName() + PARTIAL_SUFFIX);
  }

  /**
   * Rank 0 removes a {@code <out>.vdfc-partial} left by an earlier run that was killed while writing (a SIGKILL or a
   * power loss leaves it; any other failure removes it). Call at the start of a run, before any rank writes.
   */
  public static void discardStalePartial(Path out, Collectives c) throws IOException {
    if (c.rank() == 0) {
      Files.deleteIfExists(partialName(out));
    }
  }

  /** Throws on every rank if any rank reports a failure, with every rank's message. */
  public static void agree(String failure, Collectives c) {
    byte[][] all = c.allgather(failure == null ? new byte[0] : failure.getBytes(StandardCharsets.UTF_8));
    StringBuilder sb = new StringBuilder();
    for (byte[] m : all) {
      if (m.length > 0) {
        sb.append(sb.length() == 0 ? "" : "; ").append(new String(m, StandardCharsets.UTF_8));
      }
    }
    if (sb.length() > 0) {
      throw new Collectives.CollectiveFailure(sb.toString());
    }
  }

  private static long[] shareOffsets(long[] offsets, int n, String failure, Collectives c) {
    byte[] buf = new byte[8 * (n + 1)];
    if (c.rank() == 0) {
      ByteBuffer b = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
      b.putLong(failure == null ? 0 : 1);
      for (int i = 0; i < n && failure == null; i++) {
        b.putLong(offsets[i]);
      }
    }
    agree(c.rank() == 0 ? failure : null, c);
    c.broadcast(buf, 0);
    ByteBuffer b = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
    b.getLong();
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      out[i] = b.getLong();
    }
    return out;
  }

  private static void collectPlan(VlsvFile in, Plan plan, List<NewArray> fresh) {
    for (VlsvArray a : inFileOrder(in)) {
      List<NewArray> r = plan.replace(a);
      if (r != null) {
        fresh.addAll(r);
      }
    }
    fresh.addAll(plan.appended());
  }

  private static long[] layoutAndWriteCopies(VlsvFile in, Path tmp, Plan plan, List<NewArray> fresh) throws IOException {
    List<Long> offs = new ArrayList<>();
    try (VlsvWriter w = VlsvWriter.create(tmp)) {
      for (VlsvArray a : inFileOrder(in)) {
        List<NewArray> r = plan.replace(a);
        if (r == null) {
          w.copyArray(in, a);
        } else {
          for (NewArray n : r) {
            offs.add(reserve(w, n));
            fresh.add(n);
          }
        }
      }
      for (NewArray n : plan.appended()) {
        offs.add(reserve(w, n));
        fresh.add(n);
      }
      w.finish();
    }
    return offs.stream().mapToLong(Long::longValue).toArray();
  }

  private static long reserve(VlsvWriter w, NewArray n) throws IOException {
    return w.reserveArray(n.tag(), n.attributes(), n.type(), n.dataSize(), n.vectorSize(), n.arraySize()).offset();
  }

  private static void writeParts(Path tmp, List<NewArray> fresh, long[] offsets, List<Part> parts) throws IOException {
    if (parts.isEmpty()) {
      return;
    }
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      for (Part p : parts) {
        NewArray a = fresh.get(p.array());
        ByteBuffer b = p.bytes().duplicate();
        if (p.offset() < 0 || p.offset() + b.remaining() > a.byteSize()) {
          throw new IllegalStateException("part of " + a.tag() + " at " + p.offset() + " (+" + b.remaining()
              + ") outside its " + a.byteSize() + " bytes");
        }
        long pos = offsets[p.array()] + p.offset();
        while (b.hasRemaining()) {
          pos += ch.write(b, pos);
        }
      }
      ch.force(true);
    }
  }

  /** The input's arrays in the order they were written ({@link VlsvCopy#dataOrder}). */
  public static List<VlsvArray> inFileOrder(VlsvFile in) {
    return VlsvCopy.dataOrder(in.arrays());
  }
}
