package io.vdfc.codec.entropy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vdfc.codec.CorruptRecordException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IntCoderTest {
  private static int[] values(Random r, int n) {
    int[] v = new int[n];
    for (int i = 0; i < n; i++) {
      v[i] = switch (i % 5) {
        case 0 -> 0;
        case 1 -> (int) Math.round(r.nextGaussian() * 3);
        case 2 -> r.nextInt();
        case 3 -> r.nextBoolean() ? Integer.MAX_VALUE : -Integer.MAX_VALUE;
        default -> (int) Math.round(r.nextGaussian() * 1000);
      };
    }
    return v;
  }

  private static byte[] encode(int[] v, int contexts) {
    RangeEncoder rc = new RangeEncoder();
    IntCoder ic = new IntCoder(contexts);
    for (int i = 0; i < v.length; i++) {
      ic.encode(rc, i % contexts, v[i]);
    }
    return rc.finish();
  }

  private static int[] decode(byte[] b, int n, int contexts) throws CorruptRecordException {
    RangeDecoder rd = new RangeDecoder(ByteBuffer.wrap(b));
    IntCoder ic = new IntCoder(contexts);
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = ic.decode(rd, i % contexts);
    }
    rd.finish("test");
    return out;
  }

  @Test
  void givenMixedIntegers_whenCoded_thenDecodedExactly() throws Exception {
    Random r = new Random(3);
    for (int contexts : new int[] {1, 7}) {
      int[] v = values(r, 20_000);
      assertArrayEquals(v, decode(encode(v, contexts), v.length, contexts));
    }
  }

  @Test
  void givenMostlyZeros_whenCoded_thenFarBelowOneBitEach() {
    int[] v = new int[100_000];
    v[500] = 3;
    assertTrue(encode(v, 1).length < 200, "adaptive zero flags cost little");
  }

  @Test
  void givenTruncatedStream_whenDecoded_thenCorruptRecord() {
    int[] v = values(new Random(4), 2000);
    byte[] b = encode(v, 3);
    assertThrows(CorruptRecordException.class, () -> decode(Arrays.copyOf(b, b.length / 2), v.length, 3));
    assertThrows(CorruptRecordException.class, () -> decode(new byte[3], 1, 1));
  }
}
