package io.vdfc.vlsv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.vdfc.testing.SharedData;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A footer in another writer's form (standard XML) reads the same as Vlasiator's, and copies back to canonical form. */
class VlsvFooterToleranceTest {
  @TempDir Path tmp;

  @Test
  void anyOrderUnknownTagsEmptyValuesAndDuplicates() throws Exception {
    Path orig = SharedData.file("vlsvrs/fullf.0000001.vlsv");
    byte[] good = Files.readAllBytes(orig);
    int footer = (int) ByteBuffer.wrap(good, 8, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    String xml = new String(good, footer, good.length - footer, StandardCharsets.UTF_8);
    List<String> lines = new ArrayList<>(Arrays.asList(xml.split("\n")));
    List<String> children = new ArrayList<>(lines.subList(1, lines.size() - 1));
    Collections.reverse(children); // children in another order
    List<String> edited = new ArrayList<>();
    for (String c : children) {
      // move the first attribute to the end, use tabs and a CRLF-free standard XML line
      String t = c.strip();
      int sp = t.indexOf(' ');
      int q = t.indexOf('"', t.indexOf('"', sp) + 1);
      String first = t.substring(sp + 1, q + 1);
      edited.add("\t" + t.substring(0, sp) + t.substring(q + 1, t.indexOf('>')) + " " + first + " extra=\"\""
          + t.substring(t.indexOf('>')));
    }
    // a duplicate of a PARAMETER placed after the original (so it must lose), and an unknown tag
    edited.add("<PARAMETER name=\"time\" arraysize=\"1\" vectorsize=\"1\" datatype=\"float\" datasize=\"8\">16</PARAMETER>");
    edited.add(0, "<!-- another writer --><UNKNOWN_TAG arraysize=\"0\" datasize=\"1\" datatype=\"unknown\" vectorsize=\"1\">16</UNKNOWN_TAG>");
    String newXml = "<?xml version=\"1.0\"?>\n<VLSV>\n" + String.join("\n", edited) + "\n</VLSV>";
    byte[] f = newXml.getBytes(StandardCharsets.UTF_8);
    byte[] out = Arrays.copyOf(good, footer + f.length);
    System.arraycopy(f, 0, out, footer, f.length);
    Path p = tmp.resolve("foreign.vlsv");
    Files.write(p, out);

    try (VlsvFile a = VlsvFile.open(orig); VlsvFile b = VlsvFile.open(p)) {
      assertEquals(a.arrays().size() + 2, b.arrays().size());
      assertEquals(VlsvDataType.UNKNOWN, b.find("UNKNOWN_TAG", Map.of()).orElseThrow().dataType());
      assertEquals("", b.find("BLOCKIDS", "name", "proton").orElseThrow().attr("extra").orElseThrow());
      assertEquals(a.parameter("time"), b.parameter("time"), "the first PARAMETER time wins");
      for (String pop : List.of("proton", "antiproton")) {
        assertArrayEquals(a.readFloats(a.find("BLOCKVARIABLE", "name", pop).orElseThrow()),
            b.readFloats(b.find("BLOCKVARIABLE", "name", pop).orElseThrow()));
      }
      assertFalse(VlsvCopy.deviations(b).isEmpty(), "not the canonical form");
    }
  }
}
