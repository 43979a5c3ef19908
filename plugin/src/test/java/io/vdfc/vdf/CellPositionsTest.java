package io.vdfc.vdf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CellPositionsTest {
  @Test
  void findsEveryCellsFirstPositionAndNothingElse() {
    long[] ids = {46, 3, -5, Long.MAX_VALUE, 3, 9, 46, 46, 0};
    CellPositions p = new CellPositions(ids);
    assertEquals(0, p.find(46));
    assertEquals(1, p.find(3));
    assertEquals(2, p.find(-5)); // an unsigned ID above 2^63 reads as negative
    assertEquals(3, p.find(Long.MAX_VALUE));
    assertEquals(5, p.find(9));
    assertEquals(8, p.find(0));
    for (long absent : new long[] {1, 4, 47, Long.MIN_VALUE, -4}) {
      assertEquals(-1, p.find(absent), Long.toString(absent));
    }
    assertArrayEquals(new int[] {1, 4}, p.firstRepeat(), "3 at entry 4 repeats first, before 46 at entry 6");
  }

  @Test
  void firstRepeatIsTheEarliestEntryThatRepeatsAnEarlierOne() {
    assertNull(new CellPositions(new long[] {5, 1, 9}).firstRepeat());
    assertNull(new CellPositions(new long[0]).firstRepeat());
    assertArrayEquals(new int[] {0, 3}, new CellPositions(new long[] {7, 8, 9, 7, 8}).firstRepeat());
    assertArrayEquals(new int[] {1, 2}, new CellPositions(new long[] {7, 8, 8, 7}).firstRepeat());
    assertArrayEquals(new int[] {0, 1}, new CellPositions(new long[] {4, 4, 4, 4}).firstRepeat());
  }

  /** Against a map built entry by entry, on 200,000 random IDs with repeats. */
  @Test
  void agreesWithAMapOnManyCells() {
    Random r = new Random(7);
    long[] ids = new long[200_000];
    Map<Long, Integer> first = new HashMap<>();
    int[] repeat = null;
    for (int i = 0; i < ids.length; i++) {
      ids[i] = r.nextInt(1_000_000) - 300_000L;
      Integer before = first.putIfAbsent(ids[i], i);
      if (before != null && repeat == null) {
        repeat = new int[] {before, i};
      }
    }
    CellPositions p = new CellPositions(ids);
    for (long id = -300_001; id < 700_001; id += 7) {
      assertEquals(first.getOrDefault(id, -1), p.find(id), Long.toString(id));
    }
    assertArrayEquals(repeat, p.firstRepeat());
  }
}
