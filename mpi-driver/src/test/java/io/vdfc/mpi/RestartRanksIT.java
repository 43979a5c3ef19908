package io.vdfc.mpi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vdfc.restart.CellPartition;
import io.vdfc.testing.SharedData;
import io.vdfc.vdf.VlsvVdfSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The restart pipeline under {@code bin/vdfc-mpirun} on the real restart (issue 6): the same compressed file and the
 * same decompressed restart for any number of ranks, M ranks reading a file written by N, a failing rank stopping every
 * rank with its message, and a SIGKILL during the write leaving the previous file intact. The files compressed once in
 * {@link #compressOnOneTwoAndFourRanks} are reused by the later tests (hence the order). Each launch runs under a
 * deadline: a hang fails the test instead of blocking the build.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RestartRanksIT {
  /** One launch on the real restart takes 15-40 s on 2 heavily shared cores; a hang is far longer. */
  private static final Duration LIMIT = Duration.ofSeconds(240);
  private static final String POP = "proton";
  @TempDir static Path work;
  private static Path restart;
  private static long[] blocks;

  @BeforeAll
  static void realRestart() throws IOException {
    restart = SharedData.realRestart();
    try (VlsvVdfSource src = VlsvVdfSource.open(restart)) {
      blocks = CellPartition.weights(src.index(POP).blocksPerCell());
    }
  }

  private static Launch mpirun(Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Launch.mpirun().toString());
    command.addAll(List.of("--timeout", "120"));
    command.addAll(List.of(args));
    return Launch.run(work, LIMIT, env, command.toArray(String[]::new));
  }

  private static Path compressed(int ranks) {
    return work.resolve("c" + ranks + ".vlsv");
  }

  @Test
  @Order(1)
  void compressOnOneTwoAndFourRanks() throws Exception {
    Path config = Launch.moduleDir().getParent().resolve("configs/auto_budget.cfg");
    List<String> decisions = new ArrayList<>();
    for (int np : new int[] {1, 2, 4}) {
      Launch run = mpirun(Map.of(), "-np", Integer.toString(np), "restart", "compress", restart.toString(),
          compressed(np).toString(), "--config", config.toString(), "-q");
      assertEquals(0, run.exitCode(), run.err());
      Matcher m = Pattern.compile("auto chose .*").matcher(run.out());
      assertTrue(m.find(), run.out());
      decisions.add(m.group());
      assertTrue(run.out().contains(" on " + np + " rank"), run.out());
    }
    assertEquals(decisions.get(0), decisions.get(1), "decision on 1 vs 2 ranks");
    assertEquals(decisions.get(0), decisions.get(2), "decision on 1 vs 4 ranks");
    byte[] one = Files.readAllBytes(compressed(1));
    assertArrayEquals(one, Files.readAllBytes(compressed(2)), "compressed on 2 ranks differs from 1 rank");
    assertArrayEquals(one, Files.readAllBytes(compressed(4)), "compressed on 4 ranks differs from 1 rank");
  }

  /**
   * Ranks encode with the candidate their own trials point to and agree afterwards; a rank without a sampled cell starts
   * with the first candidate. With zstd listed first, the ranks of 4 that sample nothing start with it, the agreement
   * picks zfpb (smaller within the budgets), and they encode again: the file must still be the 1-rank file, and the
   * report must say so.
   */
  @Test
  @Order(7)
  void ranksWhoseFirstGuessIsOverruledEncodeAgainToTheSameFile() throws Exception {
    Path base = Launch.moduleDir().getParent().resolve("configs/auto_budget.cfg");
    String text = Files.readString(base);
    assertTrue(text.contains("candidates = zfpb,zstd"), "configs/auto_budget.cfg lists zfpb,zstd");
    Path config = work.resolve("zstd_first.cfg");
    Files.writeString(config, text.replace("candidates = zfpb,zstd", "candidates = zstd,zfpb"));
    List<byte[]> files = new ArrayList<>();
    for (int np : new int[] {1, 4}) {
      Path out = work.resolve("zstd-first-" + np + ".vlsv");
      Launch run = mpirun(Map.of(), "-np", Integer.toString(np), "restart", "compress", restart.toString(),
          out.toString(), "--config", config.toString(), "-q");
      assertEquals(0, run.exitCode(), run.err());
      assertTrue(run.out().contains("auto chose zfpb"), run.out());
      assertEquals(np == 4, run.out().contains("had started with another candidate and encoded again"), run.out());
      files.add(Files.readAllBytes(out));
    }
    assertArrayEquals(files.get(0), files.get(1), "compressed on 4 ranks, 2 of them overruled, differs from 1 rank");
  }

  /**
   * A rank stalls after writing its parts of the temporary file; a second run to the same output stops at start; the
   * driver's JVM is then killed with SIGKILL. The previous restart under the output name must be untouched; the
   * temporary file and the lock file may remain under their own names (the M=2 run below takes them over).
   */
  @Test
  @Order(2)
  void aSigkillDuringTheWriteLeavesThePreviousRestartIntact() throws Exception {
    Path out = work.resolve("restored.m2.vlsv");
    Files.copy(restart, out);
    String before = sha256(out);
    Path err = work.resolve("killed.err");
    ProcessBuilder pb = new ProcessBuilder(Launch.mpirun().toString(), "--timeout", "120", "-np", "2", "restart",
        "decompress", compressed(4).toString(), out.toString(), "-q")
        .directory(work.toFile()).redirectOutput(work.resolve("killed.out").toFile()).redirectError(err.toFile());
    pb.environment().put("VDFC_JAVA_OPTS",
        "-Xmx2g -Dvdfc.fault.rank=1 -Dvdfc.fault.at=write -Dvdfc.fault.action=stall");
    Process p = pb.start();
    try {
      long deadline = System.nanoTime() + LIMIT.toNanos();
      while (!Files.readString(err).contains("rank 1: vdfc.fault: stalled at write")) {
        assertTrue(p.isAlive(), "the driver ended before the stall: " + Files.readString(err));
        assertTrue(System.nanoTime() < deadline, "no stall within " + LIMIT);
        Thread.sleep(200);
      }
      // a second run to the same output meanwhile stops at start, naming the stalled run, and leaves its file alone
      Launch second = mpirun(Map.of(), "-np", "2", "restart", "decompress", compressed(4).toString(), out.toString(),
          "-q");
      assertEquals(4, second.exitCode(), second.err());
      assertTrue(second.err().contains("output " + out + " is being written by another run (vdfc pid "), second.err());
      assertTrue(Files.exists(out.resolveSibling(out.getFileName() + ".vdfc-partial")), "the stalled run's file went");
      List<ProcessHandle> jvms = p.descendants().toList();
      assertFalse(jvms.isEmpty(), "the launcher runs the ranks' JVM as a child");
      jvms.forEach(ProcessHandle::destroyForcibly); // SIGKILL on Unix
    } finally {
      p.destroyForcibly();
      assertTrue(p.waitFor(30, TimeUnit.SECONDS), "launcher still running after its JVM was killed");
    }
    assertNotEquals(0, p.exitValue());
    assertEquals(before, sha256(out), "the previous restart under the output name changed");
    Path partial = out.resolveSibling(out.getFileName() + ".vdfc-partial");
    assertTrue(Files.exists(partial), "the killed write happened under the temporary name");
    assertTrue(Files.exists(out.resolveSibling(out.getFileName() + ".vdfc-lock")), "the killed run's lock file");
  }

  /**
   * M ranks read files written by N ranks (N=2 read by M=1 and 3, N=4 read by M=2); each rank decodes exactly the
   * block-balanced range {@link CellPartition} gives it, and all restored restarts are byte-identical. The M=2 run
   * writes over the output of the killed run above and removes its stale temporary file.
   */
  @Test
  @Order(3)
  void mRanksReadAFileWrittenByNRanks() throws Exception {
    int[][] nm = {{4, 2}, {2, 1}, {2, 3}};
    byte[] first = null;
    for (int[] pair : nm) {
      int n = pair[0], m = pair[1];
      Path out = work.resolve("restored.m" + m + ".vlsv");
      Launch run = mpirun(Map.of(), "-np", Integer.toString(m), "restart", "decompress", compressed(n).toString(),
          out.toString(), "--json", "-q");
      assertEquals(0, run.exitCode(), run.err());
      assertEquals(expectedCellsPerRank(m), cellsPerRank(run.out()), "cells decoded per rank, N=" + n + " M=" + m);
      assertFalse(Files.exists(out.resolveSibling(out.getFileName() + ".vdfc-partial")), "temporary file left");
      assertFalse(Files.exists(out.resolveSibling(out.getFileName() + ".vdfc-lock")), "lock file left");
      byte[] bytes = Files.readAllBytes(out);
      if (first == null) {
        first = bytes;
        assertEquals(Files.size(restart), bytes.length);
      } else {
        assertArrayEquals(first, bytes, "restored by " + m + " ranks from a file of " + n + " ranks differs");
      }
    }
  }

  /** The restored restart against the original, on 2 ranks: within the recorded bounds, non-VDF content identical. */
  @Test
  @Order(4)
  void verifyOnTwoRanksAcceptsTheRestoredRestart() throws Exception {
    Launch run = mpirun(Map.of(), "-np", "2", "restart", "verify", restart.toString(),
        work.resolve("restored.m2.vlsv").toString(), "--json");
    assertEquals(0, run.exitCode(), run.out() + run.err());
    assertTrue(run.out().contains("\"bound_violations\": 0"), run.out());
  }

  /**
   * Rank 1 throws halfway through its cells: every rank stops with its message; nothing under the output name. A stale
   * temporary file of a killed earlier run at that name is removed at the start.
   */
  @Test
  @Order(5)
  void aRankThatThrowsWhileEncodingStopsEveryRank() throws Exception {
    Path out = work.resolve("never.vlsv");
    Files.writeString(out.resolveSibling(out.getFileName() + ".vdfc-partial"), "left by a killed run\n");
    Launch run = mpirun(Map.of("VDFC_JAVA_OPTS", "-Xmx2g -Dvdfc.fault.rank=1 -Dvdfc.fault.at=encode"), "-np", "2",
        "restart", "compress", restart.toString(), out.toString(), "--codec", "zstd", "-q");
    assertNotEquals(0, run.exitCode());
    assertTrue(run.err().contains("rank 1: vdfc restart compress: injected fault at encode on rank 1"), run.err());
    assertTrue(run.err().contains("rank 0: stopped because rank 1 failed: InjectedFault: injected fault at encode on "
        + "rank 1"), run.err());
    assertFalse(Files.exists(out), "a file appeared under the output name");
    assertFalse(Files.exists(out.resolveSibling(out.getFileName() + ".vdfc-partial")), "temporary file left");
  }

  /** Rank 1 fails after writing its parts: the temporary file is removed and an earlier file at the name survives. */
  @Test
  @Order(6)
  void aRankThatFailsWhileWritingLeavesTheEarlierFileUntouched() throws Exception {
    Path out = work.resolve("earlier.vlsv");
    Files.writeString(out, "an earlier restart\n");
    Launch run = mpirun(Map.of("VDFC_JAVA_OPTS", "-Xmx2g -Dvdfc.fault.rank=1 -Dvdfc.fault.at=write"), "-np", "2",
        "restart", "compress", restart.toString(), out.toString(), "--codec", "zstd", "-q");
    assertNotEquals(0, run.exitCode());
    assertTrue(run.err().contains("rank 1: writing its parts of"), run.err());
    assertTrue(run.err().contains("injected fault at write on rank 1"), run.err());
    assertEquals("an earlier restart\n", Files.readString(out));
    assertFalse(Files.exists(out.resolveSibling(out.getFileName() + ".vdfc-partial")), "temporary file left");
  }

  /**
   * Rank 1 stops calling collectives in the write: the collective timeout halts the JVM with 124, the earlier file at
   * the name survives, and the temporary file goes too (a halt runs no shutdown hook; the watchdog removes it first).
   */
  @Test
  @Order(8)
  void aTimedOutWriteLeavesTheEarlierFileAndNoTemporaryFile() throws Exception {
    Path out = work.resolve("stalled.vlsv");
    Files.writeString(out, "an earlier restart\n");
    Launch run = mpirun(Map.of("VDFC_JAVA_OPTS", "-Xmx2g -Dvdfc.fault.rank=1 -Dvdfc.fault.at=write "
        + "-Dvdfc.fault.action=stall"), "--timeout", "3", "-np", "3", "restart", "compress", restart.toString(),
        out.toString(), "--codec", "zstd", "-q");
    assertEquals(MpjCollectives.EXIT_TIMEOUT, run.exitCode(), run.err());
    assertEquals("an earlier restart\n", Files.readString(out));
    assertFalse(Files.exists(out.resolveSibling(out.getFileName() + ".vdfc-partial")), "temporary file left");
  }

  private static List<Long> expectedCellsPerRank(int ranks) {
    int[] bounds = CellPartition.balanced(blocks, ranks);
    List<Long> counts = new ArrayList<>();
    for (int r = 0; r < ranks; r++) {
      counts.add((long) (bounds[r + 1] - bounds[r]));
    }
    return counts;
  }

  private static List<Long> cellsPerRank(String json) {
    Matcher m = Pattern.compile("\"cells_per_rank\": \\[([0-9,\\s]*)]").matcher(json);
    assertTrue(m.find(), json);
    List<Long> counts = new ArrayList<>();
    for (String s : m.group(1).split(",")) {
      counts.add(Long.parseLong(s.trim()));
    }
    return counts;
  }

  private static String sha256(Path p) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
  }
}
