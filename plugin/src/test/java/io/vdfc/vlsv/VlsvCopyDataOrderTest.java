package io.vdfc.vlsv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vdfc.testing.VlsvSamples;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** {@link VlsvCopy#dataOrder}: the order of the arrays' bytes, whether the footer lists them in it or not. */
class VlsvCopyDataOrderTest {
  /** The rule written out independently: offset, then empty before non-empty, then footer index. */
  private static final Comparator<VlsvArray> RULE = Comparator.comparingLong(VlsvArray::offset)
      .thenComparing(a -> a.byteSize() > 0).thenComparingInt(VlsvArray::index);

  @TestFactory
  Stream<DynamicTest> everySampleFileInFooterOrderAndShuffled() {
    return VlsvSamples.all().stream().map(p -> DynamicTest.dynamicTest(VlsvSamples.name(p), () -> {
      try (VlsvFile f = VlsvFile.open(p)) {
        List<VlsvArray> expected = new ArrayList<>(f.arrays());
        expected.sort(RULE);
        assertEquals(expected, f.dataOrder());
        List<VlsvArray> shuffled = new ArrayList<>(f.arrays());
        Collections.shuffle(shuffled, new Random(7));
        assertEquals(expected, VlsvCopy.dataOrder(shuffled));
      }
    }));
  }

  @Test
  void emptyArraysComeFirstAtTheirOffsetAndTiesGoByIndex() {
    VlsvArray full = array(0, 16, 4);
    VlsvArray emptyHere = array(1, 16, 0);
    VlsvArray emptyLater = array(2, 32, 0);
    VlsvArray emptyHereToo = array(3, 16, 0);
    VlsvArray next = array(4, 32, 2);
    List<VlsvArray> inOrder = List.of(emptyHere, emptyHereToo, full, emptyLater, next);
    assertEquals(inOrder, VlsvCopy.dataOrder(inOrder));
    assertEquals(inOrder, VlsvCopy.dataOrder(List.of(next, full, emptyLater, emptyHereToo, emptyHere)));
    assertEquals(inOrder, VlsvCopy.dataOrder(List.of(full, emptyHere, emptyHereToo, emptyLater, next)));
  }

  private static VlsvArray array(int index, long offset, long elements) {
    return new VlsvArray(index, "VARIABLE", Map.of("name", "a" + index), offset, elements, 1, VlsvDataType.FLOAT, 4);
  }
}
