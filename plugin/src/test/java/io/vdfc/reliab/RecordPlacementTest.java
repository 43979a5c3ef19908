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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compressed-restart writer places the records of cells held by the ranks in two ways
 * ({@link CompressedRestartWriter}): by the ranks' runs of the file's cell order (one small allgather) when each rank
 * holds one run in order, else by every cell (an allreduce of two longs a cell). Whichever way the real restart's cells
 * are spread over three ranks, the file is the one a single rank wrote, byte for byte, and the small exchange is taken
 * exactly when the cells allow it; a cell held twice or by nobody stops every rank, naming it.
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

  /** Writes the file on three ranks, rank r holding {@code spread.apply(r, 3)}; @return allreduces of cell lengths */
  private static int write(Path out, BiFunction<Integer, Integer, List<EncodedCell>> spread) throws Exception {
    AtomicInteger byCell = new AtomicInteger();
    assertEquals(List.of("written", "written", "written"), attempt(out, spread, byCell));
    return byCell.get();
  }

  /** Each rank's outcome of writing the file on three ranks: "written" or its argument error's message. */
  private static List<String> attempt(Path out, BiFunction<Integer, Integer, List<EncodedCell>> spread,
      AtomicInteger byCell) throws Exception {
    return ThreadRanks.run(3, c -> {
      try (VlsvFile template = VlsvFile.open(SharedData.realRestart())) {
        CompressedRestartWriter.write(template, out, List.of(new CompressedRestartWriter.PopulationPart(
            "proton", spread.apply(c.rank(), c.size()), settings, null)), counting(c, byCell, cells.size()));
        return "written";
      } catch (IllegalArgumentException e) {
        return e.getMessage();
      }
    });
  }

  private static List<EncodedCell> third(int part, int parts) {
    int n = cells.size();
    return cells.subList(n * part / parts, n * (part + 1) / parts);
  }

  @Test
  void runsInRankOrderAreAgreedWithoutTheExchangeOfEveryCell() throws Exception {
    Path out = tmp.resolve("runs.vlsv");
    assertEquals(0, write(out, RecordPlacementTest::third));
    assertEquals(-1L, Files.mismatch(single, out));
  }

  @Test
  void runsInAnotherOrderAndARankWithoutCellsAreRunsToo() throws Exception {
    Path reversed = tmp.resolve("reversed.vlsv");
    assertEquals(0, write(reversed, (r, n) -> third(n - 1 - r, n)));
    assertEquals(-1L, Files.mismatch(single, reversed));
    Path empty = tmp.resolve("empty.vlsv");
    assertEquals(0, write(empty, (r, n) -> r == 1 ? List.of() : third(r / 2, 2)));
    assertEquals(-1L, Files.mismatch(single, empty));
  }

  @Test
  void cellsSpreadAnyWayArePlacedCellByCellIntoTheSameFile() throws Exception {
    Path roundRobin = tmp.resolve("round-robin.vlsv");
    assertEquals(3, write(roundRobin, (r, n) -> {
      List<EncodedCell> mine = new ArrayList<>();
      for (int i = r; i < cells.size(); i += n) {
        mine.add(cells.get(i));
      }
      return mine;
    }), "one allreduce of every cell's length on each of the three ranks");
    assertEquals(-1L, Files.mismatch(single, roundRobin));
    Path backwards = tmp.resolve("backwards.vlsv"); // one run each, but not in the file's order
    assertEquals(3, write(backwards, (r, n) -> {
      List<EncodedCell> mine = new ArrayList<>(third(r, n));
      Collections.reverse(mine);
      return mine;
    }));
    assertEquals(-1L, Files.mismatch(single, backwards));
  }

  @Test
  void aCellHeldTwiceOrByNobodyStopsEveryRank() throws Exception {
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
    List<String> got = attempt(out, spread, new AtomicInteger());
    assertEquals(3, got.size());
    assertTrue(!Files.exists(out), "nothing written under " + out);
    return got;
  }

  /** {@code c}, counting in {@code byCell} its allreduces of at least {@code cells} longs (every cell's length). */
  private static Collectives counting(Collectives c, AtomicInteger byCell, int cells) {
    return (Collectives) Proxy.newProxyInstance(Collectives.class.getClassLoader(), new Class<?>[] {Collectives.class},
        (proxy, method, args) -> {
          if (method.getName().equals("allreduceSum") && args[0] instanceof long[] v && v.length >= cells) {
            byCell.incrementAndGet();
          }
          try {
            return method.invoke(c, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }
}
