package io.vdfc.reliab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vdfc.parallel.Collectives;
import io.vdfc.parallel.SingleRank;
import io.vdfc.restart.CompressedFile;
import io.vdfc.restart.OutputLock;
import io.vdfc.restart.VlsvCompressor;
import io.vdfc.restart.VlsvDecompressor;
import io.vdfc.restart.VlsvRewrite;
import io.vdfc.vlsv.VlsvFile;
import io.vdfc.vlsv.VlsvFormatException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two runs writing the same output at once: the second stops before any work, naming the run that holds the output,
 * and the first one's temporary file, its result and any earlier file under the output name stay as they are. Without
 * the lock the second run removed the first one's temporary file as a stale one, and a half-written file could be
 * renamed into place. On a real sample file; the other run is a run in this JVM, or another process.
 */
class ConcurrentOutputTest {
  @TempDir Path tmp;

  private Path copyOfSample() throws Exception {
    return OutputTargetTest.copyOfSample(tmp);
  }

  private static VlsvCompressor compressor() {
    return OutputTargetTest.compressor();
  }

  @Test
  void aSecondRunStopsWhileTheFirstHoldsTheOutputAndRunsAgainOnceItIsDone() throws Exception {
    Path in = copyOfSample();
    Path out = tmp.resolve("z.vlsv");
    compressor().compress(in, out, SingleRank.INSTANCE); // an earlier good file under the output name
    byte[] earlier = Files.readAllBytes(out);
    Path partial = VlsvRewrite.partialName(out);
    try (OutputLock first = VlsvRewrite.prepareTarget(in, out, SingleRank.INSTANCE)) {
      assertEquals("held", lockedElsewhere(OutputLock.lockName(out)), "another process sees the lock");
      Files.writeString(partial, "the first run's half-written file");
      IOException e = assertThrows(IOException.class, () -> compressor().compress(in, out, SingleRank.INSTANCE));
      assertTrue(e.getMessage().startsWith("output " + out + " is being written by another run (vdfc pid "
          + ProcessHandle.current().pid() + " on "), e.getMessage());
      assertTrue(e.getMessage().contains("which holds z.vlsv.vdfc-lock); wait for it to finish"), e.getMessage());
      Path y = tmp.resolve("y.vlsv");
      Files.copy(out, y);
      IOException d = assertThrows(IOException.class,
          () -> new VlsvDecompressor(true).decompress(y, out, SingleRank.INSTANCE));
      assertTrue(d.getMessage().contains("is being written by another run"), d.getMessage());
      assertEquals("held", lockedElsewhere(OutputLock.lockName(out)), "the refusals kept the lock");
      assertEquals("the first run's half-written file", Files.readString(partial), "the first run's file is kept");
      assertArrayEquals(earlier, Files.readAllBytes(out), "the earlier file is kept");
      Files.delete(partial);
    }
    assertFalse(Files.exists(OutputLock.lockName(out)), "the holder removes its lock file");
    assertEquals("free", lockedElsewhere(OutputLock.lockName(out)));
    compressor().compress(in, out, SingleRank.INSTANCE);
    assertArrayEquals(earlier, Files.readAllBytes(out), "the same run writes the same bytes");
    assertFalse(Files.exists(OutputLock.lockName(out)));
    assertFalse(Files.exists(partial));
  }

  @Test
  void anotherProcessHoldingTheOutputStopsEveryRankBeforeAnyWork() throws Exception {
    Path in = copyOfSample();
    Path out = tmp.resolve("z.vlsv");
    Process holder = holdInAnotherProcess(OutputLock.lockName(out), "vdfc pid 4242 on elsewhere since 2026-12-03");
    try {
      List<Exception> failures = OutputTargetTest.compressOnRanks(2, in, out);
      assertInstanceOf(IOException.class, failures.get(0), "rank 0 found it: " + failures.get(0));
      assertTrue(failures.get(0).getMessage().contains("is being written by another run (vdfc pid 4242 on elsewhere "
          + "since 2026-12-03, which holds"), failures.get(0).getMessage());
      assertInstanceOf(Collectives.CollectiveFailure.class, failures.get(1), "rank 1 learnt it: " + failures.get(1));
      assertTrue(failures.get(1).getMessage().contains("rank 0: output " + out + " is being written by another run"),
          failures.get(1).getMessage());
      assertFalse(Files.exists(out));
      assertEquals("vdfc pid 4242 on elsewhere since 2026-12-03", Files.readString(OutputLock.lockName(out)),
          "the holder's lock file is left to it");
    } finally {
      holder.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    // the holder was killed: its lock file is left behind, unlocked, and the next run takes it over
    assertTrue(Files.exists(OutputLock.lockName(out)));
    compressor().compress(in, out, SingleRank.INSTANCE);
    try (VlsvFile f = VlsvFile.open(out)) {
      assertTrue(CompressedFile.isCompressed(f));
    }
    assertFalse(Files.exists(OutputLock.lockName(out)));
  }

  @Test
  void aRunThatFailsReleasesTheOutput() throws Exception {
    Path in = copyOfSample();
    Path z = tmp.resolve("z.vlsv");
    compressor().compress(in, z, SingleRank.INSTANCE);
    Path out = tmp.resolve("twice.vlsv");
    VlsvFormatException e = assertThrows(VlsvFormatException.class, // fails after taking the lock
        () -> compressor().compress(z, out, SingleRank.INSTANCE));
    assertTrue(e.getMessage().contains("already vdfc-compressed"), e.getMessage());
    assertFalse(Files.exists(OutputLock.lockName(out)));
    compressor().compress(in, out, SingleRank.INSTANCE);
    assertTrue(Files.exists(out));
  }

  /**
   * Starts a JVM that locks {@code lock} as a vdfc run would, writes {@code text} into it and holds it until killed
   * ({@code text} null: it only tries the lock, says {@code held} or {@code free} and ends).
   */
  private Process anotherProcess(Path lock, String text) throws Exception {
    Path src = tmp.resolve("Hold.java");
    Files.writeString(src, String.join("\n",
        "import java.nio.ByteBuffer;",
        "import java.nio.channels.FileChannel;",
        "import java.nio.file.Path;",
        "import java.nio.file.StandardOpenOption;",
        "public class Hold {",
        "  public static void main(String[] a) throws Exception {",
        "    FileChannel ch = FileChannel.open(Path.of(a[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE);",
        "    if (a.length == 1) {",
        "      System.out.println(ch.tryLock() == null ? \"held\" : \"free\");",
        "      return;",
        "    }",
        "    ch.lock();",
        "    ch.write(ByteBuffer.wrap(a[1].getBytes(\"UTF-8\")), 0);",
        "    System.out.println(\"locked\");",
        "    System.out.flush();",
        "    Thread.sleep(600_000);",
        "  }",
        "}", ""));
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new java.util.ArrayList<>(List.of(java, src.toString(), lock.toString()));
    if (text != null) {
      cmd.add(text);
    }
    return new ProcessBuilder(cmd).redirectErrorStream(true).start();
  }

  private static String firstLine(Process p) throws IOException {
    return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
  }

  private Process holdInAnotherProcess(Path lock, String text) throws Exception {
    Process p = anotherProcess(lock, text);
    String line = firstLine(p);
    if (!"locked".equals(line)) {
      p.destroyForcibly();
      throw new IllegalStateException("the holding process did not start: " + line);
    }
    return p;
  }

  /** Whether another process finds {@code lock} locked: {@code held} or {@code free} (it is created if missing). */
  private String lockedElsewhere(Path lock) throws Exception {
    Process p = anotherProcess(lock, null);
    String line = firstLine(p);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    if ("free".equals(line)) {
      Files.deleteIfExists(lock); // the probe made it
    }
    return line;
  }
}
