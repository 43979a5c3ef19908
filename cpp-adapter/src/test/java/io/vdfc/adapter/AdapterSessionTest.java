package io.vdfc.adapter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vdfc.parallel.SingleRank;
import io.vdfc.vdf.CellVdf;
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
  static CellVdf real;
  @TempDir Path dir;

  @BeforeAll
  static void load() throws IOException {
    real = StudyVdf.load(356780649L);
  }

  private AdapterSession open() throws IOException {
    Path cfg = dir.resolve("vdfc.cfg");
    Files.writeString(cfg, "[compression]\ndeflate_level = 1  # fast\n");
    return AdapterSession.open(cfg.toString(), SingleRank.INSTANCE);
  }

  /** Direct native-order buffers, like the views JavaCPP makes of the host's arrays. */
  private static IntBuffer direct(int[] a) {
    IntBuffer b = ByteBuffer.allocateDirect(4 * a.length).order(ByteOrder.nativeOrder()).asIntBuffer();
    return b.put(a).flip();
  }

  private static FloatBuffer direct(float[] a) {
    FloatBuffer b = ByteBuffer.allocateDirect(4 * Math.max(1, a.length)).order(ByteOrder.nativeOrder()).asFloatBuffer();
    return b.put(a).flip();
  }

  private long compress(AdapterSession s, CellVdf c) {
    return s.compressCell(c.cellId(), "proton", direct(c.blockIds()), direct(c.values()), c.blockCount(), c.mesh());
  }

  @Test
  void realCellRoundTripsExactlyThroughDirectBuffers() throws IOException {
    try (AdapterSession s = open()) {
      long h = compress(s, real);
      assertEquals(real.blockCount(), s.blockCount(h));
      assertTrue(s.compressedBytes(h) < real.referenceBytes(), "deflate shrinks the real cell");
      IntBuffer ids = direct(new int[real.blockCount()]);
      FloatBuffer values = direct(new float[real.values().length]);
      assertEquals(real.blockCount(), s.decompressCell(h, ids, values, real.blockCount()));
      int[] gotIds = new int[real.blockCount()];
      float[] got = new float[real.values().length];
      ids.get(0, gotIds);
      values.get(0, got);
      assertArrayEquals(real.blockIds(), gotIds, "block IDs in stored order");
      assertArrayEquals(real.values(), got, "lossless placeholder: bit-exact values");
      long[] st = s.stats();
      assertEquals(1, st[AdapterSession.STAT_LIVE_HANDLES]);
      assertEquals(s.compressedBytes(h), st[AdapterSession.STAT_LIVE_COMPRESSED_BYTES]);
      assertEquals(real.referenceBytes(), st[AdapterSession.STAT_LIVE_REFERENCE_BYTES]);
      s.release(h);
      assertEquals(0, s.stats()[AdapterSession.STAT_LIVE_HANDLES]);
    }
  }

  @Test
  void caller_mistakes_map_to_their_status_codes() throws IOException {
    try (AdapterSession s = open()) {
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
  void configProblemsAreConfigErrorsNamingTheFile() throws IOException {
    Path missing = dir.resolve("nope.cfg");
    AdapterException e = assertThrows(AdapterException.class,
        () -> AdapterSession.open(missing.toString(), SingleRank.INSTANCE));
    assertEquals(Status.CONFIG, e.status());
    assertTrue(e.getMessage().contains("nope.cfg"), e.getMessage());
    Path noSection = Files.writeString(dir.resolve("a.cfg"), "[io]\nx = 1\n");
    assertEquals(Status.CONFIG, assertThrows(AdapterException.class,
        () -> AdapterSession.open(noSection.toString(), SingleRank.INSTANCE)).status());
    Path badLevel = Files.writeString(dir.resolve("b.cfg"), "[compression]\ndeflate_level = eleven\n");
    AdapterException level = assertThrows(AdapterException.class,
        () -> AdapterSession.open(badLevel.toString(), SingleRank.INSTANCE));
    assertTrue(level.getMessage().contains("b.cfg:2"), level.getMessage());
  }

  @Test
  void restartRoundTripsTheRequestedCellsAndDetectsDamage() throws IOException {
    Path restart = dir.resolve("r.vdfcr");
    try (AdapterSession s = open()) {
      for (long id = 1; id <= 3; id++) {
        compress(s, new CellVdf(id, real.mesh(), real.blockIds(), real.values()));
      }
      s.writeRestart(restart.toString());
    }
    assertTrue(Files.exists(restart) && !Files.exists(dir.resolve("r.vdfcr.tmp")));
    try (AdapterSession s = open()) {
      s.definePopulation(real.mesh());
      assertEquals(2, s.readRestart(restart.toString(), new long[] {3, 1}));
      assertEquals(0, s.handleOf(2, "proton"), "cell 2 was not asked for");
      long h = s.handleOf(3, "proton");
      assertNotEquals(0, h);
      FloatBuffer values = direct(new float[real.values().length]);
      s.decompressCell(h, direct(new int[real.blockCount()]), values, real.blockCount());
      float[] got = new float[real.values().length];
      values.get(0, got);
      assertArrayEquals(real.values(), got);
      AdapterException missing = assertThrows(AdapterException.class,
          () -> s.readRestart(restart.toString(), new long[] {7}));
      assertEquals(Status.CORRUPT, missing.status());
    }
    byte[] bytes = Files.readAllBytes(restart);
    bytes[bytes.length / 2] ^= 0x10;
    Path damaged = Files.write(dir.resolve("d.vdfcr"), bytes);
    try (AdapterSession s = open()) {
      s.definePopulation(real.mesh());
      AdapterException crc = assertThrows(AdapterException.class,
          () -> s.readRestart(damaged.toString(), new long[] {1, 2, 3}));
      assertEquals(Status.CORRUPT, crc.status());
      assertTrue(crc.getMessage().contains("CRC32"), crc.getMessage());
    }
  }

  @Test
  void closedSessionRefusesCalls() throws IOException {
    AdapterSession s = open();
    long h = compress(s, real);
    s.close();
    assertEquals(Status.HANDLE, assertThrows(AdapterException.class, () -> s.blockCount(h)).status());
  }
}
