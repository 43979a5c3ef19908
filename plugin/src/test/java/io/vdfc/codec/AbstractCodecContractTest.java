package io.vdfc.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vdfc.testing.TestCells;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VelocityMesh;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link VdfCodec} meets (one subclass per codec): registered under its name and id; round trips
 * within the bound (exact for lossless codecs) on a corpus of awkward cells; deterministic output; malformed payloads
 * (truncations, bit flips, random bytes) fail only with {@link CorruptRecordException} or decode to values of the
 * right length, never another exception.
 */
public abstract class AbstractCodecContractTest {
  protected abstract VdfCodec codec();

  /** Absolute bounds to test lossy codecs at, relative to the cells' peak of about 1e-12..1e-13. */
  protected double[] tolerances() {
    return new double[] {1e-14, 1e-16};
  }

  protected List<CellVdf> corpus() {
    return TestCells.corpus();
  }

  @Test
  void isRegisteredUnderItsNameAndId() throws Exception {
    VdfCodec c = codec();
    assertEquals(c.getClass(), CodecRegistry.get().byName(c.name()).getClass());
    assertEquals(c.getClass(), CodecRegistry.get().byId(c.id()).getClass());
  }

  @Test
  void roundTripsWithinTheBound() throws Exception {
    VdfCodec c = codec();
    for (CellVdf cell : corpus()) {
      for (double tol : c.lossless() ? new double[] {1} : tolerances()) {
        byte[] payload = c.encode(cell, tol);
        ByteBuffer buf = ByteBuffer.wrap(payload);
        float[] back = c.decode(buf, cell.mesh(), cell.blockIds(), c.version());
        assertEquals(0, buf.remaining(), "payload consumed exactly");
        assertEquals(cell.values().length, back.length);
        if (c.lossless()) {
          for (int i = 0; i < back.length; i++) {
            assertEquals(Float.floatToRawIntBits(cell.values()[i]), Float.floatToRawIntBits(back[i]),
                "cell " + cell.cellId() + " value " + i);
          }
        } else {
          for (int i = 0; i < back.length; i++) {
            double err = Math.abs((double) back[i] - cell.values()[i]);
            if (err > tol) {
              fail(c.name() + " cell " + cell.cellId() + " value " + i + ": error " + err + " > " + tol);
            }
          }
        }
      }
    }
  }

  /**
   * A mesh of 8x8x8 blocks (Vlasiator's WID 8): the codec either codes it within the bound or refuses it at encode with
   * an {@link IllegalArgumentException} naming itself and the block width, and {@link VdfCodec#meshProblem} says which
   * beforehand. mlp and mlpff used to encode such a cell and
   * then refuse their own payload at decode ("cannot decode its own output").
   */
  @Test
  void blocksOfWidth8AreCodedWithinTheBoundOrRefusedByName() throws Exception {
    VdfCodec c = codec();
    VelocityMesh wide = new VelocityMesh("p", 4, 4, 4, 8, -1.0, -1.0, -1.0, 0.0625, 0.0625, 0.0625);
    float[] v = new float[2 * 512];
    for (int i = 0; i < v.length; i++) {
      double d = (i % 512 - 256) / 64.0;
      v[i] = (float) (1e-12 * Math.exp(-d * d));
    }
    CellVdf cell = new CellVdf(7, wide, new int[] {0, 5}, v);
    double tol = c.lossless() ? 1 : tolerances()[0];
    byte[] payload;
    try {
      payload = c.encode(cell, tol);
    } catch (IllegalArgumentException refused) {
      assertTrue(refused.getMessage().contains(c.name()) && refused.getMessage().contains("4x4x4")
          && refused.getMessage().contains("width 8"), refused.getMessage());
      String problem = c.meshProblem(wide);
      assertTrue(problem != null && problem.contains(c.name()) && problem.contains("width 8"),
          "meshProblem says it before any cell: " + problem);
      return;
    }
    assertEquals(null, c.meshProblem(wide), "a codec that codes the mesh has no problem with it");
    float[] back = c.decode(ByteBuffer.wrap(payload), wide, cell.blockIds(), c.version());
    assertEquals(v.length, back.length);
    for (int i = 0; i < v.length; i++) {
      double err = Math.abs((double) back[i] - v[i]);
      assertTrue(c.lossless() ? back[i] == v[i] : err <= tol, c.name() + " value " + i + ": " + v[i] + " -> " + back[i]);
    }
  }

  @Test
  void encodingIsDeterministic() {
    VdfCodec c = codec();
    for (CellVdf cell : corpus()) {
      assertArrayEquals(c.encode(cell, 1e-15), c.encode(cell, 1e-15));
    }
  }

  @Test
  void malformedPayloadsFailCleanly() {
    VdfCodec c = codec();
    CellVdf cell = corpus().get(0);
    byte[] good = c.encode(cell, 1e-15);
    Random r = new Random(42);
    for (int trial = 0; trial < 300; trial++) {
      byte[] bad;
      if (trial < 100) {
        bad = Arrays.copyOf(good, r.nextInt(good.length));
      } else if (trial < 250) {
        bad = good.clone();
        int bit = r.nextInt(bad.length * 8);
        bad[bit / 8] ^= (byte) (1 << (bit % 8));
      } else {
        bad = new byte[r.nextInt(2 * good.length + 1)];
        r.nextBytes(bad);
      }
      try {
        float[] v = c.decode(ByteBuffer.wrap(bad), cell.mesh(), cell.blockIds(), c.version());
        assertEquals(cell.values().length, v.length, "a decode that succeeds gives a full cell");
      } catch (CorruptRecordException expected) {
        assertTrue(expected.getMessage() != null && !expected.getMessage().isEmpty());
      } catch (RuntimeException e) {
        fail(c.name() + " trial " + trial + ": malformed payload gave " + e, e);
      }
    }
  }
}
