package io.vdfc.adapter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vdfc.parallel.SingleRank;
import io.vdfc.restart.CompressedFile;
import io.vdfc.testing.SharedData;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VdfCellIndex;
import io.vdfc.vdf.VelocityMesh;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdapterSessionTest {
  /** A simulation config with the in-situ section: zfpb at Vlasiator's sparsity threshold, moments conserved. */
  static final String ZFPB_CONFIG = "ParticlePopulations = proton\n[proton_sparse]\nminValue = 1.e-16\n"
      + "[compression]\ncodec = zfpb\ntolerance = minValue\nconserve = on\n";

  static CellVdf real;
  @TempDir Path dir;

  @BeforeAll
  static void load() throws IOException {
    real = StudyVdf.load(356780649L);
  }

  private AdapterSession open(String text) throws IOException {
    Path cfg = dir.resolve("vdfc.cfg");
    Files.writeString(cfg, text);
    return AdapterSession.open(cfg.toString(), SingleRank.INSTANCE);
  }

  /** Direct native-order buffers, like the views JavaCPP makes of the host's arrays. */
  private static IntBuffer direct(int[] a) {
    IntBuffer b = ByteBuffer.allocateDirect(4 * Math.max(1, a.length)).order(ByteOrder.nativeOrder()).asIntBuffer();
    return b.put(a).flip();
  }

  private static FloatBuffer direct(float[] a) {
    FloatBuffer b = ByteBuffer.allocateDirect(4 * Math.max(1, a.length)).order(ByteOrder.nativeOrder()).asFloatBuffer();
    return b.put(a).flip();
  }

  private static long compress(AdapterSession s, CellVdf c) {
    return s.compressCell(c.cellId(), c.mesh().population(), direct(c.blockIds()), direct(c.values()), c.blockCount(),
        c.mesh());
  }

  private static CellVdf decompress(AdapterSession s, long h, VelocityMesh mesh, long cellId) {
    int n = s.blockCount(h);
    IntBuffer ids = direct(new int[n]);
    FloatBuffer values = direct(new float[n * mesh.cellsPerBlock()]);
    assertEquals(n, s.decompressCell(h, ids, values, n));
    int[] gotIds = new int[n];
    float[] got = new float[n * mesh.cellsPerBlock()];
    ids.get(0, gotIds);
    values.get(0, got);
    return new CellVdf(cellId, mesh, gotIds, got);
  }

  private static void withinBound(CellVdf want, CellVdf got, double bound) {
    assertArrayEquals(want.blockIds(), got.blockIds(), "block IDs in stored order");
    for (int i = 0; i < want.values().length; i++) {
      double err = Math.abs((double) got.values()[i] - want.values()[i]);
      assertTrue(err <= bound, "cell " + want.cellId() + " value " + i + ": |f'-f| " + err + " > bound " + bound);
    }
  }

  @Test
  void realCellRoundTripsWithinItsBoundThroughDirectBuffers() throws IOException {
    try (AdapterSession s = open(ZFPB_CONFIG)) {
      long h = compress(s, real);
      assertEquals(real.blockCount(), s.blockCount(h));
      assertEquals(1e-16, s.bound(h), 0, "tolerance = minValue of [proton_sparse]");
      assertTrue(s.compressedBytes(h) * 3 < real.referenceBytes(), "zfpb at minValue shrinks the real cell > 3x: "
          + s.compressedBytes(h) + " of " + real.referenceBytes());
      withinBound(real, decompress(s, h, real.mesh(), real.cellId()), s.bound(h));
      long[] st = s.stats();
      assertEquals(1, st[AdapterSession.STAT_LIVE_HANDLES]);
      assertEquals(s.compressedBytes(h), st[AdapterSession.STAT_LIVE_COMPRESSED_BYTES]);
      assertEquals(real.referenceBytes(), st[AdapterSession.STAT_LIVE_REFERENCE_BYTES]);
      assertTrue(st[AdapterSession.STAT_ENCODE_NANOS] > 0
          && st[AdapterSession.STAT_ENCODE_NANOS] <= st[AdapterSession.STAT_COMPRESS_CALL_NANOS]);
      s.release(h);
      assertEquals(0, s.stats()[AdapterSession.STAT_LIVE_HANDLES]);
    }
  }

  @Test
  void callerMistakesMapToTheirStatusCodes() throws IOException {
    try (AdapterSession s = open(ZFPB_CONFIG)) {
      long h = compress(s, real);
      AdapterException small = assertThrows(AdapterException.class,
          () -> s.decompressCell(h, direct(new int[1]), direct(new float[64]), 1));
      assertEquals(Status.CAPACITY, small.status());
      assertTrue(small.getMessage().contains(Long.toString(real.cellId())), small.getMessage());
      assertEquals(Status.ARGUMENT, assertThrows(AdapterException.class, () -> compress(s, real)).status(),
          "second live handle for the same cell");
      s.release(h);
      assertEquals(Status.HANDLE, assertThrows(AdapterException.class, () -> s.release(h)).status());
      int[] bad = real.blockIds().clone();
      bad[3] = (int) real.mesh().blockCount();
      AdapterException outside = assertThrows(AdapterException.class, () -> s.compressCell(1, "proton",
          direct(bad), direct(real.values()), bad.length, real.mesh()));
      assertEquals(Status.ARGUMENT, outside.status());
      assertTrue(outside.getMessage().contains("block 3"), outside.getMessage());
      assertEquals(Status.ARGUMENT, assertThrows(AdapterException.class, () -> s.compressCell(1, "proton",
          direct(real.blockIds()), direct(new float[10]), real.blockCount(), real.mesh())).status(), "short values");
    }
  }

  @Test
  void configProblemsAreConfigErrorsNamingFileLineAndKey() throws IOException {
    Path missing = dir.resolve("nope.cfg");
    AdapterException e = assertThrows(AdapterException.class,
        () -> AdapterSession.open(missing.toString(), SingleRank.INSTANCE));
    assertEquals(Status.CONFIG, e.status());
    assertTrue(e.getMessage().contains("nope.cfg"), e.getMessage());
    AdapterException unknown = assertThrows(AdapterException.class, () -> open(ZFPB_CONFIG + "deflate_level = 1\n"));
    assertEquals(Status.CONFIG, unknown.status());
    assertTrue(unknown.getMessage().contains("vdfc.cfg") && unknown.getMessage().contains(":8")
        && unknown.getMessage().contains("'deflate_level' is unknown"), unknown.getMessage());
    for (String bad : new String[] {"[io]\nx = 1\n", "[compression]\ncodec = auto\n", "[compression]\nenabled = off\n",
        "[compression]\ncodec = nosuchcodec\n", "[compression]\ncodec = zfpb\ntolerance = lots\n"}) {
      AdapterException x = assertThrows(AdapterException.class, () -> open(bad), bad);
      assertEquals(Status.CONFIG, x.status(), bad);
      assertTrue(x.getMessage().contains("vdfc.cfg"), x.getMessage());
      if (!bad.startsWith("[io]")) { // the key's line too (the last line of the text)
        assertTrue(x.getMessage().contains("vdfc.cfg:" + bad.split("\n").length + ": "), x.getMessage());
      }
    }
  }

  /**
   * A mesh of 8x8x8 blocks with a codec that codes 4x4x4 blocks only: refused when the population is defined, as a
   * config error naming the population, the codec and the width, and not at the first cell (then a simulation step
   * later). A codec that takes any width accepts the same mesh.
   */
  @Test
  void aMeshTheCodecCannotCodeIsRefusedAtDefinition() throws IOException {
    VelocityMesh wide = new VelocityMesh("proton", 4, 4, 4, 8, -1.0, -1.0, -1.0, 0.0625, 0.0625, 0.0625);
    try (AdapterSession s = open(ZFPB_CONFIG)) {
      AdapterException e = assertThrows(AdapterException.class, () -> s.definePopulation(wide));
      assertEquals(Status.CONFIG, e.status());
      assertTrue(e.getMessage().contains("population proton: zfpb codes 4x4x4 blocks")
          && e.getMessage().contains("width 8"), e.getMessage());
      assertEquals(Status.ARGUMENT, assertThrows(AdapterException.class, () -> s.mesh("proton")).status(),
          "the refused mesh is not kept");
    }
    try (AdapterSession s = open(ZFPB_CONFIG.replace("codec = zfpb", "codec = zstd"))) {
      s.definePopulation(wide);
      assertEquals(wide, s.mesh("proton"));
    }
  }

  /**
   * The real restart through the session: plain cells read by the plugin's reader, compressed, written as a compressed
   * VLSV with the restart as template, and loaded back on request. Lossless raw storage keeps this fast; the host
   * tests run zfpb on every cell.
   */
  @Test
  void realRestartIsLoadedWrittenAndReadBack() throws IOException {
    Path out = dir.resolve("out.vlsv");
    String cfg = ZFPB_CONFIG.replace("zfpb", "raw") + "restart_in = " + SharedData.realRestart() + "\nrestart_out = "
        + out + "\n";
    long[] ids;
    try (AdapterSession s = open(cfg)) {
      VdfCellIndex ix = s.restartCells(null, "proton");
      ids = ix.cellIds();
      assertEquals(60, ids.length);
      VelocityMesh mesh = s.mesh("proton");
      for (long id : ids) {
        compress(s, s.readPlainCell(null, "proton", id));
      }
      assertEquals(Status.ARGUMENT, assertThrows(AdapterException.class,
          () -> s.readPlainCell(null, "proton", 123456789L)).status());
      s.writeRestart(null);
      assertEquals(mesh, s.restartMesh(null, "proton"));
    }
    assertTrue(Files.exists(out));
    try (CompressedFile f = CompressedFile.open(out)) {
      assertArrayEquals(ids, f.cellIds("proton"));
    }
    try (AdapterSession s = open(cfg)) {
      long[] some = {ids[7], ids[0], ids[59]};
      assertEquals(3, s.readRestart(out.toString(), some));
      assertEquals(0, s.handleOf(ids[1], "proton"), "not asked for");
      long h = s.handleOf(ids[7], "proton");
      assertNotEquals(0, h);
      CellVdf want = s.readPlainCell(null, "proton", ids[7]);
      CellVdf got = decompress(s, h, s.mesh("proton"), ids[7]);
      assertArrayEquals(want.blockIds(), got.blockIds());
      assertArrayEquals(want.values(), got.values(), "raw: bit-exact");
      assertEquals(Status.CORRUPT, assertThrows(AdapterException.class,
          () -> s.readRestart(out.toString(), new long[] {987654321L})).status());
      assertEquals(Status.IO, assertThrows(AdapterException.class,
          () -> s.readRestart(dir.resolve("none.vlsv").toString(), some)).status());
    }
    // a damaged record is found when the restart is read, not when the host decompresses the cell later
    Path bad = dir.resolve("bad.vlsv");
    byte[] bytes = Files.readAllBytes(out);
    long at;
    try (CompressedFile f = CompressedFile.open(out)) {
      CompressedFile.Population p = f.population("proton");
      at = p.records().offset() + p.recordStart()[7] + 20;
    }
    bytes[(int) at] ^= 0x10;
    Files.write(bad, bytes);
    try (AdapterSession s = open(cfg)) {
      AdapterException e = assertThrows(AdapterException.class, () -> s.readRestart(bad.toString(),
          new long[] {ids[7]}));
      assertEquals(Status.CORRUPT, e.status());
      assertTrue(e.getMessage().contains("proton cell " + ids[7] + ": record checksum mismatch"), e.getMessage());
      assertEquals(0, s.handleOf(ids[7], "proton"), "nothing loaded");
    }
  }

  /**
   * Cells compressed on another mesh than restart_in's: the write had said OK, and the file, which carries
   * restart_in's mesh, decoded half of the real restart's cells as corrupt (their moment correction on the wrong
   * velocities). Now the write is refused, naming both meshes, and nothing is written.
   */
  @Test
  void cellsOnAnotherMeshThanRestartInsAreRefusedOnWrite() throws IOException {
    Path out = dir.resolve("m.vlsv");
    String cfg = ZFPB_CONFIG + "restart_in = " + SharedData.realRestart() + "\nrestart_out = " + out + "\n";
    try (AdapterSession s = open(cfg);
        io.vdfc.vdf.VlsvVdfSource src = io.vdfc.vdf.VlsvVdfSource.open(SharedData.realRestart())) {
      VelocityMesh file = src.mesh("proton");
      VelocityMesh other = new VelocityMesh("proton", file.nx(), file.ny(), file.nz(), file.wid(), file.vxMin() / 2,
          file.vyMin() / 2, file.vzMin() / 2, file.dvx() / 2, file.dvy() / 2, file.dvz() / 2);
      s.definePopulation(other);
      VdfCellIndex ix = src.index("proton");
      for (long id : ix.cellIds()) {
        CellVdf c = src.cell("proton", id);
        s.compressCell(id, "proton", direct(c.blockIds()), direct(c.values()), c.blockCount(), other);
      }
      Exception e = assertThrows(Exception.class, () -> s.writeRestart(null));
      assertEquals(Status.ARGUMENT, Status.of(e));
      assertTrue(e.getMessage().contains("population proton was defined with the mesh 67x67x67 blocks of 4^3 cells from "
          + "(-4.020e+06,") && e.getMessage().contains("restart.0000100.vlsv has 67x67x67 blocks of 4^3 cells from "
          + "(-8.040e+06,"), e.getMessage());
    }
    assertTrue(Files.notExists(out));
  }

  @Test
  void aRestartMissingCellsIsRefusedOnWrite() throws IOException {
    String cfg = ZFPB_CONFIG + "restart_in = " + SharedData.realRestart() + "\nrestart_out = " + dir.resolve("o.vlsv")
        + "\n";
    try (AdapterSession s = open(cfg)) {
      s.restartCells(null, "proton");
      compress(s, s.readPlainCell(null, "proton", s.restartCells(null, "proton").cellIds()[0]));
      Exception e = assertThrows(Exception.class, () -> s.writeRestart(null));
      assertTrue(e.getMessage().contains("held by 0 ranks"), e.getMessage());
      assertEquals(Status.ARGUMENT, Status.of(e));
    }
    assertTrue(Files.notExists(dir.resolve("o.vlsv")));
  }

  /** An output the file system refuses is an I/O error (it was reported as the caller's error), found up front. */
  @Test
  void anUnwritableOutputIsAnIoError() throws IOException {
    String cfg = ZFPB_CONFIG.replace("zfpb", "raw") + "restart_in = " + SharedData.realRestart() + "\n";
    try (AdapterSession s = open(cfg)) {
      for (long id : s.restartCells(null, "proton").cellIds()) {
        compress(s, s.readPlainCell(null, "proton", id));
      }
      Exception e = assertThrows(Exception.class, () -> s.writeRestart("/proc/vdfc-adapter-test.vlsv"));
      assertEquals(Status.IO, Status.of(e), e.getMessage());
      assertTrue(e.getMessage().contains("/proc/vdfc-adapter-test.vlsv cannot be written"), e.getMessage());
    }
  }

  /**
   * Mistakes found by a QA pass, each now the caller's error with its status: a cell asked for twice (it got two live
   * handles, one lost), an output that is the session's own config (it was replaced by the restart), a cell or a
   * population the template does not have (a collective failure and a corrupt template before).
   */
  @Test
  void restartMistakesAreArgumentErrors() throws IOException {
    Path out = dir.resolve("out.vlsv");
    String cfg = ZFPB_CONFIG.replace("zfpb", "raw") + "restart_in = " + SharedData.realRestart() + "\nrestart_out = "
        + out + "\n";
    try (AdapterSession s = open(cfg)) {
      long[] ids = s.restartCells(null, "proton").cellIds();
      for (long id : ids) {
        compress(s, s.readPlainCell(null, "proton", id));
      }
      Exception e = assertThrows(Exception.class, () -> s.writeRestart(dir.resolve("vdfc.cfg").toString()));
      assertEquals(Status.ARGUMENT, Status.of(e), e.getMessage());
      assertTrue(e.getMessage().contains("is the session's config file"), e.getMessage());
      s.writeRestart(null);
      assertEquals(Status.ARGUMENT, assertThrows(AdapterException.class,
          () -> s.readRestart(out.toString(), new long[] {ids[0]})).status(), "cell 1 is live already");
      CellVdf first = s.readPlainCell(null, "proton", ids[0]);
      compress(s, new CellVdf(9999, first.mesh(), first.blockIds(), first.values()));
      Exception x = assertThrows(Exception.class, () -> s.writeRestart(null));
      assertEquals(Status.ARGUMENT, Status.of(x), x.getMessage());
      assertTrue(x.getMessage().contains("proton cell 9999 is held by a rank, but"), x.getMessage());
    }
    try (AdapterSession s = open(cfg)) {
      long[] ids = s.restartCells(null, "proton").cellIds();
      AdapterException e = assertThrows(AdapterException.class,
          () -> s.readRestart(out.toString(), new long[] {ids[3], ids[3]}));
      assertEquals(Status.ARGUMENT, e.status());
      assertTrue(e.getMessage().contains("cell_ids lists cell " + ids[3] + " twice"), e.getMessage());
      assertEquals(0, s.handleOf(ids[3], "proton"), "nothing loaded");
    }
  }

  /** The config's per-cell budgets hold in situ too: they were accepted and ignored (README: they apply alike). */
  @Test
  void thePerCellBudgetsHoldInSitu() throws IOException {
    String cfg = ZFPB_CONFIG + "max_err_n = 1e-8\nrestart_in = " + SharedData.realRestart() + "\n";
    int lossless = 0;
    try (AdapterSession s = open(cfg)) {
      VelocityMesh mesh = null;
      for (long id : s.restartCells(null, "proton").cellIds()) {
        CellVdf cell = s.readPlainCell(null, "proton", id);
        mesh = cell.mesh();
        long h = compress(s, cell);
        lossless += s.bound(h) == 0 ? 1 : 0;
        double errN = io.vdfc.metrics.ErrorMetrics.compare(cell, decompress(s, h, mesh, id)).errN();
        assertTrue(errN <= 1e-8, "cell " + id + ": err_n " + errN);
      }
    }
    assertTrue(lossless > 0, "zfpb leaves some of the real restart's cells over 1e-8: those are lossless");
  }

  @Test
  void closedSessionRefusesCalls() throws IOException {
    AdapterSession s = open(ZFPB_CONFIG);
    long h = compress(s, real);
    s.close();
    assertEquals(Status.HANDLE, assertThrows(AdapterException.class, () -> s.blockCount(h)).status());
  }
}
