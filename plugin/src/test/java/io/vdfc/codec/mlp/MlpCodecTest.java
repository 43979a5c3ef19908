package io.vdfc.codec.mlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vdfc.codec.AbstractCodecContractTest;
import io.vdfc.codec.CodecOptions;
import io.vdfc.codec.VdfCodec;
import io.vdfc.codec.nn.RealCellRoundTrip;
import io.vdfc.testing.TestCells;
import io.vdfc.vdf.CellVdf;
import org.junit.jupiter.api.Test;

class MlpCodecTest extends AbstractCodecContractTest {
  @Override
  protected VdfCodec codec() {
    return new MlpCodec().configure(CodecOptions.parse("epochs=2,width=12"));
  }

  @Test
  void realRestartCellsStayWithinTheBoundAndConserveMoments() throws Exception {
    RealCellRoundTrip.check(new MlpCodec().configure(CodecOptions.parse("epochs=2,width=12")));
  }

  @Test
  void sameSeedGivesTheSameBytesWhateverTheThreadCount() {
    CellVdf cell = TestCells.corpus().get(0);
    byte[] one = new MlpCodec().configure(CodecOptions.parse("epochs=3,threads=1")).encode(cell, 1e-15);
    byte[] three = new MlpCodec().configure(CodecOptions.parse("epochs=3,threads=3")).encode(cell, 1e-15);
    assertArrayEquals(one, three);
  }

  @Test
  void badOptionsAreRejectedByName() {
    assertThrows(IllegalArgumentException.class, () -> new MlpCodec().configure(CodecOptions.parse("layers=0")));
    assertThrows(IllegalArgumentException.class, () -> new MlpCodec().configure(CodecOptions.parse("lr=2")));
    assertThrows(IllegalArgumentException.class, () -> new MlpCodec().configure(CodecOptions.parse("depth=3")));
  }
}
