package io.vdfc.codec.vq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vdfc.codec.AbstractCodecContractTest;
import io.vdfc.codec.CodecOptions;
import io.vdfc.codec.CorruptRecordException;
import io.vdfc.codec.RealCellsCheck;
import io.vdfc.codec.SharedModelCodec;
import io.vdfc.codec.VdfCodec;
import io.vdfc.codec.nn.Quantiser;
import io.vdfc.testing.TestCells;
import io.vdfc.vdf.CellVdf;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class VqCodecTest extends AbstractCodecContractTest {
  /** The shipped model, bound as a file with {@code codebook=builtin} binds it. */
  private static final SharedModelCodec BUILTIN = new VqCodec();
  private static final VdfCodec SHIPPED = bind(BUILTIN, BUILTIN.trainModel(List.of(), 1e-16));
  /** A tiny VQ-VAE trained on the synthetic corpus ({@code codebook=file}). */
  private static final String SMALL = "codebook=file,codes=16,latent=4,layers=1,width=16,epochs=2,warmup=1,refine=1,progress=off";

  private static VdfCodec bind(SharedModelCodec c, byte[] model) {
    try {
      return c.withModel(ByteBuffer.wrap(model));
    } catch (CorruptRecordException e) {
      throw new AssertionError(e);
    }
  }

  private static SharedModelCodec small(String more) {
    return (SharedModelCodec) new VqCodec().configure(CodecOptions.parse(SMALL + more));
  }

  @Override
  protected VdfCodec codec() {
    return SHIPPED;
  }

  @Test
  void everyRealRestartCellStaysWithinTheBound() throws Exception {
    RealCellsCheck.everyRestartCellWithinBound(SHIPPED);
  }

  @Test
  void realRestartCellsConserveMomentsThroughThePipeline() {
    RealCellsCheck.realRestartWithinBoundAndConserved(SHIPPED, registered -> SHIPPED);
  }

  @Test
  void theShippedModelIsTheVersionedResourceItsJavadocNames() throws Exception {
    byte[] all = VqCodec.builtinModel();
    assertEquals(VqCodec.BUILTIN_SHA256, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(all)),
        "the shipped model changed: retrain it with the command in VqTrain and bump its version");
    assertEquals("vqvae-v" + VqCodec.BUILTIN_VERSION + ".bin", VqCodec.BUILTIN);
    VqModel m = VqModel.read(ByteBuffer.wrap(all));
    assertTrue(m.hasEncoder());
    assertEquals(1024, m.codes);
    // a file stores the decoding part only, and the encoder is found again for it
    byte[] stored = BUILTIN.trainModel(List.of(), 1e-16);
    assertEquals(m.decodeLength + 1, stored.length);
    assertFalse(VqModel.read(ByteBuffer.wrap(stored)).hasEncoder());
  }

  @Test
  void realCodesPayForThemselvesOnTheRestart() throws Exception {
    // the shipped model codes some blocks of the largest real cell, and the vq payload is no larger than zfpb's
    CellVdf big = RealCellsCheck.restartCells().get(3);
    double tol = RealCellsCheck.restartMinValue();
    byte[] vq = SHIPPED.encode(big, tol);
    byte[] zfpb = new io.vdfc.codec.zfpb.ZfpbCodec().encode(big, tol);
    int used = 0;
    for (int b = 0; b < big.blockCount(); b++) {
      used += (vq[1 + b / 8] >>> (b % 8)) & 1;
    }
    assertTrue(used > 0, "no block of the largest restart cell used a code");
    assertTrue(vq.length <= zfpb.length, "vq " + vq.length + " B vs zfpb " + zfpb.length + " B");
  }

  @Test
  void damagedRealPayloadsAreRejected() {
    CellVdf cell = RealCellsCheck.restartCells().get(3);
    byte[] good = SHIPPED.encode(cell, RealCellsCheck.restartMinValue());
    for (int len = 0; len < good.length; len += Math.max(1, good.length / 50)) {
      byte[] cut = Arrays.copyOf(good, len);
      assertThrows(CorruptRecordException.class,
          () -> SHIPPED.decode(ByteBuffer.wrap(cut), cell.mesh(), cell.blockIds(), VqCodec.VERSION));
    }
    byte[] flags = good.clone();
    flags[0] = 7;
    assertThrows(CorruptRecordException.class,
        () -> SHIPPED.decode(ByteBuffer.wrap(flags), cell.mesh(), cell.blockIds(), VqCodec.VERSION));
    assertThrows(CorruptRecordException.class,
        () -> SHIPPED.decode(ByteBuffer.wrap(good), cell.mesh(), cell.blockIds(), VqCodec.VERSION + 1));
  }

  @Test
  void trainingIsDeterministicWhateverTheThreads() {
    byte[] one = small(",threads=1").trainModel(TestCells.corpus(), 1e-16);
    assertArrayEquals(one, small(",threads=1").trainModel(TestCells.corpus(), 1e-16));
    assertArrayEquals(one, small(",threads=3").trainModel(TestCells.corpus(), 1e-16));
  }

  @Test
  void aFileTrainedModelRoundTripsWithinTheBound() throws Exception {
    SharedModelCodec c = small("");
    RealCellsCheck.syntheticWithinBound(bind(c, c.trainModel(TestCells.corpus(), 1e-16)));
  }

  @Test
  void damagedModelsAreRejected() {
    byte[] model = BUILTIN.trainModel(List.of(), 1e-16);
    for (int len = 0; len < model.length; len += 997) {
      byte[] cut = Arrays.copyOf(model, len);
      assertThrows(CorruptRecordException.class, () -> BUILTIN.withModel(ByteBuffer.wrap(cut)));
    }
    byte[] version = model.clone();
    version[4] = 9;
    assertThrows(CorruptRecordException.class, () -> BUILTIN.withModel(ByteBuffer.wrap(version)));
  }

  @Test
  void encodingWithoutAModelSaysSo() {
    assertThrows(IllegalStateException.class, () -> BUILTIN.encode(TestCells.corpus().get(0), 1e-15));
  }

  /** A format 1 file (k-means codebook "VQCB", a code byte and scale per block) still decodes. */
  @Test
  void formatOnePayloadsStillDecode() throws Exception {
    ByteArrayOutputStream model = new ByteArrayOutputStream();
    model.write(new byte[] {'V', 'Q', 'C', 'B', 1, 2, 0, 12}, 0, 8);
    float[] shape = new float[64];
    Arrays.fill(shape, 0.5f);
    shape[0] = 1f;
    Quantiser.write(model, shape.clone(), 12);
    Quantiser.write(model, new float[64], 12);
    VdfCodec legacy = BUILTIN.withModel(ByteBuffer.wrap(model.toByteArray()));
    CellVdf cell = TestCells.corpus().get(0);
    int nb = cell.blockCount();
    ByteArrayOutputStream p = new ByteArrayOutputStream();
    p.write(0); // no residual
    float scale = 3f;
    int bf = Float.floatToRawIntBits(scale) >>> 16;
    for (int b = 0; b < nb; b++) {
      if (b % 2 == 0) {
        p.write(0);
        p.write(bf & 0xff);
        p.write(bf >>> 8);
      } else {
        p.write(255);
      }
    }
    float[] back = legacy.decode(ByteBuffer.wrap(p.toByteArray()), cell.mesh(), cell.blockIds(), 1);
    float[] table = new float[64];
    Quantiser.read(ByteBuffer.wrap(model.toByteArray(), 8, model.size() - 8), table, 12, "test");
    for (int b = 0; b < nb; b++) {
      for (int l = 0; l < 64; l++) {
        assertEquals(b % 2 == 0 ? scale * table[l] : 0f, back[64 * b + l]);
      }
    }
    // a format 1 model cannot write, and a format 2 payload does not decode with it
    assertThrows(IllegalStateException.class, () -> legacy.encode(cell, 1e-15));
    byte[] v2 = SHIPPED.encode(cell, 1e-15);
    assertThrows(CorruptRecordException.class,
        () -> legacy.decode(ByteBuffer.wrap(v2), cell.mesh(), cell.blockIds(), VqCodec.VERSION));
    assertNull(VqModel.read(ByteBuffer.wrap(model.toByteArray())).vae);
  }
}
