package io.vdfc.vlsv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vdfc.testing.SharedData;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** Damaged copies of fullf: every one must fail on open with a one-line message naming the file and the byte. */
class VlsvCorruptInputTest {
  private static final Pattern MESSAGE = Pattern.compile("([^:\\n]+): byte (\\d+): ([^\\n]+)");
  private static byte[] good;
  private static int footer;

  @TempDir Path tmp;

  @BeforeAll
  static void load() throws Exception {
    good = Files.readAllBytes(SharedData.file("vlsvrs/fullf.0000001.vlsv"));
    footer = (int) ByteBuffer.wrap(good, 8, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
  }

  /** Writes the damaged bytes, opens them, checks the message form; returns the exception. */
  private VlsvFormatException rejected(String name, byte[] bytes) throws Exception {
    Path p = tmp.resolve(name);
    Files.write(p, bytes);
    VlsvFormatException e = assertThrows(VlsvFormatException.class, () -> VlsvFile.open(p).close(), name);
    Matcher m = MESSAGE.matcher(e.getMessage());
    assertTrue(m.matches(), "one line 'file: byte N: reason': " + e.getMessage());
    assertEquals(name, m.group(1));
    assertEquals(e.offset(), Long.parseLong(m.group(2)));
    assertTrue(e.offset() >= 0 && e.offset() <= Math.max(bytes.length, 16), e.getMessage());
    assertEquals(p, e.file());
    return e;
  }

  private static byte[] withFooter(UnaryOperator<String> edit) {
    String xml = new String(good, footer, good.length - footer, StandardCharsets.UTF_8);
    String changed = edit.apply(xml);
    assertFalse(changed.equals(xml), "the edit must change the footer");
    byte[] f = changed.getBytes(StandardCharsets.UTF_8);
    byte[] out = Arrays.copyOf(good, footer + f.length);
    System.arraycopy(f, 0, out, footer, f.length);
    return out;
  }

  @TestFactory
  Stream<DynamicTest> truncatedAnywhereIsRejected() {
    // 0 / inside the header / inside the data / at and inside the footer; (a cut of only the final "\n" still parses)
    return LongStream.of(0, 8, 15, 16, 1000, 400_000, footer - 1, footer, footer + 1, footer + 4000, good.length - 2)
        .mapToObj(n -> DynamicTest.dynamicTest("truncated at " + n, () -> {
          VlsvFormatException e = rejected("cut" + n + ".vlsv", Arrays.copyOf(good, (int) n));
          if (n < footer) {
            assertTrue(e.reason().contains("truncated") || e.reason().contains("shorter"), e.getMessage());
          }
        }));
  }

  @Test
  void garbageFooterOffsets() throws Exception {
    for (long bad : new long[] {9_999_999L, 3, 0, -1, good.length + 1L}) {
      byte[] b = good.clone();
      ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(8, bad);
      VlsvFormatException e = rejected("offset.vlsv", b);
      assertEquals(8, e.offset(), e.getMessage());
    }
    byte[] b = good.clone();
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(8, 1000); // points into binary data
    String reason = rejected("offset.vlsv", b).reason();
    assertTrue(reason.contains("XML") || reason.contains("UTF-8"), reason);
    assertEquals("offset.vlsv: byte 8: footer offset 9999999 is beyond the end of the file (749829 bytes); truncated?",
        rejected("offset.vlsv", patchOffset(9_999_999L)).getMessage());
  }

  private static byte[] patchOffset(long v) {
    byte[] b = good.clone();
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(8, v);
    return b;
  }

  @Test
  void damagedXml() throws Exception {
    assertTrue(rejected("x1.vlsv", withFooter(s -> s.replace("</VLSV>", "</VLSX>"))).reason().contains("XML"));
    assertTrue(rejected("x2.vlsv", withFooter(s -> s.replaceFirst("</BLOCKIDS>", ""))).reason().contains("XML"));
    assertTrue(rejected("x3.vlsv", withFooter(s -> s.replaceFirst("name=\"proton\"", "name=proton"))).reason()
        .contains("XML"));
    assertTrue(rejected("x4.vlsv", withFooter(s -> s.replace("<VLSV>", "<VLSW>").replace("</VLSV>", "</VLSW>")))
        .reason().contains("<VLSV>"));
    VlsvFormatException e = rejected("x5.vlsv", withFooter(s -> s.replaceFirst(" datasize=\"4\"", "")));
    assertTrue(e.reason().contains("missing attribute datasize"), e.getMessage());
    assertTrue(e.offset() >= footer, "points into the footer");
    assertTrue(rejected("x6.vlsv", withFooter(s -> s.replaceFirst("datasize=\"4\"", "datasize=\"3\""))).reason()
        .contains("datasize 3"));
    assertTrue(rejected("x7.vlsv", withFooter(s -> s.replaceFirst("arraysize=\"1390\"", "arraysize=\"-1\""))).reason()
        .contains("negative"));
    assertTrue(rejected("x8.vlsv", withFooter(s -> s.replaceFirst(">11389<", ">eleven<"))).reason()
        .contains("not a byte offset"));
    assertTrue(rejected("x9.vlsv", withFooter(s -> s.replaceFirst(">11389<", ">3<"))).reason()
        .contains("outside the data section"));
    // well-formed XML that VlsvWriter could not copy back: rejected on read, so no rewrite fails half-way
    assertTrue(rejected("x10.vlsv", withFooter(s -> s.replaceFirst("name=\"proton\"", "name=\"pro&#127;ton\"")))
        .reason().contains("attribute name"));
    assertTrue(rejected("x11.vlsv", withFooter(s -> s.replaceFirst("name=\"proton\"", "name=\"pro&amp;ton\"")))
        .reason().contains("'&'"));
  }

  @Test
  void arrayBeyondTheDataSection() throws Exception {
    VlsvFormatException e = rejected("big.vlsv",
        withFooter(s -> s.replaceFirst("arraysize=\"1390\" datasize=\"4\" datatype=\"float\"",
            "arraysize=\"99999999\" datasize=\"4\" datatype=\"float\"")));
    assertEquals(16_949, e.offset(), "the proton BLOCKVARIABLE's offset: " + e.getMessage());
    assertTrue(e.reason().contains("BLOCKVARIABLE") && e.reason().contains("beyond"), e.getMessage());
    // an overflowing size must not wrap around
    VlsvFormatException o = rejected("overflow.vlsv", withFooter(s -> s.replaceFirst("arraysize=\"1390\" datasize=\"4\" datatype=\"float\"",
        "arraysize=\"9000000000000000000\" datasize=\"4\" datatype=\"float\"")));
    assertTrue(o.reason().contains("overflows"), o.getMessage());
  }

  /** Byte flips all over the footer and header of a small sample: open either fails cleanly or every array reads. */
  @Test
  void byteFlipSweepGivesOnlyFormatErrors() throws Exception {
    byte[] small = Files.readAllBytes(SharedData.file("vlsv_data/1d_single.vlsv"));
    int foot = (int) ByteBuffer.wrap(small, 8, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    java.util.Random random = new java.util.Random(20261124);
    Path p = tmp.resolve("flip.vlsv");
    int rejected = 0;
    for (int trial = 0; trial < 400; trial++) {
      byte[] b = small.clone();
      int at = trial < 16 ? trial : foot + random.nextInt(small.length - foot);
      b[at] = (byte) (trial % 3 == 0 ? "\"<>/= 0-9".charAt(random.nextInt(9)) : random.nextInt(256));
      Files.write(p, b);
      try (VlsvFile f = VlsvFile.open(p)) {
        for (VlsvArray a : f.arrays()) {
          f.read(a);
        }
      } catch (VlsvFormatException e) {
        rejected++;
        assertTrue(MESSAGE.matcher(e.getMessage()).matches(), e.getMessage());
      }
    }
    assertTrue(rejected > 100, "most flips are caught: " + rejected);
  }

  @Test
  void bigEndianWriter() throws Exception {
    byte[] b = good.clone();
    b[0] = 1;
    VlsvFormatException e = rejected("be.vlsv", b);
    assertEquals(0, e.offset());
    assertTrue(e.reason().contains("big-endian"), e.getMessage());
    b[0] = 7;
    assertTrue(rejected("seven.vlsv", b).reason().contains("not a VLSV"));
  }
}
