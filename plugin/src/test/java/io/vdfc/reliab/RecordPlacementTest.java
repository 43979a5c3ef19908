package io.vdfc.reliab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vdfc.compress.CompressionSettings;
import io.vdfc.compress.EncodedCell;
import io.vdfc.parallel.Collectives;
import io.vdfc.parallel.SingleRank;
import io.vdfc.restart.CompressedFile;
import io.vdfc.restart.CompressedRestartWriter;
import io.vdfc.restart.CompressedVlsv;
import io.vdfc.restart.VlsvCompressor;
import io.vdfc.testing.SharedData;
import io.vdfc.vlsv.VlsvFile;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compressed-restart writer places the records of cells held by the ranks by one exchange of each rank's runs of
 * consecutive cells of the file ({@link CompressedRestartWriter}): 24 bytes a run, so that ranks holding one run each
 * exchange a few bytes whatever the number of cells, and no rank ever handles a value per cell of the whole file.
 * Whichever way the real restart's cells are spread over three ranks, the file is the one a single rank wrote, byte for
 * byte; a cell held twice or by nobody stops every rank, naming it.
 */
class RecordPlacementTest {
  @TempDir static Path tmp;

  private static Path single;
  private static List<EncodedCell> cells; // in the file's cell order
  private static byte[] settings;

  @BeforeAll
  static void compressOnOneRank() throws Exception {
    single = tmp.resolve("one.vlsv");
    new VlsvCompressor(pop -> CompressionSettings.lossless("zstd"), Double.NaN, 2, true).compress(
        SharedData.realRestart(), single, SingleRank.INSTANCE);
    cells = new ArrayList<>();
    try (CompressedFile z = CompressedFile.open(single)) {
      assertEquals(List.of("proton"), z.populations());
      long[] ids = z.cellIds("proton");
      for (int i = 0; i < ids.length; i++) {
        ByteBuffer r = z.record("proton", i);
        byte[] b = new byte[r.remaining()];
        r.get(b);
        cells.add(new EncodedCell(ids[i], b, null));
      }
      VlsvFile f = z.file();
      ByteBuffer s = f.read(f.require(CompressedVlsv.SETTINGS, Map.of("name", "proton")));
      settings = new byte[s.remaining()];
      s.get(settings);
    }
    assertTrue(cells.size() > 9, "the real restart has cells to spread");
  }

  /**
   * Writes the file on three ranks, rank r holding {@code spread.apply(r, 3)}.
   *
   * @return the bytes each rank gave to the placement's exchange (its first collective), by rank
   */
  private static List<Integer> write(Path out, BiFunction<Integer, Integer, List<EncodedCell>> spread)
      throws Exception {
    Map<Integer, List<Integer>> gathered = new ConcurrentHashMap<>();
    assertEquals(List.of("written", "written", "written"), attempt(out, spread, gathered));
    return List.of(0, 1, 2).stream().map(r -> gathered.get(r).get(0)).toList();
  }

  /** Each rank's outcome of writing the file on three ranks: "written" or its error's message. */
  private static List<String> attempt(Path out, BiFunction<Integer, Integer, List<EncodedCell>> spread,
      Map<Integer, List<Integer>> gathered) throws Exception {
    return ThreadRanks.run(3, c -> {
      try (VlsvFile template = VlsvFile.open(SharedData.realRestart())) {
        CompressedRestartWriter.write(template, out, List.of(new CompressedRestartWriter.PopulationPart(
            "proton", spread.apply(c.rank(), c.size()), settings, null)), counting(c, gathered));
        return "written";
      } catch (IllegalArgumentException | Collectives.CollectiveFailure e) { // found here, or by another rank
        return e.getMessage();
      }
    });
  }

  /** What a rank gives to the placement's exchange: a flag byte, then 24 bytes for each of its runs. */
  private static int exchange(int runs) {
    return 1 + 24 * runs;
  }

  private static List<EncodedCell> third(int part, int parts) {
    int n = cells.size();
    return cells.subList(n * part / parts, n * (part + 1) / parts);
  }

  @Test
  void oneRunPerRankIsAFewBytesARank() throws Exception {
    Path out = tmp.resolve("runs.vlsv");
    assertEquals(List.of(exchange(1), exchange(1), exchange(1)), write(out, RecordPlacementTest::third));
    assertEquals(-1L, Files.mismatch(single, out));
  }

  @Test
  void runsInAnotherOrderAndARankWithoutCellsAreRunsToo() throws Exception {
    Path reversed = tmp.resolve("reversed.vlsv");
    assertEquals(List.of(exchange(1), exchange(1), exchange(1)), write(reversed, (r, n) -> third(n - 1 - r, n)));
    assertEquals(-1L, Files.mismatch(single, reversed));
    Path empty = tmp.resolve("empty.vlsv");
    assertEquals(List.of(exchange(1), exchange(0), exchange(1)),
        write(empty, (r, n) -> r == 1 ? List.of() : third(r / 2, 2)));
    assertEquals(-1L, Files.mismatch(single, empty));
    Path backwards = tmp.resolve("backwards.vlsv"); // one run each, its cells handed over in reverse
    assertEquals(List.of(exchange(1), exchange(1), exchange(1)), write(backwards, (r, n) -> {
      List<EncodedCell> mine = new ArrayList<>(third(r, n));
      Collections.reverse(mine);
      return mine;
    }));
    assertEquals(-1L, Files.mismatch(single, backwards));
  }

  @Test
  void cellsSpreadAnyWayAreRunsOfTheirOwnIntoTheSameFile() throws Exception {
    Path roundRobin = tmp.resolve("round-robin.vlsv");
    List<Integer> sent = write(roundRobin, (r, n) -> dealt(r, n, 1));
    assertEquals(-1L, Files.mismatch(single, roundRobin));
    for (int r = 0; r < 3; r++) {
      assertEquals(exchange(dealt(r, 3, 1).size()), sent.get(r), "one run a cell on rank " + r);
    }
    Path blocks = tmp.resolve("blocks.vlsv"); // dealt out in blocks of 4 cells, shuffled on each rank
    sent = write(blocks, (r, n) -> {
      List<EncodedCell> mine = dealt(r, n, 4);
      Collections.shuffle(mine, new java.util.Random(r));
      return mine;
    });
    assertEquals(-1L, Files.mismatch(single, blocks));
    for (int r = 0; r < 3; r++) {
      assertEquals(exchange((dealt(r, 3, 4).size() + 3) / 4), sent.get(r), "one run a block on rank " + r);
    }
  }

  /** Rank r's cells when the file's cells are dealt out to n ranks in blocks of {@code block} consecutive cells. */
  private static List<EncodedCell> dealt(int r, int n, int block) {
    List<EncodedCell> mine = new ArrayList<>();
    for (int i = 0; i < cells.size(); i++) {
      if (i / block % n == r) {
        mine.add(cells.get(i));
      }
    }
    return mine;
  }

  @Test
  void aCellHeldTwiceOrByNobodyStopsEveryRank() throws Exception { // by two ranks, by one rank twice, by none
    long twice = cells.get(cells.size() / 3).cellId(); // the first of rank 1's run, held by rank 0 too
    List<String> errors = errors(tmp.resolve("twice.vlsv"), (r, n) -> {
      List<EncodedCell> mine = new ArrayList<>(third(r, n));
      if (r == 0) {
        mine.add(cells.get(cells.size() / 3));
      }
      return mine;
    });
    for (String e : errors) {
      assertTrue(e.contains("proton cell " + twice + " is held by 2 ranks"), e);
    }
    long doubled = cells.get(cells.size() / 2).cellId(); // in rank 1's run, and given to rank 1 a second time
    errors = errors(tmp.resolve("doubled.vlsv"), (r, n) -> {
      List<EncodedCell> mine = new ArrayList<>(third(r, n));
      if (r == 1) {
        mine.add(0, cells.get(cells.size() / 2));
      }
      return mine;
    });
    for (int r = 0; r < 3; r++) {
      String e = errors.get(r);
      assertTrue(e.contains("proton cell " + doubled + " is held twice by one rank"), e);
      assertEquals(r != 1, e.contains("rank 1: "), e); // the others name the rank that holds it
    }
    long nobody = cells.get(cells.size() - 1).cellId();
    errors = errors(tmp.resolve("nobody.vlsv"),
        (r, n) -> r == n - 1 ? third(r, n).subList(0, third(r, n).size() - 1) : third(r, n));
    for (String e : errors) {
      assertTrue(e.contains("proton cell " + nobody + " is held by 0 ranks"), e);
    }
  }

  /** Every rank's error message from a write that must fail. */
  private static List<String> errors(Path out, BiFunction<Integer, Integer, List<EncodedCell>> spread)
      throws Exception {
    List<String> got = attempt(out, spread, new ConcurrentHashMap<>());
    assertEquals(3, got.size());
    assertTrue(!Files.exists(out), "nothing written under " + out);
    return got;
  }

  /**
   * {@code c}, recording in {@code gathered} the bytes of each of its allgathers, by rank, and failing on an allreduce
   * of as many longs as the file has cells (a value per cell of the file: what placing must not cost).
   */
  private static Collectives counting(Collectives c, Map<Integer, List<Integer>> gathered) {
    return (Collectives) Proxy.newProxyInstance(Collectives.class.getClassLoader(), new Class<?>[] {Collectives.class},
        (proxy, method, args) -> {
          if (method.getName().equals("allgather")) {
            gathered.computeIfAbsent(c.rank(), r -> new ArrayList<>()).add(((byte[]) args[0]).length);
          }
          if (method.getName().startsWith("allreduce") && args[0] instanceof long[] v && v.length >= cells.size()) {
            throw new AssertionError("an allreduce of " + v.length + " longs on rank " + c.rank());
          }
          try {
            return method.invoke(c, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }
}
