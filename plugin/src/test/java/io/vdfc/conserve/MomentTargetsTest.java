package io.vdfc.conserve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vdfc.codec.CorruptRecordException;
import io.vdfc.metrics.Moments;
import io.vdfc.vdf.CellVdf;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MomentTargetsTest {
  private final CellVdf beam = TestCells.maxwellianBeam();

  @Test
  void roundTripsEveryFormExactlyAndAdvancesThePosition() throws Exception {
    for (CorrectionForm form : CorrectionForm.values()) {
      MomentTargets t = MomentTargets.of(beam, form, 3e-16);
      byte[] bytes = t.toBytes();
      assertEquals(form.capped() ? 61 : 57, bytes.length);
      assertEquals(bytes.length, t.encodedLength());
      ByteBuffer in = ByteBuffer.allocate(bytes.length + 5).order(ByteOrder.BIG_ENDIAN);
      in.put((byte) 9).put(bytes).put(new byte[4]).position(1);
      MomentTargets back = MomentTargets.read(in);
      assertEquals(1 + bytes.length, in.position());
      assertEquals(t.form(), back.form());
      assertEquals(t.cap(), back.cap());
      assertEquals(t.moments().n(), back.moments().n());
      assertEquals(t.moments().vx(), back.moments().vx());
      assertArrayEquals(t.moments().pressure(), back.moments().pressure());
    }
  }

  @Test
  void storedTargetsStayWithinAMillionthOfTheOriginalMoments() {
    Moments exact = Moments.of(beam);
    MomentTargets t = MomentTargets.of(beam, CorrectionForm.MULTIPLICATIVE);
    double[] err = MomentConservation.residuals(exact, t.moments());
    assertTrue(err[0] == 0 && err[1] == 0 && err[2] > 0 && err[2] < 1e-7, Arrays.toString(err));
  }

  @Test
  void pressureOutsideFloatRangeIsStoredAsDoubles() throws Exception {
    float[] v = beam.values().clone();
    for (int i = 0; i < v.length; i++) {
      v[i] *= 1e-25f;
    }
    MomentTargets t = MomentTargets.of(beam.withValues(v), CorrectionForm.EXPONENTIAL);
    byte[] bytes = t.toBytes();
    assertEquals(MomentTargets.DOUBLE_PRESSURE_LENGTH, bytes.length);
    assertArrayEquals(Moments.of(beam.withValues(v)).pressure(), MomentTargets.read(ByteBuffer.wrap(bytes)).moments().pressure());
  }

  @Test
  void malformedBytesAreCorruptRecords() {
    byte[] good = MomentTargets.of(beam, CorrectionForm.CAPPED, 1e-16).toBytes();
    assertCorrupt(new byte[0], "empty");
    for (int len = 1; len < good.length; len++) {
      assertCorrupt(Arrays.copyOf(good, len), "bytes left");
    }
    byte[] version = good.clone();
    version[0] = (byte) (2 << 4 | 1);
    assertCorrupt(version, "layout version 2");
    byte[] form = good.clone();
    form[0] = (byte) (1 << 4 | 7);
    assertCorrupt(form, "unknown correction form 7");
    byte[] nan = good.clone();
    ByteBuffer.wrap(nan).order(ByteOrder.LITTLE_ENDIAN).putDouble(9, Double.NaN);
    assertCorrupt(nan, "field 1 is NaN");
    byte[] cap = good.clone();
    ByteBuffer.wrap(cap).order(ByteOrder.LITTLE_ENDIAN).putFloat(57, -1f);
    assertCorrupt(cap, "weight cap -1.0");
  }

  private static void assertCorrupt(byte[] bytes, String expected) {
    var e = assertThrows(CorruptRecordException.class, () -> MomentTargets.read(ByteBuffer.wrap(bytes)));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
