package io.vdfc.codec.mlpff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vdfc.codec.AbstractCodecContractTest;
import io.vdfc.codec.CodecOptions;
import io.vdfc.codec.VdfCodec;
import io.vdfc.codec.nn.RealCellRoundTrip;
import io.vdfc.metrics.ErrorMetrics;
import io.vdfc.testing.TestCells;
import io.vdfc.vdf.CellVdf;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class MlpFfCodecTest extends AbstractCodecContractTest {
  @Override
  protected VdfCodec codec() {
    return new MlpFfCodec().configure(CodecOptions.parse("epochs=2,width=12,order=4"));
  }

  @Test
  void realRestartCellsStayWithinTheBoundAndConserveMoments() throws Exception {
    RealCellRoundTrip.check(codec());
  }

  @Test
  void sameSeedGivesTheSameBytesWhateverTheThreadCount() {
    CellVdf cell = TestCells.corpus().get(0);
    byte[] one = new MlpFfCodec().configure(CodecOptions.parse("epochs=3,threads=1")).encode(cell, 1e-15);
    byte[] three = new MlpFfCodec().configure(CodecOptions.parse("epochs=3,threads=3")).encode(cell, 1e-15);
    assertArrayEquals(one, three);
  }

  @Test
  void theModelAloneLearnsAMaxwellian() throws Exception {
    // residual=off: what the network alone reproduces (the study's measure) must be far better than predicting zero.
    VdfCodec c = new MlpFfCodec().configure(CodecOptions.parse("epochs=6,width=24,residual=off"));
    CellVdf cell = TestCells.maxwellian(7, 1e6, 2e5, 4e5, 0, 3);
    float[] back = c.decode(ByteBuffer.wrap(c.encode(cell, 1e-15)), cell.mesh(), cell.blockIds(), c.version());
    ErrorMetrics m = ErrorMetrics.compare(cell, cell.withValues(back));
    assertTrue(m.l2() < 0.3 && m.errN() < 0.1, "L2 " + m.l2() + ", err_n " + m.errN());
  }
}
