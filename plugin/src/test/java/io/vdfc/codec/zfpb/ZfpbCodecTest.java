package io.vdfc.codec.zfpb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vdfc.codec.CodecOptions;
import io.vdfc.codec.CodecRegistry;
import io.vdfc.codec.CorruptRecordException;
import io.vdfc.codec.VdfCodec;
import io.vdfc.testing.RestartProtonBlocks;
import io.vdfc.testing.StudyVdf;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VelocityMesh;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ZfpbCodecTest {
  private static final VelocityMesh MESH = new VelocityMesh("proton", 20, 20, 20, 4, -1, -1, -1, 0.1, 0.1, 0.1);
  private static final double[] TOLERANCES = {1e-13, 1e-14, 1e-15, 1e-16};
  private static final String[] MODES = {
    "", "mode=precision,precision=6", "mode=precision,precision=20", "mode=rate,rate=2", "mode=rate,rate=12",
    "trim=on", "mode=precision,precision=9,trim=on", "trim=off", "trim=on,round=off", "trim=on,entropy=on",
    "trim=off,small=code,entropy=on,round=on", "trim=on,small=code", "mode=precision,precision=9,entropy=on,round=on"
  };

  @Test
  void givenRegistry_whenLookedUp_thenFindsZfpbByNameAndId() throws Exception {
    VdfCodec c = CodecRegistry.get().byName("zfpb");
    assertEquals(4, c.id());
    assertEquals(2, c.version());
    assertSame(c.getClass(), CodecRegistry.get().byId(4).getClass());
  }

  @Test
  void givenSyntheticBlocks_whenRoundTripped_thenBoundHoldsInEveryMode() throws Exception {
    CellVdf cell = synthetic(new Random(7));
    for (String m : MODES) {
      VdfCodec codec = new ZfpbCodec().configure(CodecOptions.parse(m));
      for (double tol : new double[] {1e-13, 1e-16, 1e-20, 1e-30, 1e-40, 1e-3}) {
        float[] back = roundTrip(codec, cell, tol);
        assertBound(cell.values(), back, tol, codec + " tol " + tol);
      }
    }
  }

  @Test
  void givenStudyVdf_whenRoundTripped_thenBoundHoldsOnEveryValue() throws Exception {
    CellVdf cell = StudyVdf.cell();
    VdfCodec codec = new ZfpbCodec();
    long previous = 0;
    for (double tol : TOLERANCES) {
      byte[] payload = codec.encode(cell, tol);
      float[] back = decode(codec, payload, cell);
      assertBound(cell.values(), back, tol, "study VDF tol " + tol);
      assertTrue(payload.length > previous, "tighter tolerance must cost more bytes");
      assertTrue(payload.length < cell.referenceBytes() / 4, "zfpb should compress the study VDF 4x at " + tol);
      previous = payload.length;
    }
  }

  @Test
  void givenRealRestart_whenEveryCellRoundTripped_thenBoundHoldsOnEveryValue() throws Exception {
    float[][] cells = RestartProtonBlocks.cells();
    VelocityMesh mesh = new VelocityMesh("proton", 67, 67, 67, 4, -8.04e6, -8.04e6, -8.04e6, 6e4, 6e4, 6e4);
    for (String o : new String[] {"trim=off", "trim=on,round=off", "", "entropy=on", "trim=off,small=code,entropy=on"}) {
      VdfCodec codec = new ZfpbCodec().configure(CodecOptions.parse(o));
      for (double tol : new double[] {1e-16}) {
        long bytes = 0;
        long ref = 0;
        for (int c = 0; c < cells.length; c++) {
          CellVdf cell = new CellVdf(c, mesh, ids(cells[c].length / 64), cells[c]);
          byte[] p = codec.encode(cell, tol);
          assertBound(cell.values(), decode(codec, p, cell), tol, codec + " restart cell " + c + " tol " + tol);
          bytes += p.length;
          ref += cell.referenceBytes();
        }
        assertTrue(bytes * 5 < ref, codec + " must compress the real restart 5x at " + tol + ": " + bytes + " of " + ref);
      }
    }
  }

  @Test
  void givenTrim_whenStudyVdfEncoded_thenBoundHoldsAndPayloadShrinks() throws Exception {
    CellVdf cell = StudyVdf.cell();
    VdfCodec plain = new ZfpbCodec().configure(CodecOptions.parse("trim=off"));
    VdfCodec trim = plain.configure(CodecOptions.parse("trim=on"));
    for (double tol : TOLERANCES) {
      byte[] p = trim.encode(cell, tol);
      assertBound(cell.values(), decode(trim, p, cell), tol, "trim tol " + tol);
      assertTrue(p.length < plain.encode(cell, tol).length, "trim must pay at " + tol);
    }
  }

  @Test
  void givenEntropyCoding_whenStudyVdfEncoded_thenSameValuesInFewerBytes() throws Exception {
    CellVdf cell = StudyVdf.cell();
    for (String o : new String[] {"trim=off", "trim=on", "trim=off,small=code,round=on"}) {
      VdfCodec plain = new ZfpbCodec().configure(CodecOptions.parse(o));
      VdfCodec coded = new ZfpbCodec().configure(CodecOptions.parse(o + ",entropy=on"));
      for (double tol : TOLERANCES) {
        byte[] p = plain.encode(cell, tol);
        byte[] c = coded.encode(cell, tol);
        assertTrue(Arrays.equals(decode(plain, p, cell), decode(coded, c, cell)), o + ": entropy coding is lossless");
        assertTrue(c.length < 0.95 * p.length, o + " tol " + tol + ": entropy coding must save 5 %: " + c.length
            + " of " + p.length);
      }
    }
  }

  @Test
  void givenRounding_whenEncoded_thenSmallerErrorsAndTrimPays() throws Exception {
    CellVdf study = StudyVdf.cell();
    VdfCodec coded = new ZfpbCodec().configure(CodecOptions.parse("trim=off,small=code"));
    double truncated = squaredError(study.values(), roundTrip(coded, study, 1e-13));
    double rounded = squaredError(study.values(), roundTrip(coded.configure(CodecOptions.parse("trim=off,small=code,"
        + "round=on")), study, 1e-13));
    assertTrue(rounded < 0.9 * truncated, "rounding must shrink the squared error of the same planes: " + rounded
        + " vs " + truncated);
    float[][] cells = RestartProtonBlocks.cells();
    VelocityMesh mesh = new VelocityMesh("proton", 67, 67, 67, 4, -8.04e6, -8.04e6, -8.04e6, 6e4, 6e4, 6e4);
    VdfCodec trimTruncating = new ZfpbCodec().configure(CodecOptions.parse("trim=on,round=off"));
    VdfCodec trimRounding = new ZfpbCodec();
    long bytes0 = 0;
    long bytes1 = 0;
    for (int c = 0; c < cells.length; c += 3) {
      CellVdf cell = new CellVdf(c, mesh, ids(cells[c].length / 64), cells[c]);
      bytes0 += trimTruncating.encode(cell, 1e-16).length;
      bytes1 += trimRounding.encode(cell, 1e-16).length;
    }
    assertTrue(bytes1 < bytes0, "with rounding, trim must drop more planes: " + bytes1 + " vs " + bytes0 + " bytes");
  }

  private static double squaredError(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      double d = (double) a[i] - b[i];
      s += d * d;
    }
    return s;
  }

  @Test
  void givenAllZeroAndBelowToleranceBlocks_whenEncoded_thenOneBitPerBlock() {
    int n = 100;
    float[] v = new float[n * 64];
    for (int i = 0; i < v.length; i += 3) {
      v[i] = (i % 2 == 0 ? 1 : -1) * 0.9e-16f;
    }
    CellVdf cell = new CellVdf(1, MESH, ids(n), v);
    byte[] p = new ZfpbCodec().encode(cell, 1e-16);
    assertEquals(3 + (n + 7) / 8, p.length);
  }

  @Test
  void givenNonFiniteValue_whenEncoded_thenNamesTheBlock() {
    for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
      float[] v = new float[5 * 64];
      v[3 * 64 + 17] = bad;
      CellVdf cell = new CellVdf(1, MESH, ids(5), v);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ZfpbCodec().encode(cell, 1e-16));
      assertTrue(e.getMessage().contains("block 3"), e.getMessage());
    }
  }

  @Test
  void givenBadOptions_whenConfigured_thenNamesTheKey() {
    ZfpbCodec c = new ZfpbCodec();
    assertThrows(IllegalArgumentException.class, () -> c.configure(CodecOptions.parse("mode=precision")));
    assertThrows(IllegalArgumentException.class, () -> c.configure(CodecOptions.parse("mode=fast")));
    assertThrows(IllegalArgumentException.class, () -> c.configure(CodecOptions.parse("precision=3")));
    assertThrows(IllegalArgumentException.class, () -> c.configure(CodecOptions.parse("mode=rate,rate=0.01")));
    assertThrows(IllegalArgumentException.class, () -> c.configure(CodecOptions.parse("mode=rate,rate=4,trim=on")));
    assertThrows(IllegalArgumentException.class, () -> c.configure(CodecOptions.parse("trim=maybe")));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.configure(CodecOptions.parse("level=3")));
    assertTrue(e.getMessage().contains("level"));
    assertSame(c, c.configure(CodecOptions.NONE));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "mode=precision,precision=12", "mode=rate,rate=6", "trim=off", "entropy=on",
      "trim=off,small=code,entropy=on"})
  void givenTruncatedOrExtendedPayload_whenDecoded_thenCorruptRecord(String mode) {
    VdfCodec codec = new ZfpbCodec().configure(CodecOptions.parse(mode));
    CellVdf cell = synthetic(new Random(3));
    byte[] p = codec.encode(cell, 1e-15);
    // every short prefix (header, first blocks), then a stride through the rest and the last few bytes
    for (int len = 0; len < p.length; len += len < 64 || len > p.length - 16 ? 1 : 7) {
      byte[] cut = Arrays.copyOf(p, len);
      assertThrows(CorruptRecordException.class, () -> decode(codec, cut, cell), "prefix of " + len + " bytes");
    }
    byte[] longer = Arrays.copyOf(p, p.length + 1);
    assertThrows(CorruptRecordException.class, () -> decode(codec, longer, cell));
  }

  @Test
  void givenRandomBytesOrBitFlips_whenDecoded_thenOnlyCorruptRecordOrValues() throws Exception {
    VdfCodec codec = new ZfpbCodec();
    CellVdf cell = synthetic(new Random(5));
    byte[] good = codec.encode(cell, 1e-16);
    Random rnd = new Random(11);
    int corrupt = 0;
    for (int t = 0; t < 3000; t++) {
      byte[] p;
      if (t % 2 == 0) {
        p = new byte[rnd.nextInt(2 * good.length)];
        rnd.nextBytes(p);
        if (p.length > 0 && t % 4 == 0) {
          p[0] = (byte) rnd.nextInt(3); // a valid mode byte, garbage after it
        }
      } else {
        p = good.clone();
        p[rnd.nextInt(p.length)] ^= (byte) (1 << rnd.nextInt(8));
      }
      try {
        float[] v = decode(codec, p, cell);
        assertEquals(cell.values().length, v.length);
      } catch (CorruptRecordException expected) {
        corrupt++;
      } catch (RuntimeException e) {
        fail("payload " + t + " gave " + e, e);
      }
    }
    assertTrue(corrupt > 1000, "most garbage must be detected, got " + corrupt);
  }

  @Test
  void givenPayloadInDirectBufferWithOffset_whenDecoded_thenConsumedExactly() throws Exception {
    VdfCodec codec = new ZfpbCodec();
    CellVdf cell = synthetic(new Random(9));
    byte[] p = codec.encode(cell, 1e-16);
    ByteBuffer direct = ByteBuffer.allocateDirect(p.length + 10);
    direct.position(5);
    direct.put(p);
    direct.position(5).limit(5 + p.length);
    float[] back = codec.decode(direct, cell.mesh(), cell.blockIds(), codec.version());
    assertEquals(5 + p.length, direct.position());
    assertBound(cell.values(), back, 1e-16, "direct");
    ByteBuffer wrapped = ByteBuffer.wrap(Arrays.copyOf(p, p.length + 4), 0, p.length).slice();
    codec.decode(wrapped, cell.mesh(), cell.blockIds(), codec.version());
    assertEquals(p.length, wrapped.position());
  }

  @Test
  void givenUnknownVersionOrMode_whenDecoded_thenCorruptRecord() {
    VdfCodec codec = new ZfpbCodec();
    CellVdf cell = synthetic(new Random(1));
    byte[] p = codec.encode(cell, 1e-16);
    assertThrows(CorruptRecordException.class, () -> codec.decode(ByteBuffer.wrap(p), cell.mesh(), cell.blockIds(), 3));
    byte[] q = p.clone();
    q[0] = 7;
    assertThrows(CorruptRecordException.class, () -> decode(codec, q, cell));
    // version 1 payloads have neither entropy coding nor rounding
    VdfCodec entropy = codec.configure(CodecOptions.parse("entropy=on"));
    byte[] e = entropy.encode(cell, 1e-16);
    assertThrows(CorruptRecordException.class, () -> entropy.decode(ByteBuffer.wrap(e), cell.mesh(), cell.blockIds(), 1));
    byte[] r = codec.encode(cell, 1e-16); // the default rounds
    assertThrows(CorruptRecordException.class, () -> codec.decode(ByteBuffer.wrap(r), cell.mesh(), cell.blockIds(), 1));
  }

  static float[] roundTrip(VdfCodec codec, CellVdf cell, double tol) throws CorruptRecordException {
    return decode(codec, codec.encode(cell, tol), cell);
  }

  static float[] decode(VdfCodec codec, byte[] payload, CellVdf cell) throws CorruptRecordException {
    ByteBuffer bb = ByteBuffer.wrap(payload);
    float[] back = codec.decode(bb, cell.mesh(), cell.blockIds(), codec.version());
    assertEquals(payload.length, bb.position(), "payload must be consumed exactly");
    return back;
  }

  static void assertBound(float[] orig, float[] back, double tol, String what) {
    assertEquals(orig.length, back.length, what);
    for (int i = 0; i < orig.length; i++) {
      double err = Math.abs((double) back[i] - orig[i]);
      if (!(err <= tol)) {
        fail(what + ": value " + i + " (block " + i / 64 + ") " + orig[i] + " decoded as " + back[i] + ", error " + err);
      }
    }
  }

  private static int[] ids(int n) {
    int[] ids = new int[n];
    for (int i = 0; i < n; i++) {
      ids[i] = i; // a codec never looks at the IDs
    }
    return ids;
  }

  /** Blocks of every kind Vlasiator and zfp users report trouble with. */
  static CellVdf synthetic(Random rnd) {
    int kinds = 12;
    int perKind = 6;
    int n = kinds * perKind;
    float[] v = new float[n * 64];
    for (int b = 0; b < n; b++) {
      int kind = b % kinds;
      double amp = Math.pow(10, -10 - rnd.nextInt(8));
      for (int l = 0; l < 64; l++) {
        int x = l & 3;
        int y = (l >> 2) & 3;
        int z = l >> 4;
        double r2 = (x - 1.5 + rnd.nextGaussian() * 0.01) * (x - 1.5) + (y - 1.2) * (y - 1.2) + (z - 2) * (z - 2);
        double val = switch (kind) {
          case 0 -> amp * Math.exp(-r2 / 3); // smooth
          case 1 -> amp * rnd.nextDouble(); // noise
          case 2 -> 0; // all zero
          case 3 -> Float.MIN_VALUE * (1 + rnd.nextInt(1000)); // subnormal
          case 4 -> rnd.nextDouble() < 0.5 ? -1e-19 * rnd.nextDouble() : 1e-17 * rnd.nextDouble(); // tiny, negative
          case 5 -> l == 21 ? amp : 0; // spike
          case 6 -> amp * Math.exp(-r2 / 3) * (l % 2 == 0 ? 1 : -1); // alternating signs
          case 7 -> Math.pow(10, -45 + rnd.nextInt(40)) * rnd.nextDouble(); // 40 decades in one block
          case 8 -> 1e-31 * rnd.nextDouble(); // below 2^-98 (zfp#209)
          case 9 -> rnd.nextDouble() * 3e38; // huge
          case 10 -> l == 63 ? -amp : amp * 1e-9; // one big negative in a flat block
          default -> amp * (1 + 1e-7 * rnd.nextGaussian()); // nearly constant
        };
        v[b * 64 + l] = (float) val;
      }
    }
    return new CellVdf(42, MESH, ids(n), v);
  }
}
