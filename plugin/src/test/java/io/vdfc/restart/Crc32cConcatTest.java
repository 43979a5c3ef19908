package io.vdfc.restart;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/** The CRC32C of a concatenation from its pieces' CRCs equals java.util.zip.CRC32C of the whole. */
class Crc32cConcatTest {
  private static int crc(byte[] b, int from, int to) {
    CRC32C c = new CRC32C();
    c.update(b, from, to - from);
    return (int) c.getValue();
  }

  @Test
  void givenRandomSplitsWhenJoinedThenEqualsTheWholeCrc() {
    Random rnd = new Random(20240611L);
    for (int trial = 0; trial < 200; trial++) {
      byte[] data = new byte[rnd.nextInt(5000)];
      rnd.nextBytes(data);
      int pieces = 1 + rnd.nextInt(6);
      int[] cuts = new int[pieces + 1];
      cuts[pieces] = data.length;
      for (int i = 1; i < pieces; i++) {
        cuts[i] = rnd.nextInt(data.length + 1);
      }
      java.util.Arrays.sort(cuts);
      int joined = crc(data, cuts[0], cuts[1]);
      for (int i = 1; i < pieces; i++) {
        joined = Crc32cConcat.concat(joined, crc(data, cuts[i], cuts[i + 1]), cuts[i + 1] - cuts[i]);
      }
      assertEquals(crc(data, 0, data.length), joined, "trial " + trial + " cuts " + java.util.Arrays.toString(cuts));
    }
  }

  @Test
  void givenEmptyPiecesWhenJoinedThenTheyChangeNothing() {
    byte[] data = "vdfc records".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    int whole = crc(data, 0, data.length);
    assertEquals(whole, Crc32cConcat.concat(whole, 0, 0));
    assertEquals(whole, Crc32cConcat.concat(0, whole, data.length));
  }

  @Test
  void givenLongZeroRunsWhenJoinedThenEqualsTheWholeCrc() {
    byte[] zeros = new byte[3 << 20];
    zeros[0] = 7;
    int head = crc(zeros, 0, 1 << 20);
    int tail = crc(zeros, 1 << 20, zeros.length);
    assertEquals(crc(zeros, 0, zeros.length), Crc32cConcat.concat(head, tail, zeros.length - (1 << 20)));
  }
}
