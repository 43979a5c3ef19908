package io.vdfc.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vdfc.codec.CorruptRecordException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CellRecordTest {
  private static final long MESH_BLOCKS = 67L * 67 * 67;

  private static int[] hashOrderIds(int n, long seed) {
    Random r = new Random(seed);
    int[] ids = new int[n];
    for (int i = 0; i < n; i++) {
      ids[i] = r.nextInt((int) MESH_BLOCKS);
    }
    return ids;
  }

  @Test
  void blockIdsKeepTheirStoredOrder() throws Exception {
    for (int n : new int[] {0, 1, 5, 134, 2945}) {
      int[] ids = hashOrderIds(n, n);
      byte[] enc = BlockIdCoder.encode(ids);
      ByteBuffer in = ByteBuffer.wrap(enc);
      assertArrayEquals(ids, BlockIdCoder.decode(in, n, MESH_BLOCKS));
      assertEquals(0, in.remaining());
    }
  }

  @Test
  void blockIdsOutsideTheMeshAreRejected() {
    byte[] enc = BlockIdCoder.encode(new int[] {5, 10});
    CorruptRecordException e = assertThrows(CorruptRecordException.class,
        () -> BlockIdCoder.decode(ByteBuffer.wrap(enc), 2, 8));
    assertTrue(e.getMessage().contains("outside the mesh"), e.getMessage());
  }

  @Test
  void varintSizeIsWhatWriteWrites() {
    long[] values = {0, 1, 127, 128, 16_383, 16_384, (1L << 21) - 1, 1L << 21, Integer.MAX_VALUE, 1L << 56,
        Long.MAX_VALUE, Long.MIN_VALUE, -1};
    for (long v : values) {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      Varint.write(out, v);
      assertEquals(out.size(), Varint.size(v), "varint of " + v);
    }
  }

  @Test
  void recordsRoundTripAcrossVarintWidths() throws Exception {
    // every length field one side and the other of a varint width (the writer sizes its buffer from them)
    for (int len : new int[] {1, 127, 128, 16_383, 16_384}) {
      int[] ids = hashOrderIds(len % 1000, len);
      byte[] payload = new byte[len];
      new Random(len).nextBytes(payload);
      byte[] cons = Arrays.copyOf(payload, Math.min(len, 200));
      byte[] rec = CellRecord.write(4, 1, 0, ids, 1e-16, 3.3e-17, cons, payload);
      ByteBuffer in = ByteBuffer.wrap(rec);
      CellRecord r = CellRecord.read(in, MESH_BLOCKS, ids.length);
      assertEquals(0, in.remaining(), "record with a " + len + "-byte payload");
      assertArrayEquals(ids, r.blockIds());
      assertArrayEquals(cons, r.conservation());
      assertEquals(ByteBuffer.wrap(payload), r.payload());
    }
  }

  @Test
  void recordRoundTripsEveryField() throws Exception {
    int[] ids = hashOrderIds(100, 7);
    byte[] payload = new byte[333];
    new Random(1).nextBytes(payload);
    byte[] cons = {1, 2, 3};
    byte[] rec = CellRecord.write(4, 1, CellRecord.CONSERVED, ids, 1e-16, 3.3e-17, cons, payload);
    ByteBuffer in = ByteBuffer.wrap(rec);
    CellRecord r = CellRecord.read(in, MESH_BLOCKS, 100);
    assertEquals(0, in.remaining());
    assertEquals(4, r.codecId());
    assertEquals(1, r.codecVersion());
    assertTrue(r.has(CellRecord.CONSERVED));
    assertArrayEquals(ids, r.blockIds());
    assertArrayEquals(cons, r.conservation());
    byte[] p = new byte[r.payload().remaining()];
    r.payload().get(p);
    assertArrayEquals(payload, p);
    assertTrue(r.tolerance() >= 1e-16 && r.maxAbs() >= 3.3e-17, "stored bounds are rounded up");
    assertEquals(r.tolerance(), CellRecord.peekTolerance(ByteBuffer.wrap(rec)), 0);
  }

  @Test
  void everySingleBitFlipAndTruncationIsDetected() {
    byte[] rec = CellRecord.write(2, 1, 0, hashOrderIds(40, 3), 0, 0, new byte[0], new byte[64]);
    for (int bit = 0; bit < rec.length * 8; bit++) {
      byte[] bad = rec.clone();
      bad[bit / 8] ^= (byte) (1 << (bit % 8));
      assertThrows(CorruptRecordException.class, () -> CellRecord.read(ByteBuffer.wrap(bad), MESH_BLOCKS, 40),
          "bit " + bit);
    }
    for (int len = 0; len < rec.length; len++) {
      byte[] cut = Arrays.copyOf(rec, len);
      assertThrows(CorruptRecordException.class, () -> CellRecord.read(ByteBuffer.wrap(cut), MESH_BLOCKS, 40),
          "length " + len);
    }
  }

  @Test
  void aBlockCountAboveTheIndexIsRejectedBeforeAllocating() {
    byte[] rec = CellRecord.write(2, 1, 0, hashOrderIds(40, 3), 0, 0, new byte[0], new byte[64]);
    CorruptRecordException e = assertThrows(CorruptRecordException.class,
        () -> CellRecord.read(ByteBuffer.wrap(rec), MESH_BLOCKS, 39));
    assertTrue(e.getMessage().contains("block count"), e.getMessage());
  }

  /**
   * Regression (found by DecoderFuzzTest): a section byte count equal to the bytes left before the count was read passed
   * the bound and then overran the record by the count's own length (IllegalArgumentException from ByteBuffer.limit).
   */
  @Test
  void aSectionCountThatOverrunsByItsOwnLengthIsACorruptRecord() {
    byte[] ids = BlockIdCoder.encode(new int[0]);
    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
    body.writeBytes(new byte[] {1, 3, 1, 0, 0}); // version, codec, codec version, flags, 0 blocks
    body.writeBytes(new byte[8]); // tolerance, maxAbs
    body.write(ids.length);
    body.writeBytes(ids);
    body.write(0); // no conservation bytes
    body.write(5); // payload count: the 4 payload bytes plus this count byte
    body.writeBytes(new byte[4]);
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    byte[] b = body.toByteArray();
    crc.update(b);
    ByteBuffer rec = ByteBuffer.allocate(b.length + 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    rec.put(b).putInt((int) crc.getValue()).flip();
    CorruptRecordException e = assertThrows(CorruptRecordException.class, () -> CellRecord.read(rec, 1000, 10));
    assertTrue(e.getMessage().contains("payload byte count 5 exceeds the 4 bytes left"), e.getMessage());
  }
}
