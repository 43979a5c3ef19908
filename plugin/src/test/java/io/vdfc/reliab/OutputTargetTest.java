package io.vdfc.reliab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vdfc.codec.CodecRegistry;
import io.vdfc.codec.Tolerance;
import io.vdfc.compress.CompressionSettings;
import io.vdfc.parallel.Collectives;
import io.vdfc.parallel.SingleRank;
import io.vdfc.restart.VlsvCompressor;
import io.vdfc.restart.VlsvDecompressor;
import io.vdfc.testing.SharedData;
import io.vdfc.vlsv.VlsvFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a compressed or restored restart may go: never over its own input (the rename at the end would replace the
 * original with a lossy copy), never onto a directory, never from an input that is already compressed; every rank stops
 * before any work, and nothing is written. On a real sample file, on one rank and on two.
 */
class OutputTargetTest {
  @TempDir Path tmp;

  private static final CompressionSettings ZFPB =
      new CompressionSettings(CodecRegistry.get().byName("zfpb"), Tolerance.parse("1e-16"), true);

  private Path copyOfSample() throws Exception {
    return copyOfSample(tmp);
  }

  /** A copy of the public sample vlsvrs/fullf.0000001.vlsv as {@code dir/in.vlsv}. */
  static Path copyOfSample(Path dir) throws IOException {
    Path in = dir.resolve("in.vlsv");
    Files.copy(SharedData.file("vlsvrs/fullf.0000001.vlsv"), in);
    return in;
  }

  /** {@link #compressor()} from {@code in} to {@code out} on {@code ranks} thread ranks: each rank's failure, or null. */
  static List<Exception> compressOnRanks(int ranks, Path in, Path out) throws Exception {
    return ThreadRanks.run(ranks, c -> {
      try {
        compressor().compress(in, out, c);
        return null;
      } catch (Exception e) {
        return e;
      }
    });
  }

  /** zfpb, bound 1e-16, moments conserved, one thread, quiet. */
  static VlsvCompressor compressor() {
    return new VlsvCompressor(pop -> ZFPB, Double.NaN, 1, true);
  }

  @Test
  void theInputItselfUnderItsOwnNameOrALinkIsRefusedAndKept() throws Exception {
    Path in = copyOfSample();
    byte[] before = Files.readAllBytes(in);
    Path link = Files.createSymbolicLink(tmp.resolve("link.vlsv"), in);
    for (Path out : List.of(in, link, tmp.resolve(".").resolve("in.vlsv"))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> compressor().compress(in, out, SingleRank.INSTANCE));
      assertTrue(e.getMessage().startsWith("output " + out + " is the input file " + (out.equals(in) ? "" : in + " ")
          + "itself; give another output path"), e.getMessage());
    }
    assertEquals(-1L, Files.mismatch(in, link));
    assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(in)), "the input is untouched");
    assertFalse(Files.exists(tmp.resolve("in.vlsv.vdfc-partial")));

    Path z = tmp.resolve("z.vlsv");
    compressor().compress(in, z, SingleRank.INSTANCE);
    byte[] compressed = Files.readAllBytes(z);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new VlsvDecompressor(true).decompress(z, z, SingleRank.INSTANCE));
    assertTrue(e.getMessage().contains("is the input file itself"), e.getMessage());
    assertTrue(java.util.Arrays.equals(compressed, Files.readAllBytes(z)), "the compressed file is untouched");
  }

  @Test
  void everyRankStopsWithRankZerosMessageBeforeAnyWork() throws Exception {
    Path in = copyOfSample();
    byte[] before = Files.readAllBytes(in);
    List<Exception> failures = compressOnRanks(2, in, in);
    assertInstanceOf(IllegalArgumentException.class, failures.get(0), "rank 0 found it: " + failures.get(0));
    assertInstanceOf(Collectives.CollectiveFailure.class, failures.get(1), "rank 1 learnt it: " + failures.get(1));
    assertTrue(failures.get(1).getMessage().contains("rank 0: output " + in + " is the input file itself"),
        failures.get(1).getMessage());
    assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(in)), "the input is untouched");
  }

  @Test
  void aDirectoryIsRefusedAndAMissingDirectoryIsCreated() throws Exception {
    Path in = copyOfSample();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> compressor().compress(in, tmp, SingleRank.INSTANCE));
    assertTrue(e.getMessage().contains(tmp + " is a directory"), e.getMessage());

    Path nested = tmp.resolve("a").resolve("b").resolve("z.vlsv");
    compressor().compress(in, nested, SingleRank.INSTANCE);
    assertTrue(Files.size(nested) > 0);

    Files.writeString(tmp.resolve("plain"), "a file, not a directory");
    IOException io = assertThrows(IOException.class, // the file system's refusal: exit 4 (I/O), not 2 (usage)
        () -> compressor().compress(in, tmp.resolve("plain").resolve("z.vlsv"), SingleRank.INSTANCE));
    assertTrue(io.getMessage().contains("cannot create its directory") && io.getMessage().contains("a file of that name "
        + "exists"), io.getMessage());
  }

  /**
   * An input named as the output's temporary file (a leftover partial someone tries to rescue): the run removes a
   * stale partial before any work, and removed the input with it; now it refuses, and the input stays.
   */
  @Test
  void anInputUnderTheOutputsTemporaryNameIsRefusedAndKept() throws Exception {
    Path in = Files.move(copyOfSample(), tmp.resolve("q.vlsv.vdfc-partial"));
    byte[] before = Files.readAllBytes(in);
    Path out = tmp.resolve("q.vlsv");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> compressor().compress(in, out, SingleRank.INSTANCE));
    assertTrue(e.getMessage().contains("input " + in + " has the name " + out + " is written under"), e.getMessage());
    assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(in)), "the input is kept");
    assertFalse(Files.exists(out));
  }

  /**
   * An output that cannot be created is found before any work, with the reason: under /proc the temporary file cannot
   * be created, and where a directory is in the way of the temporary file it cannot be removed.
   */
  @Test
  void anOutputThatCannotBeCreatedIsNamedWithItsReasonBeforeAnyWork() throws Exception {
    Path in = copyOfSample();
    IOException e = assertThrows(IOException.class,
        () -> compressor().compress(in, Path.of("/proc/vdfc-test.vlsv"), SingleRank.INSTANCE));
    assertTrue(e.getMessage().startsWith("output /proc/vdfc-test.vlsv cannot be written: "), e.getMessage());
    Path blocked = tmp.resolve("b.vlsv");
    Files.createDirectories(tmp.resolve("b.vlsv.vdfc-partial").resolve("sub"));
    e = assertThrows(IOException.class, () -> compressor().compress(in, blocked, SingleRank.INSTANCE));
    assertTrue(e.getMessage().contains("cannot be written: a directory that is not empty is in the way: "),
        e.getMessage());
    assertFalse(Files.exists(blocked));
  }

  /**
   * An output that is not a regular file is refused before any work: the rename at the end replaced a device node
   * with a regular file (as root, {@code vdfc compress in /dev/null} replaced the system's /dev/null), and a symbolic
   * link with a file while its target stayed as it was. A named pipe stands for the device here (making one needs no
   * root, and a regression cannot harm the machine); plot goes through the same check.
   */
  @Test
  void aDevicePipeOrLinkAsOutputIsRefusedAndLeftAsItIs() throws Exception {
    Path in = copyOfSample();
    Path fifo = tmp.resolve("pipe.vlsv");
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
    Path other = Files.writeString(tmp.resolve("other.vlsv"), "keep");
    Path link = Files.createSymbolicLink(tmp.resolve("link.vlsv"), other);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> compressor().compress(in, fifo, SingleRank.INSTANCE));
    assertTrue(e.getMessage().contains(fifo + " is not a regular file"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> compressor().compress(in, link, SingleRank.INSTANCE));
    assertTrue(e.getMessage().contains(link + " is a symbolic link (to " + other + ")"), e.getMessage());
    Object[] r = IntegrityCheckTest.vdfc("plot", in.toString(), "--cell", "1", "--out", fifo.toString());
    assertEquals(io.vdfc.cli.Vdfc.EXIT_USAGE, r[0], (String) r[2]);
    assertTrue(Files.isSymbolicLink(link) && Files.readString(other).equals("keep"), "the link and its target stay");
    assertTrue(!Files.isRegularFile(fifo) && Files.exists(fifo), "the pipe stays a pipe");
  }

  @Test
  void aCompressedInputIsNamedAsSuchAndNothingIsWritten() throws Exception {
    Path in = copyOfSample();
    Path z = tmp.resolve("z.vlsv");
    compressor().compress(in, z, SingleRank.INSTANCE);
    Path again = tmp.resolve("again.vlsv");
    VlsvFormatException e = assertThrows(VlsvFormatException.class,
        () -> compressor().compress(z, again, SingleRank.INSTANCE));
    assertTrue(e.getMessage().contains("z.vlsv") && e.getMessage().contains("already vdfc-compressed")
        && e.getMessage().contains("vdfc restart decompress"), e.getMessage());
    assertFalse(Files.exists(again));
    assertFalse(Files.exists(tmp.resolve("again.vlsv.vdfc-partial")));
  }
}
