package io.vdfc.codec.dwt;

import io.vdfc.codec.RealCellsCheck;
import org.junit.jupiter.api.Test;

/** DwtCodec (defaults) round-trips every one of the real restart's 60 cells within 1*minValue, codec alone. */
class DwtAllRestartCellsTest {
  @Test
  void givenEveryRealRestartCell_whenRoundTripped_thenEveryValueIsWithinTheBound() throws Exception {
    RealCellsCheck.everyRestartCellWithinBound(new DwtCodec());
  }
}
