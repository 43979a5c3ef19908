package io.vdfc.vlsv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VlsvWriterTest {
  @TempDir Path tmp;

  private static ByteBuffer longs(long... v) {
    ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (long x : v) {
      b.putLong(x);
    }
    return b.flip();
  }

  @Test
  void footerHasTheWritersExactFormAndReadsBack() throws Exception {
    Path p = tmp.resolve("w.vlsv");
    Map<String, String> attrs = new LinkedHashMap<>();
    attrs.put("name", "proton"); // given out of order: the footer sorts attributes by name
    attrs.put("mesh", "SpatialGrid");
    try (VlsvWriter w = VlsvWriter.create(p)) {
      w.writeArray("VARIABLE", Map.of("name", "x", "unit", "", "unitLaTeX", "$\\mathrm{m}^{-3}$"),
          VlsvDataType.FLOAT, 8, 1, 0, ByteBuffer.allocate(0));
      w.writeArray("CELLSWITHBLOCKS", attrs, VlsvDataType.UINT, 8, 1, 3, longs(5, 10, 1));
      VlsvArray reserved = w.reserveArray("BLOCKIDS", attrs, VlsvDataType.UINT, 4, 1, 4);
      w.writeArray("CELLSWITHBLOCKS", Map.of("name", "b"), VlsvDataType.UINT, 8, 1, 1, longs(7));
      // two "ranks" fill the reserved array in parts, out of order
      ByteBuffer second = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(30).putInt(40).flip();
      ByteBuffer first = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(10).putInt(20).flip();
      w.writeAt(reserved.offset() + 8, second);
      w.writeAt(reserved.offset(), first);
      assertEquals(16 + 24 + 16 + 8, w.position());
      w.finish();
    }
    byte[] bytes = Files.readAllBytes(p);
    String footer = new String(bytes, 64, bytes.length - 64, StandardCharsets.UTF_8);
    assertEquals("<VLSV>\n"
        + "   <BLOCKIDS arraysize=\"4\" datasize=\"4\" datatype=\"uint\" mesh=\"SpatialGrid\" name=\"proton\""
        + " vectorsize=\"1\">40</BLOCKIDS>\n"
        + "   <CELLSWITHBLOCKS arraysize=\"3\" datasize=\"8\" datatype=\"uint\" mesh=\"SpatialGrid\" name=\"proton\""
        + " vectorsize=\"1\">16</CELLSWITHBLOCKS>\n"
        + "   <CELLSWITHBLOCKS arraysize=\"1\" datasize=\"8\" datatype=\"uint\" name=\"b\" vectorsize=\"1\">56"
        + "</CELLSWITHBLOCKS>\n"
        + "   <VARIABLE arraysize=\"0\" datasize=\"8\" datatype=\"float\" name=\"x\" unit=\"\""
        + " unitLaTeX=\"$\\mathrm{m}^{-3}$\" vectorsize=\"1\">16</VARIABLE>\n"
        + "</VLSV>\n", footer);
    assertEquals(64, ByteBuffer.wrap(bytes, 8, 8).order(ByteOrder.LITTLE_ENDIAN).getLong());
    try (VlsvFile f = VlsvFile.open(p)) {
      assertArrayEquals(new long[] {10, 20, 30, 40}, f.readLongs(f.find("BLOCKIDS", "name", "proton").orElseThrow()));
      assertArrayEquals(new long[] {5, 10, 1}, f.readLongs(f.find("CELLSWITHBLOCKS", Map.of()).orElseThrow()));
      assertEquals("$\\mathrm{m}^{-3}$", f.find("VARIABLE", "name", "x").orElseThrow().attr("unitLaTeX").orElseThrow());
      assertEquals(0, f.find("VARIABLE", "name", "x").orElseThrow().byteSize());
    }
  }

  @Test
  void unfinishedFileIsRejectedByTheReader() throws Exception {
    Path p = tmp.resolve("unfinished.vlsv");
    try (VlsvWriter w = VlsvWriter.create(p)) {
      w.writeArray("PARAMETER", Map.of("name", "time"), VlsvDataType.FLOAT, 8, 1, 1,
          ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(0, 1.5));
    }
    VlsvFormatException e = assertThrows(VlsvFormatException.class, () -> VlsvFile.open(p));
    assertEquals(8, e.offset());
    assertTrue(e.getMessage().startsWith("unfinished.vlsv: byte 8: "), e.getMessage());
  }

  @Test
  void valuesOutsideMuxmlsSubsetAreRefused() throws Exception {
    try (VlsvWriter w = VlsvWriter.create(tmp.resolve("x.vlsv"))) {
      for (String bad : new String[] {"a\"b", "a&amp;b", "a<b", "a>b", "line\nbreak", "x".repeat(1024)}) {
        assertThrows(IllegalArgumentException.class, () ->
            w.reserveArray("VARIABLE", Map.of("name", bad), VlsvDataType.FLOAT, 8, 1, 0), bad);
      }
      for (String badTag : new String[] {"", "A B", "A/", "A\tB", "<A", "T".repeat(1024)}) {
        assertThrows(IllegalArgumentException.class, () ->
            w.reserveArray(badTag, Map.of(), VlsvDataType.FLOAT, 8, 1, 0), badTag);
      }
      assertThrows(IllegalArgumentException.class, () ->
          w.reserveArray("VARIABLE", Map.of("arraysize", "3"), VlsvDataType.FLOAT, 8, 1, 0));
      assertThrows(IllegalArgumentException.class, () ->
          w.reserveArray("VARIABLE", Map.of(), VlsvDataType.FLOAT, 3, 1, 0));
      assertThrows(IllegalArgumentException.class, () ->
          w.writeArray("VARIABLE", Map.of(), VlsvDataType.FLOAT, 8, 1, 2, ByteBuffer.allocate(8)));
      assertThrows(IllegalArgumentException.class, () -> w.writeAt(w.position(), ByteBuffer.allocate(1)));
      assertEquals(16, w.position(), "refused arrays allocate nothing");
    }
  }
}
