package io.vdfc.codec.pca;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vdfc.codec.AbstractCodecContractTest;
import io.vdfc.codec.CodecOptions;
import io.vdfc.codec.CorruptRecordException;
import io.vdfc.codec.RealCellsCheck;
import io.vdfc.codec.SharedModelCodec;
import io.vdfc.codec.VdfCodec;
import io.vdfc.testing.TestCells;
import io.vdfc.vdf.CellVdf;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class PcaCodecTest extends AbstractCodecContractTest {
  @Override
  protected VdfCodec codec() {
    return new PcaCodec();
  }

  private static VdfCodec fileScope(List<CellVdf> sample, double tol) throws CorruptRecordException {
    SharedModelCodec c = (SharedModelCodec) new PcaCodec().configure(CodecOptions.parse("scope=file,k=12"));
    return c.withModel(ByteBuffer.wrap(c.trainModel(sample, tol)));
  }

  @Test
  void givenSharedBasis_whenRoundTripped_thenBoundHolds() throws Exception {
    RealCellsCheck.syntheticWithinBound(fileScope(TestCells.corpus(), 1e-16));
  }

  @Test
  void givenCellScope_whenModelTrained_thenItIsAMarkerAndBindsToCellScope() throws Exception {
    PcaCodec c = new PcaCodec();
    byte[] m = c.trainModel(TestCells.corpus(), 1e-16);
    assertTrue(m.length == 1);
    assertTrue(!((PcaCodec) c.withModel(ByteBuffer.wrap(m))).fileScope());
  }

  @Test
  void givenSharedPayload_whenDecodedWithoutModel_thenCorruptRecord() throws Exception {
    CellVdf cell = TestCells.corpus().get(1);
    VdfCodec shared = fileScope(List.of(cell), 1e-16);
    byte[] p = shared.encode(cell, 1e-16);
    if (p[0] == 2) {
      assertThrows(CorruptRecordException.class, () -> new PcaCodec().decode(ByteBuffer.wrap(p), cell.mesh(), cell.blockIds(), 1));
    }
  }

  @Test
  void givenRealRestartCells_whenCompressedInCellScope_thenBoundAndMomentsHold() {
    PcaCodec c = new PcaCodec();
    RealCellsCheck.realRestartWithinBoundAndConserved(c, codec -> c);
  }

  @Test
  void givenRealRestartCells_whenCompressedWithSharedBasis_thenBoundAndMomentsHoldAndCellsCompress() throws Exception {
    double tol = RealCellsCheck.restartMinValue();
    List<CellVdf> cells = RealCellsCheck.restartCells();
    VdfCodec shared = fileScope(cells, tol);
    RealCellsCheck.realRestartWithinBoundAndConserved(shared, codec -> shared);
    for (CellVdf cell : cells) {
      long ref = cell.referenceBytes();
      assertTrue(shared.encode(cell, tol).length < ref / 4, "file scope compresses cell " + cell.cellId() + " 4x");
    }
  }
}
