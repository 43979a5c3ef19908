package io.vdfc.codec.vq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vdfc.codec.AbstractCodecContractTest;
import io.vdfc.codec.CodecOptions;
import io.vdfc.codec.CorruptRecordException;
import io.vdfc.codec.SharedModelCodec;
import io.vdfc.codec.VdfCodec;
import io.vdfc.codec.nn.RealCellRoundTrip;
import io.vdfc.testing.TestCells;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class VqCodecTest extends AbstractCodecContractTest {
  private static final SharedModelCodec UNBOUND =
      (SharedModelCodec) new VqCodec().configure(CodecOptions.parse("codes=32,iterations=4"));
  private static final byte[] MODEL = UNBOUND.trainModel(TestCells.corpus(), 1e-16);

  @Override
  protected VdfCodec codec() {
    try {
      return UNBOUND.withModel(ByteBuffer.wrap(MODEL));
    } catch (CorruptRecordException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void realRestartCellsStayWithinTheBoundAndConserveMoments() throws Exception {
    RealCellRoundTrip.check(UNBOUND);
  }

  @Test
  void theShippedCodebookWorksOnRealCells() throws Exception {
    RealCellRoundTrip.check(new VqCodec().configure(CodecOptions.parse("codebook=builtin")));
  }

  @Test
  void trainingIsDeterministic() {
    assertArrayEquals(MODEL, UNBOUND.trainModel(TestCells.corpus(), 1e-16));
  }

  @Test
  void damagedModelsAreRejected() {
    for (int len = 0; len < MODEL.length; len += 97) {
      byte[] cut = Arrays.copyOf(MODEL, len);
      assertThrows(CorruptRecordException.class, () -> UNBOUND.withModel(ByteBuffer.wrap(cut)));
    }
  }

  @Test
  void encodingWithoutAModelSaysSo() {
    assertThrows(IllegalStateException.class, () -> UNBOUND.encode(TestCells.corpus().get(0), 1e-15));
  }
}
