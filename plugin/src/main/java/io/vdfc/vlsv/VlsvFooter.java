package io.vdfc.vlsv;

import static io.vdfc.vlsv.VlsvFormatException.verify;

import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The XML footer: parsing with a standard (StAX) parser, and formatting in exactly the form of fmihpc/vlsv's writer.
 *
 * <p>Written form: {@code <VLSV>\n}, then one line per array {@code    <TAG a="v" ...>offset</TAG>\n} (3 spaces), children
 * stably sorted by tag name (a {@code std::multimap}), attributes sorted by name (a {@code std::map}), then
 * {@code </VLSV>\n}. No declaration. The reader accepts any order, unknown tags and attributes, empty values and
 * duplicate entries.
 */
final class VlsvFooter {
  /** muxml copies every token into a fixed 1024-byte buffer with no bounds check. */
  static final int MAX_TOKEN_BYTES = 1023;

  private VlsvFooter() {
    throw new AssertionError("no instances");
  }

  /** Parses a footer; {@code footerOffset} only places error messages. Entries are validated against {@code dataEnd}. */
  static List<VlsvArray> parse(Path file, long footerOffset, byte[] xml, long dataEnd) throws VlsvFormatException {
    XMLInputFactory factory = XMLInputFactory.newFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    factory.setProperty(XMLInputFactory.IS_COALESCING, true);
    factory.setXMLReporter((message, type, info, location) -> { }); // errors surface as exceptions, never on stderr
    List<VlsvArray> out = new ArrayList<>();
    XMLStreamReader r = null;
    try {
      r = factory.createXMLStreamReader(new StringReader(decode(file, footerOffset, xml)));
      while (r.hasNext() && r.next() != XMLStreamConstants.START_ELEMENT) {
        // skip prolog and whitespace
      }
      verify(r.isStartElement(), file, footerOffset, "footer has no root element");
      verify("VLSV".equals(r.getLocalName()), file, footerOffset,
          "footer root is <" + r.getLocalName() + ">, expected <VLSV>");
      int depth = 1;
      Lines lines = new Lines(xml);
      while (depth > 0) {
        int ev = r.next();
        if (ev == XMLStreamConstants.START_ELEMENT) {
          long at = footerOffset + lines.start(r.getLocation());
          Map<String, String> attrs = new LinkedHashMap<>();
          for (int i = 0; i < r.getAttributeCount(); i++) {
            attrs.putIfAbsent(r.getAttributeLocalName(i), r.getAttributeValue(i));
          }
          String tag = r.getLocalName();
          String text = elementText(r);
          out.add(entry(file, at, out.size(), tag, attrs, text, footerOffset, dataEnd));
        } else if (ev == XMLStreamConstants.END_ELEMENT) {
          depth--;
        }
      }
    } catch (XMLStreamException e) {
      long at = footerOffset + position(xml, e.getLocation());
      throw new VlsvFormatException(file, at, "footer XML does not parse: " + lastLine(e.getMessage()), e);
    } catch (RuntimeException e) {
      throw new VlsvFormatException(file, footerOffset, "footer XML does not parse: " + e, e);
    } finally {
      if (r != null) {
        try {
          r.close();
        } catch (XMLStreamException ignored) {
          // nothing held
        }
      }
    }
    return out;
  }

  /** The footer as text; the writer emits ASCII, so invalid UTF-8 is damage, reported at its byte. */
  private static String decode(Path file, long footerOffset, byte[] xml) throws VlsvFormatException {
    CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(xml);
    CharBuffer out = CharBuffer.allocate(xml.length);
    var result = dec.decode(in, out, true);
    if (result.isError()) {
      throw new VlsvFormatException(file, footerOffset + in.position(), "footer byte is not UTF-8 text; damaged?");
    }
    return out.flip().toString();
  }

  /** Text of the current element (to its end tag), skipping any nested elements. */
  private static String elementText(XMLStreamReader r) throws XMLStreamException {
    StringBuilder sb = new StringBuilder();
    int depth = 1;
    while (depth > 0) {
      int ev = r.next();
      if (ev == XMLStreamConstants.START_ELEMENT) {
        depth++;
      } else if (ev == XMLStreamConstants.END_ELEMENT) {
        depth--;
      } else if (depth == 1 && (ev == XMLStreamConstants.CHARACTERS || ev == XMLStreamConstants.CDATA)) {
        sb.append(r.getText());
      }
    }
    return sb.toString().trim();
  }

  private static VlsvArray entry(Path file, long at, int index, String tag, Map<String, String> attrs, String text,
      long footerOffset, long dataEnd) throws VlsvFormatException {
    // what the writer refuses is refused here too, so any file we read we can also rewrite
    String bad = checkEntry(tag, attrs);
    if (bad != null) {
      throw bad(file, at, index, tag, attrs, bad + "; damaged?");
    }
    long arraySize = number(file, at, index, tag, attrs, VlsvArray.ARRAYSIZE);
    long vectorSize = number(file, at, index, tag, attrs, VlsvArray.VECTORSIZE);
    long dataSize = number(file, at, index, tag, attrs, VlsvArray.DATASIZE);
    if (!attrs.containsKey(VlsvArray.DATATYPE)) {
      throw bad(file, at, index, tag, attrs, "missing attribute datatype");
    }
    if (arraySize < 0 || vectorSize < 0) {
      throw bad(file, at, index, tag, attrs, "negative size (arraysize " + arraySize + ", vectorsize " + vectorSize + ")");
    }
    if (vectorSize > Integer.MAX_VALUE) {
      throw bad(file, at, index, tag, attrs, "vectorsize " + vectorSize + " is too large");
    }
    if (dataSize != 1 && dataSize != 2 && dataSize != 4 && dataSize != 8) {
      throw bad(file, at, index, tag, attrs, "datasize " + dataSize + " is not 1, 2, 4 or 8");
    }
    long offset = parseLong(text);
    if (offset == Long.MIN_VALUE) {
      throw bad(file, at, index, tag, attrs, "element text \"" + clip(text) + "\" is not a byte offset");
    }
    VlsvArray a = new VlsvArray(index, tag, attrs, offset, arraySize, (int) vectorSize,
        VlsvDataType.fromFooter(attrs.get(VlsvArray.DATATYPE)), (int) dataSize);
    if (offset < 16 || offset > footerOffset) {
      throw bad(file, at, index, tag, attrs,
          "data offset " + offset + " is outside the data section [16, " + footerOffset + "]");
    }
    long bytes = a.byteSize();
    if (bytes == Long.MAX_VALUE || offset + bytes > dataEnd) {
      throw bad(file, offset, index, tag, attrs,
          (bytes == Long.MAX_VALUE ? "its size overflows" : bytes + " bytes end at byte " + (offset + bytes))
              + ", beyond the end of the data section at byte " + dataEnd + "; truncated?");
    }
    return a;
  }

  /**
   * The error for a bad footer entry, naming it. Built only when an entry fails: the checks run for every entry of
   * every file opened, and building the message each time cost more than the checks.
   */
  private static VlsvFormatException bad(Path file, long at, int index, String tag, Map<String, String> attrs,
      String reason) {
    String what = "footer entry " + index + " <" + tag
        + (attrs.containsKey("name") ? " name=\"" + attrs.get("name") + "\"" : "") + ">";
    return new VlsvFormatException(file, at, what + ": " + reason);
  }

  private static long number(Path file, long at, int index, String tag, Map<String, String> attrs, String key)
      throws VlsvFormatException {
    String v = attrs.get(key);
    if (v == null) {
      throw bad(file, at, index, tag, attrs, "missing attribute " + key);
    }
    long n = parseLong(v);
    if (n == Long.MIN_VALUE) {
      throw bad(file, at, index, tag, attrs, "attribute " + key + "=\"" + clip(v) + "\" is not an integer");
    }
    return n;
  }

  /** Decimal integer, or Long.MIN_VALUE if unparsable. */
  private static long parseLong(String s) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return Long.MIN_VALUE;
    }
  }

  /** Byte index in {@code xml} of the start of the location's line (the parser's character offsets are unreliable). */
  private static int lineStart(byte[] xml, Location loc) {
    return new Lines(xml).start(loc);
  }

  /**
   * Byte index of the start of a footer line, for locations in increasing order (the elements as parsed): each call
   * goes on from where the last one stopped, so placing every element costs one pass over the footer, not one each.
   */
  private static final class Lines {
    private final byte[] xml;
    private int line = 1;
    private int at;

    Lines(byte[] xml) {
      this.xml = xml;
    }

    int start(Location loc) {
      if (loc == null || loc.getLineNumber() < 1) {
        return 0;
      }
      if (loc.getLineNumber() < line) {
        line = 1;
        at = 0;
      }
      while (line < loc.getLineNumber() && at < xml.length) {
        if (xml[at++] == '\n') {
          line++;
        }
      }
      return at;
    }
  }

  /** Byte index in {@code xml} of a location's line and column, clamped to the footer. */
  private static int position(byte[] xml, Location loc) {
    if (loc == null) {
      return 0;
    }
    long p = (long) lineStart(xml, loc) + Math.max(0, loc.getColumnNumber() - 1);
    return (int) Math.min(p, xml.length);
  }

  private static String clip(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }

  private static String lastLine(String s) {
    if (s == null) {
      return "";
    }
    String t = s.strip();
    int nl = t.lastIndexOf('\n');
    t = (nl >= 0 ? t.substring(nl + 1) : t).strip();
    return t.startsWith("Message: ") ? t.substring("Message: ".length()) : t;
  }

  /** The footer text in the writer's exact form; entries in insertion order, stably sorted here by tag. */
  static String format(List<VlsvArray> entries) {
    List<VlsvArray> sorted = footerOrder(entries);
    StringBuilder sb = new StringBuilder(64 + 160 * sorted.size()).append("<VLSV>\n");
    for (VlsvArray a : sorted) {
      appendEntry(sb, a);
    }
    return sb.append("</VLSV>\n").toString();
  }

  /**
   * One footer line, attributes sorted by name (std::map order). A method of its own, called once per entry, so that the
   * JIT compiles it early: a write formats its footer once, and its loop alone would run interpreted for a long time.
   */
  private static void appendEntry(StringBuilder sb, VlsvArray a) {
    sb.append("   <").append(a.tag());
    String[] keys = a.attributes().keySet().toArray(new String[0]);
    Arrays.sort(keys);
    for (String k : keys) {
      sb.append(' ').append(k).append("=\"").append(a.attributes().get(k)).append('"');
    }
    sb.append('>').append(a.offset()).append("</").append(a.tag()).append(">\n");
  }

  private static final Comparator<VlsvArray> BY_TAG = Comparator.comparing(VlsvArray::tag);

  /** Entries in the order {@link #format} lists them: stably sorted by tag. */
  static List<VlsvArray> footerOrder(List<VlsvArray> entries) {
    List<VlsvArray> sorted = new ArrayList<>(entries);
    sorted.sort(BY_TAG); // List.sort is stable, like std::multimap insertion
    return sorted;
  }

  /**
   * Checks a footer entry's tag and attributes against what muxml can read back (the writer's and the reader's check);
   * null if fine, else the reason, naming the tag or attribute.
   */
  static String checkEntry(String tag, Map<String, String> attrs) {
    String bad = checkName(tag);
    if (bad != null) {
      return "tag \"" + tag + "\": " + bad;
    }
    for (Map.Entry<String, String> e : attrs.entrySet()) {
      bad = checkName(e.getKey());
      if (bad == null) {
        bad = checkValue(e.getValue());
      }
      if (bad != null) {
        return "<" + tag + "> attribute " + e.getKey() + ": " + bad;
      }
    }
    return null;
  }

  /** Checks a tag or attribute name against what muxml can read back; null if fine, else the reason. */
  static String checkName(String s) {
    if (s == null || s.isEmpty()) {
      return "empty name";
    }
    if (tooLong(s)) {
      return "name is " + bytes(s) + " bytes, muxml's limit is " + MAX_TOKEN_BYTES;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'
          || (i > 0 && ((c >= '0' && c <= '9') || c == '-' || c == '.'));
      if (!ok) {
        return "character '" + c + "' is not allowed in a footer name";
      }
    }
    return null;
  }

  /** Checks an attribute value against muxml's subset (no entities, no quotes, no control characters, short). */
  static String checkValue(String v) {
    if (v == null) {
      return "null value";
    }
    if (tooLong(v)) {
      return "value is " + bytes(v) + " bytes, muxml's limit is " + MAX_TOKEN_BYTES;
    }
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c == '"' || c == '&' || c == '<' || c == '>' || c < 0x20 || c == 0x7f) {
        return "character " + (c < 0x20 ? String.format("0x%02x", (int) c) : "'" + c + "'")
            + " cannot be written in a VLSV footer value (muxml has no escapes)";
      }
    }
    return null;
  }

  /** More UTF-8 bytes than muxml's limit; encodes only a string that could be (at most 3 bytes per char). */
  private static boolean tooLong(String s) {
    return s.length() > MAX_TOKEN_BYTES || 3L * s.length() > MAX_TOKEN_BYTES && bytes(s) > MAX_TOKEN_BYTES;
  }

  private static int bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
