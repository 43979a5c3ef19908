package io.vdfc.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ToleranceTest {
  @Test
  void parsesTheThreeForms() {
    assertEquals(new Tolerance(Tolerance.Kind.ABSOLUTE, 1e-16), Tolerance.parse("1e-16"));
    assertEquals(new Tolerance(Tolerance.Kind.MIN_VALUE, 0.5), Tolerance.parse("0.5*minValue"));
    assertEquals(new Tolerance(Tolerance.Kind.MIN_VALUE, 1), Tolerance.parse("minValue"));
    assertEquals(new Tolerance(Tolerance.Kind.PEAK, 1e-4), Tolerance.parse("1e-4 * peak"));
  }

  @Test
  void resolvesPerCell() {
    assertEquals(5e-17, Tolerance.parse("0.5*minValue").resolve(1e-16, 3e-12), 1e-30);
    assertEquals(3e-16, Tolerance.parse("1e-4*peak").resolve(1e-16, 3e-12), 1e-28);
    assertEquals(1e-15, Tolerance.parse("1e-15").resolve(Double.NaN, 0), 0);
  }

  @Test
  void badSpecsNameWhatIsAllowed() {
    var e = assertThrows(IllegalArgumentException.class, () -> Tolerance.parse("tiny"));
    assertEquals(true, e.getMessage().contains("minValue"));
    assertThrows(IllegalArgumentException.class, () -> Tolerance.parse("-1e-16"));
    assertThrows(IllegalArgumentException.class, () -> Tolerance.parse("2xminValue"));
    assertThrows(IllegalArgumentException.class, () -> Tolerance.parse("0.5*minValue").resolve(Double.NaN, 1));
    // beyond float32: the codecs' float32 arithmetic overflowed ("bad weight cap Infinity")
    e = assertThrows(IllegalArgumentException.class, () -> Tolerance.parse("1e300"));
    assertEquals(true, e.getMessage().contains("1.0E300 is beyond the float32 range"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Tolerance.parse("1e300*minValue").resolve(1e-16, 1e-10));
    assertEquals(true, e.getMessage().contains("1.0E300*minValue = 1.0E284 is beyond the float32 range"), e.getMessage());
    assertEquals(1e38, Tolerance.parse("1e38").resolve(Double.NaN, 0), 0);
  }
}
