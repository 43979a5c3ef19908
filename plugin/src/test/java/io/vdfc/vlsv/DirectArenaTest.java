package io.vdfc.vlsv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DirectArenaTest {
  private static byte[] random(Random rnd, int n) {
    byte[] b = new byte[n];
    rnd.nextBytes(b);
    return b;
  }

  @Test
  void givenRecordsWhenPutThenEachViewHoldsItsBytesInDirectMemoryUntilClose() {
    Random rnd = new Random(3);
    List<byte[]> records = new ArrayList<>();
    List<ByteBuffer> views = new ArrayList<>();
    try (DirectArena arena = new DirectArena()) {
      // small ones filling more than one chunk, and one larger than a chunk
      for (int i = 0; i < 40; i++) {
        records.add(random(rnd, i == 20 ? DirectArena.CHUNK + 5 : 50_000 + rnd.nextInt(1000)));
        views.add(arena.put(records.get(i)));
      }
      for (int i = 0; i < records.size(); i++) {
        ByteBuffer v = views.get(i);
        assertTrue(v.isDirect() && v.isReadOnly());
        assertEquals(0, v.position());
        assertEquals(ByteBuffer.wrap(records.get(i)), v, "record " + i);
      }
      assertTrue(arena.capacity() >= 3L * DirectArena.CHUNK);
    }
  }

  @Test
  void givenAnArenaAtItsLimitWhenPutThenTheRecordStaysOnTheHeap() {
    Random rnd = new Random(4);
    try (DirectArena arena = new DirectArena(2L * DirectArena.CHUNK)) {
      List<ByteBuffer> views = new ArrayList<>();
      List<byte[]> records = new ArrayList<>();
      for (int i = 0; i < 5; i++) { // 600 kB each: one chunk holds one, and the third does not fit
        records.add(random(rnd, 600_000));
        views.add(arena.put(records.get(i)));
      }
      assertEquals(2L * DirectArena.CHUNK, arena.capacity());
      for (int i = 0; i < records.size(); i++) {
        assertEquals(i < 2, views.get(i).isDirect(), "record " + i);
        assertTrue(views.get(i).isReadOnly());
        assertEquals(ByteBuffer.wrap(records.get(i)), views.get(i));
      }
    }
  }

  @Test
  void givenAClosedArenaWhenPutThenItRefusesAndItsChunksServeTheNextArena() {
    DirectArena first = new DirectArena();
    first.put(new byte[100]);
    first.close();
    assertThrows(IllegalStateException.class, () -> first.put(new byte[1]));
    int pooled = DirectArena.pooled();
    assertTrue(pooled >= 1);
    try (DirectArena next = new DirectArena()) {
      next.put(new byte[10]);
      assertEquals(pooled - 1, DirectArena.pooled()); // taken from the pool, not allocated
    }
    assertEquals(pooled, DirectArena.pooled());
  }

  @Test
  void givenTakesWhenFilledThenEachBufferHoldsItsOwnBytesAndPastTheLimitStillDirectMemory() {
    Random rnd = new Random(5);
    try (DirectArena arena = new DirectArena(2L * DirectArena.CHUNK)) {
      List<byte[]> wanted = new ArrayList<>();
      List<ByteBuffer> taken = new ArrayList<>();
      // 300 kB each: three share a chunk, two chunks hold six, the rest lie past the arena's limit
      for (int i = 0; i < 9; i++) {
        ByteBuffer b = arena.take(300_000);
        assertTrue(b.isDirect() && !b.isReadOnly());
        assertEquals(0, b.position());
        assertEquals(300_000, b.remaining());
        assertEquals(java.nio.ByteOrder.LITTLE_ENDIAN, b.order());
        wanted.add(random(rnd, 300_000));
        b.put(wanted.get(i));
        taken.add(b.flip());
      }
      assertEquals(2L * DirectArena.CHUNK, arena.capacity());
      for (int i = 0; i < wanted.size(); i++) { // no take overwrote another's bytes
        assertEquals(ByteBuffer.wrap(wanted.get(i)), taken.get(i), "buffer " + i);
      }
      ByteBuffer big = arena.take(DirectArena.CHUNK + 1); // larger than a chunk, past the limit: its own memory
      assertTrue(big.isDirect());
      assertEquals(DirectArena.CHUNK + 1, big.remaining());
    }
  }

  @Test
  void givenAClosedArenaWhenTakeThenItRefuses() {
    DirectArena arena = new DirectArena();
    arena.take(10);
    arena.close();
    assertThrows(IllegalStateException.class, () -> arena.take(1));
  }
}
