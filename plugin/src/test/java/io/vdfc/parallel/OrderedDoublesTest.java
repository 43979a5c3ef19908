package io.vdfc.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Reducing doubles' ordered longs with the integer minimum and maximum gives what {@link Math#min(double, double)} and
 * {@link Math#max(double, double)} give, bit for bit, for every kind of double: the collectives rely on it to reduce
 * error bounds over MPI without losing a NaN.
 */
class OrderedDoublesTest {
  private static final double[] SPECIAL = {
    Double.NaN, Double.longBitsToDouble(0xfff8000000000001L), Double.NEGATIVE_INFINITY, -Double.MAX_VALUE, -1.5,
    -Double.MIN_NORMAL, -Double.MIN_VALUE, -0.0, 0.0, Double.MIN_VALUE, Double.MIN_NORMAL, 1e-15, 1.0, 1.5,
    Double.MAX_VALUE, Double.POSITIVE_INFINITY
  };

  @Test
  void everyDoubleComesBackBitForBitAndNanStaysNan() {
    for (boolean max : new boolean[] {false, true}) {
      double[] back = OrderedDoubles.fromOrdered(OrderedDoubles.toOrdered(SPECIAL, max));
      for (int i = 0; i < SPECIAL.length; i++) {
        if (Double.isNaN(SPECIAL[i])) {
          assertTrue(Double.isNaN(back[i]), "NaN at " + i);
        } else {
          assertEquals(Double.doubleToRawLongBits(SPECIAL[i]), Double.doubleToRawLongBits(back[i]), "value " + i);
        }
      }
    }
  }

  @Test
  void theLongsReduceAsMathMinAndMaxDo() {
    Random random = new Random(7);
    double[] values = new double[SPECIAL.length + 2000];
    System.arraycopy(SPECIAL, 0, values, 0, SPECIAL.length);
    for (int i = SPECIAL.length; i < values.length; i++) {
      values[i] = i % 2 == 0 ? random.nextGaussian() * Math.pow(10, random.nextInt(600) - 300)
          : Double.longBitsToDouble(random.nextLong());
    }
    for (double a : values) {
      for (int j = 0; j < 40; j++) {
        double b = values[random.nextInt(values.length)];
        assertSame(Math.max(a, b), reduced(a, b, true), a + " max " + b);
        assertSame(Math.min(a, b), reduced(a, b, false), a + " min " + b);
      }
    }
  }

  /** a and b reduced as two ranks' values would be: their ordered longs' integer maximum or minimum, mapped back. */
  private static double reduced(double a, double b, boolean max) {
    long x = OrderedDoubles.toOrdered(new double[] {a}, max)[0];
    long y = OrderedDoubles.toOrdered(new double[] {b}, max)[0];
    return OrderedDoubles.fromOrdered(new long[] {max ? Math.max(x, y) : Math.min(x, y)})[0];
  }

  private static void assertSame(double expected, double got, String what) {
    if (Double.isNaN(expected)) {
      assertTrue(Double.isNaN(got), what + ": NaN expected, got " + got);
    } else {
      assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(got), what);
    }
  }
}
