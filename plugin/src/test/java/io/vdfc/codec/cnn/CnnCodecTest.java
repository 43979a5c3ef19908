package io.vdfc.codec.cnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vdfc.codec.AbstractCodecContractTest;
import io.vdfc.codec.CodecOptions;
import io.vdfc.codec.CorruptRecordException;
import io.vdfc.codec.RealCellsCheck;
import io.vdfc.codec.SharedModelCodec;
import io.vdfc.codec.VdfCodec;
import io.vdfc.codec.nn.Quantiser;
import io.vdfc.codec.nn.RealCellRoundTrip;
import io.vdfc.testing.TestCells;
import io.vdfc.vdf.CellVdf;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cnn codec with a small, quickly trained network: contract, real restart cells, determinism, damaged input. */
class CnnCodecTest extends AbstractCodecContractTest {
  private static final String SMALL = "channels=4,latent=2,steps=12,batch=2,crop=16";
  private static final SharedModelCodec UNBOUND =
      (SharedModelCodec) new CnnCodec().configure(CodecOptions.parse(SMALL));
  private static final byte[] MODEL = UNBOUND.trainModel(TestCells.corpus(), 1e-16);

  @Override
  protected VdfCodec codec() {
    return bind(UNBOUND, MODEL);
  }

  private static VdfCodec bind(SharedModelCodec c, byte[] model) {
    try {
      return c.withModel(ByteBuffer.wrap(model));
    } catch (CorruptRecordException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void givenRealRestartCells_whenCompressedWithConservation_thenWithinTheBoundAndMomentsConserved() throws Exception {
    RealCellRoundTrip.check(UNBOUND);
  }

  @Test
  void givenANetworkTrainedOnFourRestartCells_whenEveryRestartCellIsRoundTripped_thenEveryValueIsWithinTheBound()
      throws Exception {
    List<CellVdf> all = RealCellsCheck.allRestartCells();
    double tol = RealCellsCheck.restartMinValue();
    byte[] model = UNBOUND.trainModel(List.of(all.get(0), all.get(20), all.get(40), all.get(59)), tol);
    CnnCodec bound = (CnnCodec) bind(UNBOUND, model);
    RealCellsCheck.everyRestartCellWithinBound(bound);
    // both records meet the bound on real cells, the network's (flags 3) and the residual's alone (flags 2); encode
    // keeps the smaller
    for (int i : new int[] {0, 30, 59}) {
      CellVdf cell = all.get(i);
      CellGrid g = CnnCodec.gridFor(cell, bound.multiple());
      assertTrue(g != null, "cell " + i + " has a grid for the network");
      byte[] withNet = bound.record(cell, g, tol);
      byte[] alone = bound.record(cell, null, tol);
      assertEquals(3, withNet[0], "flags: network part and residual");
      assertEquals(2, alone[0], "flags: residual alone");
      for (byte[] p : List.of(withNet, alone)) {
        float[] back = bound.decode(ByteBuffer.wrap(p), cell.mesh(), cell.blockIds(), CnnCodec.VERSION);
        for (int v = 0; v < back.length; v++) {
          assertTrue(Math.abs((double) back[v] - cell.values()[v]) <= tol, "cell " + i + " value " + v);
        }
      }
      assertArrayEquals(alone.length < withNet.length ? alone : withNet, bound.encode(cell, tol));
    }
  }

  @Test
  void givenTheSameCellsAndSeed_whenTrainedOnOneThreadAndOnTwo_thenTheModelsAreTheSameBytes() {
    SharedModelCodec one = (SharedModelCodec) UNBOUND.configure(CodecOptions.parse("threads=1"));
    SharedModelCodec two = (SharedModelCodec) UNBOUND.configure(CodecOptions.parse("threads=2"));
    CnnCodec.forgetTrainedModels();
    byte[] a = one.trainModel(TestCells.corpus(), 1e-16);
    CnnCodec.forgetTrainedModels();
    byte[] b = two.trainModel(TestCells.corpus(), 1e-16);
    assertArrayEquals(a, b);
    assertArrayEquals(MODEL, a);
    SharedModelCodec otherSeed = (SharedModelCodec) UNBOUND.configure(CodecOptions.parse("seed=2"));
    assertTrue(!Arrays.equals(a, otherSeed.trainModel(TestCells.corpus(), 1e-16)), "the seed changes the model");
  }

  @Test
  void givenResidualOff_whenEncoded_thenThePayloadIsTheLatentGridAloneAndDecodesWithinThePeak() throws Exception {
    VdfCodec modelOnly = bind((SharedModelCodec) UNBOUND.configure(CodecOptions.parse("residual=off")), MODEL);
    CellVdf cell = TestCells.corpus().get(1);
    byte[] payload = modelOnly.encode(cell, 1e-16);
    CellGrid g = CellGrid.of(cell.mesh(), cell.blockIds(), 8);
    int latentValues = 2 * (g.dims[0] / 8) * (g.dims[1] / 8) * (g.dims[2] / 8);
    assertEquals(1 + 8 + Quantiser.size(latentValues, 8), payload.length);
    float[] back = modelOnly.decode(ByteBuffer.wrap(payload), cell.mesh(), cell.blockIds(), CnnCodec.VERSION);
    for (float v : back) {
      assertTrue(v >= 0 && v <= cell.peak(), "value " + v);
    }
  }

  @Test
  void givenDamagedPayloads_whenDecoded_thenTheErrorSaysWhatIsWrong() {
    CnnCodec c = (CnnCodec) codec();
    CellVdf cell = TestCells.corpus().get(0);
    byte[] good = c.record(cell, CnnCodec.gridFor(cell, c.multiple()), 1e-15); // with the network part
    byte[] badFlags = good.clone();
    badFlags[0] = (byte) 0x85;
    CorruptRecordException e = assertThrows(CorruptRecordException.class,
        () -> c.decode(ByteBuffer.wrap(badFlags), cell.mesh(), cell.blockIds(), CnnCodec.VERSION));
    assertTrue(e.getMessage().contains("cnn flags"), e.getMessage());
    byte[] cut = Arrays.copyOf(good, 12);
    e = assertThrows(CorruptRecordException.class,
        () -> c.decode(ByteBuffer.wrap(cut), cell.mesh(), cell.blockIds(), CnnCodec.VERSION));
    assertTrue(e.getMessage().contains("cnn latent grid"), e.getMessage());
    e = assertThrows(CorruptRecordException.class,
        () -> c.decode(ByteBuffer.wrap(good), cell.mesh(), cell.blockIds(), CnnCodec.VERSION + 1));
    assertTrue(e.getMessage().contains("version"), e.getMessage());
  }

  @Test
  void givenDamagedModels_whenBound_thenRejected() {
    for (int len = 0; len < MODEL.length; len += 97) {
      byte[] cut = Arrays.copyOf(MODEL, len);
      assertThrows(CorruptRecordException.class, () -> UNBOUND.withModel(ByteBuffer.wrap(cut)));
    }
    byte[] wrongMagic = MODEL.clone();
    wrongMagic[0] = 'X';
    assertThrows(CorruptRecordException.class, () -> UNBOUND.withModel(ByteBuffer.wrap(wrongMagic)));
  }

  @Test
  void givenNoModel_whenEncoding_thenItSaysSo() {
    assertThrows(IllegalStateException.class, () -> UNBOUND.encode(TestCells.corpus().get(0), 1e-15));
  }

  @Test
  void givenStepsAndEpochsBoth_whenConfigured_thenRejected() {
    assertThrows(IllegalArgumentException.class, () -> new CnnCodec().configure(CodecOptions.parse("steps=3,epochs=2")));
  }
}
