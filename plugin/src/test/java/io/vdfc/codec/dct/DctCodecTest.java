package io.vdfc.codec.dct;

import io.vdfc.codec.AbstractCodecContractTest;
import io.vdfc.codec.CodecOptions;
import io.vdfc.codec.VdfCodec;
import io.vdfc.codec.RealCellsCheck;
import org.junit.jupiter.api.Test;

class DctCodecTest extends AbstractCodecContractTest {
  @Override
  protected VdfCodec codec() {
    return new DctCodec();
  }

  @Test
  void givenEveryBlockEdge_whenRoundTripped_thenBoundHolds() throws Exception {
    for (String o : new String[] {"block=4", "block=16,step=8,deadzone=1"}) {
      RealCellsCheck.syntheticWithinBound(new DctCodec().configure(CodecOptions.parse(o)));
    }
  }

  @Test
  void givenRealRestartCells_whenCompressed_thenBoundAndMomentsHold() {
    RealCellsCheck.realRestartWithinBoundAndConserved(new DctCodec());
  }
}
