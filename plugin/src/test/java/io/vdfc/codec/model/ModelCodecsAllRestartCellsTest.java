package io.vdfc.codec.model;

import io.vdfc.codec.CodecRegistry;
import io.vdfc.codec.RealCellsCheck;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fitting codecs (defaults) round-trip every one of the real restart's 60 cells within 1*minValue, codec alone;
 * {@link ModelCodecsRealRestartTest} forces their model part on a few cells and checks conservation there.
 */
class ModelCodecsAllRestartCellsTest {
  @ParameterizedTest
  @ValueSource(strings = {"hermite", "sph", "gmm", "octree"})
  void givenEveryRealRestartCell_whenRoundTripped_thenEveryValueIsWithinTheBound(String codec) throws Exception {
    RealCellsCheck.everyRestartCellWithinBound(CodecRegistry.get().byName(codec));
  }
}
