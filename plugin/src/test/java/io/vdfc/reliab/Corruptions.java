package io.vdfc.reliab;

import io.vdfc.codec.CodecRegistry;
import io.vdfc.codec.Tolerance;
import io.vdfc.compress.CompressionSettings;
import io.vdfc.parallel.SingleRank;
import io.vdfc.restart.CompressedVlsv;
import io.vdfc.restart.IntegrityCheck;
import io.vdfc.restart.VlsvCompressor;
import io.vdfc.vlsv.VlsvArray;
import io.vdfc.vlsv.VlsvFile;
import io.vdfc.vlsv.VlsvFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The harness of the corruption sweeps: corrupts a copy of a compressed file in place (one bit flipped, then flipped
 * back), runs a check and a decode on it under a time limit, and classifies the outcome. A corruption is
 * <em>detected</em> when the check or decode fails with a {@link VlsvFormatException} (which names the file and a byte
 * offset, exit code 3 on the command line), <em>harmless</em> when both pass and the decode is proven identical to the
 * uncorrupted one, and a <em>failure</em> otherwise: a silently different result, any other exception, a hang, an
 * out-of-memory error.
 */
public final class Corruptions {
  /** What to run on a corrupted file; returns true if its result equals the uncorrupted file's (the proof). */
  public interface Decode {
    boolean identical(Path corrupted) throws Exception;
  }

  /** Counts of one sweep. */
  public static final class Counts {
    public final String name;
    public long tried, detected, harmless, undetectable;
    public final List<String> failures = new ArrayList<>();
    public long millis;

    Counts(String name) {
      this.name = name;
    }

    @Override
    public String toString() {
      return String.format("%s: %d tried, %d detected, %d harmless (proven identical), %s%d failures, %.1f s", name, tried,
          detected, harmless, undetectable > 0 ? undetectable + " different but well-formed (no file checksum), " : "",
          failures.size(), millis / 1e3);
    }
  }

  private final Path file;
  private final Decode decode;
  private final ExecutorService pool;
  private boolean withoutFileChecksums;

  public Corruptions(Path workingCopy, Decode decode) {
    this(workingCopy, decode, Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "corruption-sweep");
      t.setDaemon(true);
      return t;
    }));
  }

  private Corruptions(Path workingCopy, Decode decode, ExecutorService pool) {
    this.file = workingCopy;
    this.decode = decode;
    this.pool = pool;
  }

  /**
   * For a file without file checksums (written before them): a decode that passes with a different result is counted
   * as undetectable instead of failing; an uncaught exception, a hang or an out-of-memory error still fail.
   */
  public Corruptions withoutFileChecksums() {
    withoutFileChecksums = true;
    return this;
  }

  /** Compresses {@code in} with zfpb (bound 1e-16, moments conserved) into {@code out}. */
  public static void compressZfpb(Path in, Path out) throws IOException {
    CompressionSettings s = new CompressionSettings(CodecRegistry.get().byName("zfpb"), Tolerance.parse("1e-16"), true);
    new VlsvCompressor(pop -> s, Double.NaN, 2, true).compress(in, out, SingleRank.INSTANCE);
  }

  /** Where {@link #listCellTwice} wrote: the byte of the overwritten entry and the ID it now repeats. */
  record Twice(long byteOffset, long cellId) {}

  /**
   * Gives entry {@code to} of {@code pop}'s CELLSWITHBLOCKS in {@code file} the cell ID of entry {@code from}, in place,
   * so that the cell is listed twice.
   */
  static Twice listCellTwice(Path file, String pop, int from, int to) throws IOException {
    long id;
    try (VlsvFile f = VlsvFile.open(file)) {
      long[] ids = f.readLongs(f.require(CompressedVlsv.CELLSWITHBLOCKS, Map.of("name", pop)));
      if (from >= ids.length) {
        throw new IllegalArgumentException(file + ": " + pop + " has " + ids.length + " cells, no entry " + from);
      }
      id = ids[from];
    }
    return new Twice(setCellId(file, pop, to, id), id);
  }

  /**
   * Writes {@code id} over entry {@code entry} of {@code pop}'s CELLSWITHBLOCKS in {@code file}, in place.
   *
   * @return the entry's byte offset
   */
  static long setCellId(Path file, String pop, int entry, long id) throws IOException {
    long at;
    try (VlsvFile f = VlsvFile.open(file)) {
      VlsvArray cells = f.require(CompressedVlsv.CELLSWITHBLOCKS, Map.of("name", pop));
      if (entry >= cells.arraySize()) {
        throw new IllegalArgumentException(file + ": " + pop + " has " + cells.arraySize() + " cells, no entry "
            + entry);
      }
      at = cells.offset() + entry * cells.elementBytes();
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, id), at);
    }
    return at;
  }

  /** Flips each given bit (absolute bit index: byte * 8 + bit) one at a time, restoring the byte after each. */
  public Counts flips(String name, long[] bits) throws IOException {
    Counts c = new Counts(name);
    long t0 = System.currentTimeMillis();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      for (long bit : bits) {
        long pos = bit >>> 3;
        ByteBuffer b = ByteBuffer.allocate(1);
        ch.read(b, pos);
        byte orig = b.get(0);
        ch.write(ByteBuffer.wrap(new byte[] {(byte) (orig ^ (1 << (bit & 7)))}), pos);
        try {
          classify(c, "bit " + (bit & 7) + " of byte " + pos);
        } finally {
          ch.write(ByteBuffer.wrap(new byte[] {orig}), pos);
        }
      }
    }
    c.millis = System.currentTimeMillis() - t0;
    System.out.println("[sweep] " + c);
    return c;
  }

  /** Truncates a copy of the file at each length. */
  public Counts truncations(String name, long[] lengths, Path scratch) throws IOException {
    Counts c = new Counts(name);
    long t0 = System.currentTimeMillis();
    for (long len : lengths) {
      try (FileChannel src = FileChannel.open(file); FileChannel dst = FileChannel.open(scratch, StandardOpenOption.CREATE,
          StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        long done = 0;
        while (done < len) {
          done += src.transferTo(done, len - done, dst);
        }
      }
      Corruptions t = new Corruptions(scratch, decode, pool);
      t.withoutFileChecksums = withoutFileChecksums;
      t.classifyInto(c, "truncated to " + len + " bytes");
    }
    c.millis = System.currentTimeMillis() - t0;
    System.out.println("[sweep] " + c);
    return c;
  }

  private void classify(Counts c, String what) {
    classifyInto(c, what);
  }

  private void classifyInto(Counts c, String what) {
    c.tried++;
    Future<String> f = pool.submit((Callable<String>) () -> {
      boolean checkFound;
      try {
        IntegrityCheck.Result r = IntegrityCheck.run(file, null);
        checkFound = !r.ok();
        if (checkFound && (r.firstProblem() == null || !r.firstProblem().contains(file.getFileName().toString())
            || r.firstOffset() < 0)) {
          return "integrity check did not name file and offset: " + r.firstProblem();
        }
      } catch (Throwable e) {
        return "integrity check threw " + e;
      }
      try {
        boolean same = decode.identical(file);
        if (!same && withoutFileChecksums) {
          return "undetectable";
        }
        if (!same) {
          return "SILENT: the decode passed with a different result (integrity check " + (checkFound ? "found it)" : "passed)");
        }
        return checkFound ? "detected" : "harmless";
      } catch (VlsvFormatException e) {
        if (!e.getMessage().contains(file.getFileName().toString())) {
          return "error does not name the file: " + e.getMessage();
        }
        return checkFound || withoutFileChecksums ? "detected"
            : "integrity check passed a file the decoder rejects: " + e.getMessage();
      } catch (Throwable e) {
        return "decode threw " + e;
      }
    });
    String outcome;
    try {
      outcome = f.get(20, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      outcome = "HANG (over 20 s)";
    } catch (Exception e) {
      outcome = "harness: " + e;
    }
    switch (outcome) {
      case "harmless" -> c.harmless++;
      case "undetectable" -> c.undetectable++;
      case "detected" -> c.detected++;
      default -> {
        if (c.failures.size() < 20) {
          c.failures.add(what + ": " + outcome);
        } else if (c.failures.size() == 20) {
          c.failures.add("...");
        }
      }
    }
  }
}
