package io.vdfc.reliab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vdfc.cli.Vdfc;
import io.vdfc.codec.CodecRegistry;
import io.vdfc.codec.Tolerance;
import io.vdfc.compress.BadVdfException;
import io.vdfc.compress.CellCompressor;
import io.vdfc.compress.CompressionSettings;
import io.vdfc.compress.EncodedCell;
import io.vdfc.parallel.SingleRank;
import io.vdfc.record.CellRecord;
import io.vdfc.restart.VlsvRewrite;
import io.vdfc.testing.SharedData;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VlsvVdfSource;
import io.vdfc.vlsv.VlsvArray;
import io.vdfc.vlsv.VlsvFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Input VDFs that are not clean: each has a defined behaviour, checked on a real file (vlsvrs/fullf with its proton
 * cell altered) through the command line, and on single cells through {@link CellCompressor}.
 *
 * <ul>
 *   <li>NaN and +-Inf values: the cell is stored losslessly (noted in the report); decoding restores every bit.
 *   <li>Negative, subnormal and huge values: stored within the bound (zfpb, or lossless when the bound cannot be met);
 *       {@code vdfc verify} finds every value within its cell's recorded bound.
 *   <li>Block IDs outside the mesh (rejected by the VLSV reader, naming the byte offset too) and duplicate block IDs
 *       (rejected by the pipeline): exit code 3, one line naming file, population, cell and block ID; nothing written
 *       under the output name.
 *   <li>Empty cells (no blocks), single-block cells, all-zero cells: stored and restored exactly or within the bound.
 * </ul>
 */
class BadInputDataTest {
  @TempDir Path tmp;

  /** fullf with the proton cell's block IDs and values changed by {@code edit} (IDs and values in place). */
  Path alteredFullf(String name, Consumer<long[]> ids, Consumer<float[]> values) throws Exception {
    Path in = SharedData.file("vlsvrs/fullf.0000001.vlsv");
    Path out = tmp.resolve(name);
    try (VlsvFile f = VlsvFile.open(in)) {
      VlsvArray idA = f.require("BLOCKIDS", Map.of("name", "proton"));
      VlsvArray valA = f.require("BLOCKVARIABLE", Map.of("name", "proton"));
      long[] id = f.readLongs(idA);
      float[] v = f.readFloats(valA);
      ids.accept(id);
      values.accept(v);
      ByteBuffer idBytes = ByteBuffer.allocate(4 * id.length).order(ByteOrder.LITTLE_ENDIAN);
      for (long x : id) {
        idBytes.putInt((int) x);
      }
      ByteBuffer valBytes = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
      for (float x : v) {
        valBytes.putFloat(x);
      }
      List<VlsvRewrite.Part> parts = List.of(new VlsvRewrite.Part(0, 0, idBytes.flip()), new VlsvRewrite.Part(1, 0, valBytes.flip()));
      VlsvRewrite.write(f, out, new VlsvRewrite.Plan() {
        @Override
        public List<VlsvRewrite.NewArray> replace(VlsvArray a) {
          if (a.equals(idA) || a.equals(valA)) {
            Map<String, String> attrs = new LinkedHashMap<>(a.attributes());
            for (String k : List.of(VlsvArray.ARRAYSIZE, VlsvArray.VECTORSIZE, VlsvArray.DATATYPE, VlsvArray.DATASIZE)) {
              attrs.remove(k);
            }
            return List.of(new VlsvRewrite.NewArray(a.tag(), attrs, a.dataType(), a.dataSize(), a.vectorSize(), a.arraySize()));
          }
          return null;
        }

        @Override
        public List<VlsvRewrite.NewArray> appended() {
          return List.of();
        }
      }, parts, SingleRank.INSTANCE);
    }
    return out;
  }

  static CellVdf proton(Path p) throws Exception {
    try (VlsvVdfSource s = VlsvVdfSource.open(p)) {
      return s.cellAt("proton", 0);
    }
  }

  @Test
  void nanAndInfinityMakeTheCellLosslessAndEveryBitComesBack() throws Exception {
    Path bad = alteredFullf("nan.vlsv", ids -> { }, v -> {
      v[5] = Float.NaN;
      v[100] = Float.POSITIVE_INFINITY;
      v[200] = Float.NEGATIVE_INFINITY;
      v[300] = Float.intBitsToFloat(0x7fc00123); // a NaN with payload bits
    });
    Path z = tmp.resolve("z.vlsv");
    Object[] r = IntegrityCheckTest.vdfc("compress", bad.toString(), z.toString(), "--codec", "zfpb", "--tolerance", "1e-16", "-q");
    assertEquals(Vdfc.EXIT_OK, r[0], r[1] + " " + r[2]);
    assertTrue(((String) r[1]).contains("4 NaN/Inf values: stored losslessly"), (String) r[1]);
    Path back = tmp.resolve("back.vlsv");
    r = IntegrityCheckTest.vdfc("decompress", z.toString(), back.toString(), "-q");
    assertEquals(Vdfc.EXIT_OK, r[0], (String) r[2]);
    CellVdf a = proton(bad), b = proton(back);
    assertTrue(Arrays.equals(a.blockIds(), b.blockIds()));
    for (int i = 0; i < a.values().length; i++) {
      assertEquals(Float.floatToRawIntBits(a.values()[i]), Float.floatToRawIntBits(b.values()[i]), "value " + i);
    }
    // and verify says so: the cell restored bit for bit has no error, not NaN (the antiproton cell is lossy)
    r = IntegrityCheckTest.vdfc("verify", bad.toString(), z.toString(), "--json", "--max-abs", "1e-16");
    assertEquals(Vdfc.EXIT_OK, r[0], r[1] + " " + r[2]);
    assertTrue(((String) r[1]).contains("\"name\": \"proton\",\n      \"cells\": 1,") , (String) r[1]);
    assertTrue(((String) r[1]).contains("\"max_abs\": 0.0") && !((String) r[1]).contains("null"), (String) r[1]);
  }

  @Test
  void negativeSubnormalAndHugeValuesAreStoredWithinTheBound() throws Exception {
    Path bad = alteredFullf("odd.vlsv", ids -> { }, v -> {
      for (int i = 0; i < 64; i++) {
        v[i] = -1e-12f; // a whole block of large negatives
      }
      v[70] = Float.MIN_VALUE; // smallest subnormal
      v[71] = 1e-40f; // subnormal
      v[72] = -Float.MIN_NORMAL;
      v[80] = 1e30f; // huge
      v[81] = -3e38f; // near -Float.MAX_VALUE
    });
    Path z = tmp.resolve("z.vlsv");
    Object[] r = IntegrityCheckTest.vdfc("compress", bad.toString(), z.toString(), "--codec", "zfpb", "--tolerance", "1e-16", "-q");
    assertEquals(Vdfc.EXIT_OK, r[0], r[1] + " " + r[2]);
    System.out.println("[bad-input] negative/subnormal/huge: " + ((String) r[1]).lines().filter(l -> l.startsWith("  "))
        .reduce("", (x, y) -> x + y.strip() + "; "));
    // the moment correction sets negatives to 0: a cell with values below -bound is stored losslessly, and says why
    assertTrue(((String) r[1]).contains("cell 1: 65 values below -bound (lowest -3.0E38), which the moment correction "
        + "sets to 0: stored losslessly"), (String) r[1]);
    r = IntegrityCheckTest.vdfc("verify", bad.toString(), z.toString());
    assertEquals(Vdfc.EXIT_OK, r[0], "every value within its cell's recorded bound:\n" + r[1] + r[2]);
    Path back = tmp.resolve("back.vlsv");
    assertEquals(Vdfc.EXIT_OK, IntegrityCheckTest.vdfc("decompress", z.toString(), back.toString(), "-q")[0]);
    CellVdf a = proton(bad), b = proton(back);
    try (var cf = io.vdfc.restart.CompressedFile.open(z)) {
      double tol = cf.recordTolerance("proton", 0);
      for (int i = 0; i < a.values().length; i++) {
        assertTrue(Math.abs((double) a.values()[i] - b.values()[i]) <= tol, "value " + i + ": " + a.values()[i] + " -> "
            + b.values()[i] + ", bound " + tol);
      }
    }
  }

  /**
   * A cell listed twice in CELLSWITHBLOCKS (the real restart with entry 45 given entry 44's ID): corrupt input, named
   * with the byte of the second entry. It was "cell 46 is held by 0 ranks" with exit 2, found by the restart writer
   * after the whole encoding.
   */
  @Test
  void aCellListedTwiceIsCorruptInputNamingTheEntries() throws Exception {
    Path bad = Files.copy(SharedData.realRestart(), tmp.resolve("twice.vlsv"));
    Corruptions.Twice twice = Corruptions.listCellTwice(bad, "proton", 44, 45);
    long at = twice.byteOffset();
    long id = twice.cellId();
    Path z = tmp.resolve("z.vlsv");
    Object[] r = IntegrityCheckTest.vdfc("compress", bad.toString(), z.toString(), "-q");
    assertEquals(Vdfc.EXIT_BAD_INPUT, r[0], r[1] + " " + r[2]);
    assertTrue(((String) r[2]).contains("twice.vlsv: byte " + at + ": ") && ((String) r[2]).contains(": cell " + id
        + " is listed twice (entries 44 and 45)"), (String) r[2]);
    assertFalse(Files.exists(z), "nothing written under the output name");
  }

  /**
   * A cell in CELLSWITHBLOCKS that the file's CellID does not hold (the real restart with entry 45's ID changed to one
   * of no cell): corrupt input naming the entry and its byte. It was accepted, and its VDF written into a restart whose
   * grid has no such cell.
   */
  @Test
  void aCellThatIsNotInTheGridIsCorruptInputNamingTheEntry() throws Exception {
    Path bad = Files.copy(SharedData.realRestart(), tmp.resolve("stray.vlsv"));
    long at = Corruptions.setCellId(bad, "proton", 45, 999_999);
    Path z = tmp.resolve("z.vlsv");
    Object[] r = IntegrityCheckTest.vdfc("compress", bad.toString(), z.toString(), "-q");
    assertEquals(Vdfc.EXIT_BAD_INPUT, r[0], r[1] + " " + r[2]);
    String err = (String) r[2];
    assertTrue(err.contains("stray.vlsv: byte " + at + ": ") && err.contains(": cell 999999 (entry 45) is not in")
        && err.contains("CellID") && err.contains("(60 cells)"), err);
    assertFalse(Files.exists(z), "nothing written under the output name");
    assertEquals(Vdfc.EXIT_BAD_INPUT, IntegrityCheckTest.vdfc("inspect", bad.toString())[0]);
  }

  @Test
  void aBlockIdOutsideTheMeshIsRejectedNamingFilePopulationCellAndBlock() throws Exception {
    Path bad = alteredFullf("outside.vlsv", ids -> ids[3] = 50L * 50 * 50 + 7, v -> { });
    Path z = tmp.resolve("z.vlsv");
    Object[] r = IntegrityCheckTest.vdfc("compress", bad.toString(), z.toString(), "--codec", "zfpb", "-q");
    assertEquals(Vdfc.EXIT_BAD_INPUT, r[0], r[1] + " " + r[2]);
    String err = (String) r[2];
    assertEquals(1, err.strip().lines().count(), err);
    // defined behaviour: the VLSV reader rejects the cell before any codec sees it, naming file, byte, cell, population
    assertTrue(err.contains("outside.vlsv: byte ") && err.contains("cell 1 of proton") && err.contains("block ID 125007")
        && err.contains("outside the 125000-block velocity mesh"), err);
    assertFalse(Files.exists(z), "nothing written under the output name");
    assertFalse(Files.exists(tmp.resolve("z.vlsv.vdfc-partial")));
  }

  @Test
  void duplicateBlockIdsAreRejectedNamingFilePopulationCellAndBlock() throws Exception {
    Path bad = alteredFullf("dup.vlsv", ids -> ids[4] = ids[9], v -> { });
    Path z = tmp.resolve("z.vlsv");
    Object[] r = IntegrityCheckTest.vdfc("compress", bad.toString(), z.toString(), "--codec", "zstd", "-q");
    assertEquals(Vdfc.EXIT_BAD_INPUT, r[0], r[1] + " " + r[2]);
    String err = (String) r[2];
    assertTrue(err.contains("dup.vlsv") && err.contains("proton cell") && err.contains("appears twice"), err);
    assertFalse(Files.exists(z));
  }

  @Test
  void emptySingleBlockAndAllZeroCellsRoundTrip() throws Exception {
    CellVdf real = proton(SharedData.file("vlsvrs/fullf.0000001.vlsv"));
    var mesh = real.mesh();
    int per = mesh.cellsPerBlock();
    CellCompressor cc = new CellCompressor(new CompressionSettings(CodecRegistry.get().byName("zfpb"),
        Tolerance.parse("1e-16"), true));
    List<CellVdf> cells = new ArrayList<>();
    cells.add(new CellVdf(1, mesh, new int[0], new float[0]));
    cells.add(new CellVdf(2, mesh, new int[] {real.blockIds()[0]}, Arrays.copyOf(real.values(), per)));
    cells.add(new CellVdf(3, mesh, new int[] {real.blockIds()[1], real.blockIds()[2]}, new float[2 * per]));
    for (CellVdf c : cells) {
      EncodedCell e = cc.compress(c, 1e-16);
      CellVdf d = CellCompressor.decompress(ByteBuffer.wrap(e.record()), mesh, c.cellId(), c.blockCount());
      assertTrue(Arrays.equals(c.blockIds(), d.blockIds()), "cell " + c.cellId());
      double tol = CellRecord.peekTolerance(ByteBuffer.wrap(e.record()));
      for (int i = 0; i < c.values().length; i++) {
        assertTrue(Math.abs(c.values()[i] - d.values()[i]) <= tol, "cell " + c.cellId() + " value " + i);
      }
    }
    // a bound relative to the peak is 0 for an all-zero cell: stored losslessly, and said so
    CellCompressor relative = new CellCompressor(new CompressionSettings(CodecRegistry.get().byName("zfpb"),
        Tolerance.parse("1e-3*peak"), true));
    assertEquals("all values zero: stored losslessly", relative.compress(cells.get(2), 1e-16).report().note());
    // and so for an absolute bound (the correction has nothing to conserve: it was tightened 10x and said so)
    assertEquals("all values zero: stored losslessly", cc.compress(cells.get(2), 1e-16).report().note());
  }

  @Test
  void badBlockIdsInASingleCellAreBadVdfExceptions() {
    CellVdf c = new CellVdf(9, io.vdfc.testing.TestCells.MESH, new int[] {1, 1}, new float[128]);
    CellCompressor cc = new CellCompressor(CompressionSettings.lossless("zstd"));
    BadVdfException e = assertThrows(BadVdfException.class, () -> cc.compress(c, 1e-16));
    assertTrue(e.getMessage().contains("cell 9") && e.getMessage().contains("appears twice"), e.getMessage());
    CellVdf d = new CellVdf(9, io.vdfc.testing.TestCells.MESH, new int[] {-1}, new float[64]);
    e = assertThrows(BadVdfException.class, () -> cc.compress(d, 1e-16));
    assertTrue(e.getMessage().contains("outside the velocity mesh"), e.getMessage());
  }
}
