package io.vdfc.vdf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vdfc.codec.CodecRegistry;
import io.vdfc.codec.Tolerance;
import io.vdfc.compress.CompressionSettings;
import io.vdfc.parallel.SingleRank;
import io.vdfc.restart.VlsvCompressor;
import io.vdfc.testing.SharedData;
import io.vdfc.testing.VlsvSamples;
import io.vdfc.vlsv.VlsvDataType;
import io.vdfc.vlsv.VlsvFormatException;
import io.vdfc.vlsv.VlsvWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** The VDF model read from the real files: facts from shared/notes/vlasiator-format.md and data/README.md. */
class VlsvVdfSourceTest {
  @TempDir Path tmp;

  @Test
  void fullfMeshAndFirstBlockAreAsDocumented() throws Exception {
    try (VdfSource s = VlsvVdfSource.open(SharedData.file("vlsvrs/fullf.0000001.vlsv"))) {
      assertEquals(List.of("proton", "antiproton"), s.populations());
      VelocityMesh m = s.mesh("proton");
      assertEquals(new VelocityMesh("proton", 50, 50, 50, 4, -2e6, -2e6, -2e6, 2e4, 2e4, 2e4), m);
      CellVdf c = s.cellAt("proton", 0);
      assertEquals(1390, c.blockCount());
      assertArrayEquals(new int[] {61727, 61728, 61729, 69080, 69130, 43830}, Arrays.copyOf(c.blockIds(), 6),
          "stored (hash-map) block order");
      int gid = c.blockIds()[0];
      assertArrayEquals(new int[] {27, 34, 24}, new int[] {m.blockI(gid), m.blockJ(gid), m.blockK(gid)});
      assertEquals(170_000.0, m.vx(gid, 0), 1e-6);
      CellVdf byId = s.cell("proton", s.cellIds("proton")[0]);
      assertArrayEquals(c.blockIds(), byId.blockIds());
      assertArrayEquals(c.values(), byId.values());
      assertEquals(1395, s.cellAt("antiproton", 0).blockCount());
      assertEquals(1e-16, s.minValue("proton"));
      assertEquals(1e-16, s.minValue("antiproton"));
      assertThrows(IllegalArgumentException.class, () -> s.mesh("electron"));
      assertThrows(IllegalArgumentException.class, () -> s.cell("proton", 12345));
    }
  }

  /** Block counts per file (data/README.md): total, cells, smallest and largest cell. */
  @Test
  void blockCountsPerFile() throws Exception {
    record Expect(String file, String pop, int cells, long total, int min, int max) {}
    for (Expect e : List.of(
        new Expect("ipshock/restart.0000100.vlsv", "proton", 60, 141_275, 134, 2945),
        new Expect("ipshock/bulk.0000004.vlsv", "proton", 100, 148_706, 134, 3019),
        new Expect("vlsvrs/fullf.0000001.vlsv", "proton", 1, 1390, 1390, 1390),
        new Expect("vlsvrs/fullf.0000001.vlsv", "antiproton", 1, 1395, 1395, 1395),
        new Expect("vlsv_data/bulk.1d.vlsv", "proton", 2, 2000, 1000, 1000),
        new Expect("vlsv_data/bulk.2d.vlsv", "proton", 0, 0, 0, 0),
        new Expect("vlsv_data/bulk.amr.vlsv", "proton", 0, 0, 0, 0),
        new Expect("Vlasiator.jl/init.vlsv", "proton", 0, 0, 0, 0))) {
      try (VlsvVdfSource s = VlsvVdfSource.open(SharedData.file(e.file))) {
        VdfCellIndex ix = s.index(e.pop);
        int[] bpc = ix.blocksPerCell();
        assertEquals(e.cells, ix.cellCount(), e.toString());
        assertEquals(e.total, ix.totalBlocks(), e.toString());
        if (e.cells > 0) {
          assertEquals(e.min, Arrays.stream(bpc).min().orElseThrow(), e.toString());
          assertEquals(e.max, Arrays.stream(bpc).max().orElseThrow(), e.toString());
        }
      }
    }
    try (VdfSource s = VlsvVdfSource.open(SharedData.realBulk())) {
      long[] ids = s.cellIds("proton").clone();
      assertEquals(160, ids[0], "bulk cells in dccrg order, not sorted");
      Arrays.sort(ids);
      assertArrayEquals(LongStream.rangeClosed(1, 100).map(i -> 5 * i).toArray(), ids);
    }
    try (VdfSource s = VlsvVdfSource.open(SharedData.file("vlsv_data/bulk.1d.vlsv"))) {
      assertArrayEquals(new long[] {10, 5}, s.cellIds("proton"));
    }
    try (VdfSource s = VlsvVdfSource.open(SharedData.file("vlasiator-legacy/Fluctuations_small.grid.0000010.vlsv"))) {
      assertEquals(List.of(), s.populations());
    }
  }

  @TestFactory
  Stream<DynamicTest> everyCellOfEverySampleDecodes() {
    return VlsvSamples.all().stream().map(p -> DynamicTest.dynamicTest(VlsvSamples.name(p), () -> {
      try (VdfSource s = VlsvVdfSource.open(p)) {
        for (String pop : s.populations()) {
          VelocityMesh m = s.mesh(pop);
          long[] ids = s.cellIds(pop);
          for (int i = 0; i < ids.length; i++) {
            CellVdf c = s.cellAt(pop, i);
            assertEquals(ids[i], c.cellId());
            for (int gid : c.blockIds()) {
              assertTrue(m.contains(gid));
            }
            assertEquals(Arrays.stream(c.blockIds()).distinct().count(), c.blockCount(), "no duplicate block");
          }
        }
      }
    }));
  }

  @Test
  void configGivesThresholdAndMass() throws Exception {
    try (VdfSource s = VlsvVdfSource.open(SharedData.realRestart())) {
      assertEquals(1e-16, s.minValue("proton"));
      assertEquals(1.67262158e-27, s.particleMass("proton"));
    }
    try (VdfSource s = VlsvVdfSource.open(SharedData.file("vlsv_data/bulk.1d.vlsv"))) {
      assertTrue(Double.isNaN(s.minValue("proton")), "no CONFIG in this file");
    }
  }

  @Test
  void readingAllBlocksOfTheRealRestartIsFast() throws Exception {
    long t0 = System.nanoTime();
    long blocks = 0;
    try (VdfSource s = VlsvVdfSource.open(SharedData.realRestart())) {
      for (int i = 0; i < s.cellIds("proton").length; i++) {
        blocks += s.cellAt("proton", i).blockCount();
      }
    }
    double seconds = (System.nanoTime() - t0) * 1e-9;
    assertEquals(141_275, blocks);
    assertTrue(seconds < 3, "141,275 blocks took " + seconds + " s");
  }

  /** A synthetic pre-multipopulation file: unnamed BLOCKSPERCELL/BLOCKIDS, "avgs", mesh from PARAMETERs, float64. */
  @Test
  void legacyLayoutAndFloat64Values() throws Exception {
    Path p = tmp.resolve("legacy.vlsv");
    try (VlsvWriter w = VlsvWriter.create(p)) {
      Map<String, String> grid = Map.of("mesh", "SpatialGrid");
      w.writeArray("CELLSWITHBLOCKS", grid, VlsvDataType.UINT, 8, 1, 2, le(8, 7L, 3L));
      w.writeArray("BLOCKSPERCELL", grid, VlsvDataType.UINT, 4, 1, 2, le(4, 1L, 2L));
      w.writeArray("BLOCKIDS", grid, VlsvDataType.UINT, 4, 1, 3, le(4, 0L, 5L, 124L));
      ByteBuffer vals = ByteBuffer.allocate(3 * 64 * 8).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < 3 * 64; i++) {
        vals.putDouble(i * 1e-20);
      }
      w.writeArray("BLOCKVARIABLE", Map.of("mesh", "SpatialGrid", "name", "avgs"), VlsvDataType.FLOAT, 8, 64, 3,
          vals.flip());
      for (String ax : new String[] {"x", "y", "z"}) {
        w.writeArray("PARAMETER", Map.of("name", "v" + ax + "blocks_ini"), VlsvDataType.UINT, 4, 1, 1, le(4, 5L));
        w.writeArray("PARAMETER", Map.of("name", "v" + ax + "min"), VlsvDataType.FLOAT, 8, 1, 1, dbl(-1.0));
        w.writeArray("PARAMETER", Map.of("name", "v" + ax + "max"), VlsvDataType.FLOAT, 8, 1, 1, dbl(1.0));
      }
      w.finish();
    }
    try (VdfSource s = VlsvVdfSource.open(p)) {
      assertEquals(List.of("avgs"), s.populations());
      assertEquals(new VelocityMesh("avgs", 5, 5, 5, 4, -1, -1, -1, 0.1, 0.1, 0.1), s.mesh("avgs"));
      CellVdf c = s.cell("avgs", 3);
      assertArrayEquals(new int[] {5, 124}, c.blockIds());
      assertEquals((float) (64 * 1e-20), c.values()[0], "float64 rounded to float");
      assertEquals((float) (191 * 1e-20), c.values()[127]);
    }
  }

  @Test
  void blockIdOutsideTheMeshIsAFormatError() throws Exception {
    Path p = oneBlockFile("badgid.vlsv", 999L, 2L, 2L, 2L, true);
    try (VdfSource s = VlsvVdfSource.open(p)) {
      assertEquals(8, s.mesh("proton").blockCount());
      VlsvFormatException e = assertThrows(VlsvFormatException.class, () -> s.cellAt("proton", 0));
      assertTrue(e.getMessage().startsWith("badgid.vlsv: byte "), e.getMessage());
      assertTrue(e.getMessage().contains("block ID 999"), e.getMessage());
    }
  }

  /** A mesh of more blocks than uint32 block IDs can number is a format error, not a usage error from the mesh. */
  @Test
  void aMeshBeyondThirtyTwoBitBlockIdsIsAFormatError() throws Exception {
    Path p = oneBlockFile("huge.vlsv", 0L, 1L << 20, 1L << 20, 4096L, false);
    try (VdfSource s = VlsvVdfSource.open(p)) {
      VlsvFormatException e = assertThrows(VlsvFormatException.class, () -> s.mesh("proton"));
      assertTrue(e.getMessage().contains("1048576x1048576x4096 blocks, more than 32-bit block IDs can number"),
          e.getMessage());
    }
  }

  /**
   * A codec that codes 4x4x4 blocks only, given a file whose blocks are 2x2x2: the compress stops before any cell is
   * encoded, naming the file, the codec and the width, and writes nothing; a codec that takes any width compresses it.
   */
  @Test
  void aCodecThatCannotCodeTheMeshStopsTheCompressAtTheStart() throws Exception {
    Path p = oneBlockFile("wid2.vlsv", 0L, 2L, 2L, 2L, true);
    Path out = tmp.resolve("wid2.z.vlsv");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> compressWith("zfpb", p, out));
    assertTrue(e.getMessage().startsWith(p + ": zfpb codes 4x4x4 blocks, and the velocity mesh of proton has blocks"
        + " of width 2"), e.getMessage());
    assertFalse(java.nio.file.Files.exists(out));
    compressWith("zstd", p, out);
    assertTrue(java.nio.file.Files.exists(out));
  }

  private static void compressWith(String codec, Path in, Path out) throws java.io.IOException {
    CompressionSettings s = new CompressionSettings(CodecRegistry.get().byName(codec), Tolerance.parse("1e-20"), false);
    new VlsvCompressor(pop -> s, 1e-16, 1, true).compress(in, out, SingleRank.INSTANCE);
  }

  /**
   * A file of one proton cell holding one 2x2x2 block {@code blockId} on a mesh of {@code nx x ny x nz} blocks, with
   * the mesh's node coordinates (0, 1, ... for 2 blocks) when {@code coordinates}.
   */
  private Path oneBlockFile(String name, long blockId, long nx, long ny, long nz, boolean coordinates)
      throws Exception {
    Path p = tmp.resolve(name);
    try (VlsvWriter w = VlsvWriter.create(p)) {
      Map<String, String> pop = Map.of("mesh", "SpatialGrid", "name", "proton");
      w.writeArray("CELLSWITHBLOCKS", pop, VlsvDataType.UINT, 8, 1, 1, le(8, 1L));
      w.writeArray("BLOCKSPERCELL", pop, VlsvDataType.UINT, 4, 1, 1, le(4, 1L));
      w.writeArray("BLOCKIDS", pop, VlsvDataType.UINT, 4, 1, 1, le(4, blockId));
      w.writeArray("BLOCKVARIABLE", pop, VlsvDataType.FLOAT, 4, 8, 1, ByteBuffer.allocate(32));
      w.writeArray("MESH_BBOX", Map.of("mesh", "proton"), VlsvDataType.UINT, 8, 1, 6, le(8, nx, ny, nz, 2L, 2L, 2L));
      for (String ax : coordinates ? new String[] {"X", "Y", "Z"} : new String[0]) {
        w.writeArray("MESH_NODE_CRDS_" + ax, Map.of("mesh", "proton"), VlsvDataType.FLOAT, 8, 1, 5,
            dbl(0, 1, 2, 3, 4));
      }
      w.finish();
    }
    return p;
  }

  private static ByteBuffer le(int size, long... v) {
    ByteBuffer b = ByteBuffer.allocate(size * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (long x : v) {
      if (size == 4) {
        b.putInt((int) x);
      } else {
        b.putLong(x);
      }
    }
    return b.flip();
  }

  private static ByteBuffer dbl(double... v) {
    ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (double x : v) {
      b.putDouble(x);
    }
    return b.flip();
  }
}
