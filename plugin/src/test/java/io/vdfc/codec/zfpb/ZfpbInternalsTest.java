package io.vdfc.codec.zfpb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vdfc.codec.CorruptRecordException;
import io.vdfc.codec.zfpb.ZfpbSettings.Mode;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The package-private pieces: bit I/O, transform, plane coder, escapes. */
class ZfpbInternalsTest {
  private final Random rnd = new Random(2024);

  @Test
  void givenRandomWrites_whenReadBack_thenSameBitsAndExactEnd() throws Exception {
    for (int trial = 0; trial < 200; trial++) {
      BitWriter w = new BitWriter(1);
      int n = rnd.nextInt(300);
      long[] vals = new long[n];
      int[] widths = new int[n];
      for (int i = 0; i < n; i++) {
        widths[i] = rnd.nextInt(65);
        vals[i] = rnd.nextLong();
        if (widths[i] == 1 && rnd.nextBoolean()) {
          w.writeBit((int) vals[i]);
        } else {
          w.writeBits(vals[i], widths[i]);
        }
      }
      long bits = w.bitCount();
      byte[] bytes = w.toByteArray();
      assertEquals((bits + 7) / 8, bytes.length);
      BitReader r = new BitReader(bytes, 0, bytes.length);
      for (int i = 0; i < n; i++) {
        long mask = widths[i] == 64 ? -1L : (1L << widths[i]) - 1;
        assertEquals(vals[i] & mask, r.readBits(widths[i]), "value " + i);
      }
      assertTrue(r.atPaddedEnd());
      assertThrows(CorruptRecordException.class, () -> r.readBits(8));
    }
  }

  @Test
  void givenStream_whenAppendedOrSnapshotted_thenSameBits() throws Exception {
    BitWriter a = new BitWriter(8);
    for (int i = 0; i < 50; i++) {
      a.writeBits(rnd.nextLong(), rnd.nextInt(65));
    }
    for (long take : new long[] {0, 1, 63, 64, 65, 200, a.bitCount()}) {
      BitWriter b = new BitWriter(8);
      b.writeBits(5, 3);
      b.append(a, take);
      BitReader ra = new BitReader(a.toByteArray(), 0, a.toByteArray().length);
      byte[] bb = b.toByteArray();
      BitReader rb = new BitReader(bb, 0, bb.length);
      assertEquals(5, rb.readBits(3));
      for (long i = 0; i < take; i++) {
        assertEquals(ra.readBit(), rb.readBit(), "bit " + i + " of " + take);
      }
    }
    int len = a.snapshot();
    assertArrayEquals(a.toByteArray(), Arrays.copyOf(a.array(), len));
  }

  @Test
  void givenZeroRuns_whenSkipped_thenCountsAndConsumesTheOne() throws Exception {
    BitWriter w = new BitWriter(8);
    w.writeBits(0, 40);
    w.writeBit(1);
    w.writeZeros(100);
    w.writeBit(1);
    w.writeBits(0, 7);
    byte[] b = w.toByteArray();
    BitReader r = new BitReader(b, 0, b.length);
    assertEquals(40, r.skipZerosThroughOne(63));
    assertEquals(63, r.skipZerosThroughOne(63));
    assertEquals(37, r.skipZerosThroughOne(63));
    assertEquals(5, r.skipZerosThroughOne(5));
    assertEquals(0, r.readBits(2));
    assertThrows(CorruptRecordException.class, () -> r.skipZerosThroughOne(10));
  }

  @Test
  void givenIntegers_whenTransformedBackAndForth_thenWithinAFewUnits() {
    int[] p = new int[64];
    for (int trial = 0; trial < 500; trial++) {
      int[] orig = new int[64];
      for (int i = 0; i < 64; i++) {
        orig[i] = rnd.nextInt(1 << 30) * (rnd.nextBoolean() ? 1 : -1) >> rnd.nextInt(30);
      }
      System.arraycopy(orig, 0, p, 0, 64);
      BlockTransform.forward(p);
      BlockTransform.inverse(p);
      for (int i = 0; i < 64; i++) {
        // the forward shifts drop low bits: the round trip is off in the lowest few bits only
        assertTrue(Math.abs(p[i] - orig[i]) <= 64, "value " + i + ": " + orig[i] + " came back as " + p[i]);
      }
    }
    int[] order = BlockTransform.ORDER.clone();
    assertEquals(0, order[0]);
    Arrays.sort(order);
    for (int i = 0; i < 64; i++) {
      assertEquals(i, order[i], "ORDER must be a permutation");
    }
    for (int x : new int[] {0, 1, -1, 12345, -12345, Integer.MAX_VALUE >> 1, Integer.MIN_VALUE >> 1}) {
      assertEquals(x, BlockTransform.fromNegabinary(BlockTransform.toNegabinary(x)));
    }
  }

  @Test
  void givenCoefficients_whenPlaneCoded_thenDecodedAreTheKeptPlanes() throws Exception {
    long[] planes = new long[32];
    int[] u = new int[64];
    int[] back = new int[64];
    for (int trial = 0; trial < 300; trial++) {
      for (int i = 0; i < 64; i++) {
        u[i] = rnd.nextInt() >>> rnd.nextInt(32);
      }
      int prec = 1 + rnd.nextInt(32);
      BitWriter w = new BitWriter(8);
      BitPlaneCoder.encode(w, u, prec, planes);
      byte[] b = w.toByteArray();
      BitReader r = new BitReader(b, 0, b.length);
      BitPlaneCoder.decode(r, back, prec, planes);
      assertTrue(r.atPaddedEnd());
      int mask = BitPlaneCoder.keptMask(prec);
      for (int i = 0; i < 64; i++) {
        assertEquals(u[i] & mask, back[i], "coefficient " + i + " at precision " + prec);
      }
      int budget = 1 + rnd.nextInt(1500);
      BitWriter wb = new BitWriter(8);
      int used = BitPlaneCoder.encodeBudget(wb, u, prec, budget);
      assertEquals(used, wb.bitCount());
      byte[] bb = wb.toByteArray();
      BitReader rb = new BitReader(bb, 0, bb.length);
      assertEquals(used, BitPlaneCoder.decodeBudget(rb, back, prec, budget));
    }
  }

  @Test
  void givenToleranceBelowFloatResolution_whenEncoded_thenBlocksEscapeAndBoundHolds() throws Exception {
    float[] v = new float[4 * 64];
    for (int i = 0; i < v.length; i++) {
      v[i] = i % 64 == 0 ? 1f : (float) (rnd.nextDouble() * 1e-6);
    }
    // the block's integers step by 2^-29 (1.9e-9) and lose the small values' low bits: only raw storage keeps 1e-12
    double tol = 1e-12;
    ZfpbEncoder enc = new ZfpbEncoder(ZfpbSettings.DEFAULT, tol, 4);
    byte[] p = enc.encode(v, 4);
    assertEquals(4, enc.rawBlocks());
    float[] back = new ZfpbDecoder().decode(p, 0, p.length, 4, ZfpbFormat.VERSION);
    assertArrayEquals(v, back);
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (1 + rnd.nextGaussian() * 1e-3);
    }

    // a tolerance between the two: more planes than the mode gives (escape with p), not raw
    ZfpbEncoder enc2 = new ZfpbEncoder(new ZfpbSettings(Mode.PRECISION, 4, 0, false, true, false, false), 1e-5, 4);
    byte[] p2 = enc2.encode(v, 4);
    assertEquals(4, enc2.escapes());
    assertEquals(0, enc2.rawBlocks());
    ZfpbCodecTest.assertBound(v, new ZfpbCodec().decodeBlocks(ByteBuffer.wrap(p2), 4), 1e-5, "escaped");
  }
}
