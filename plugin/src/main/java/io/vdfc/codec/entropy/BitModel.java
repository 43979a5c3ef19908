package io.vdfc.codec.entropy;

import java.util.Arrays;

/** Probability slots of the range coder: 15-bit probabilities of a 0 bit, starting at 1/2, adapted by 1/32. */
public final class BitModel {
  static final int BITS = 15;
  static final int ONE = 1 << BITS;
  static final int SHIFT = 5;

  private BitModel() {
    throw new AssertionError("no instances");
  }

  /** {@code n} fresh slots at probability 1/2. */
  public static short[] slots(int n) {
    short[] s = new short[n];
    Arrays.fill(s, (short) (ONE / 2));
    return s;
  }
}
