package io.vdfc.cli;

import java.util.List;
import java.util.Map;

/** Minimal JSON text for the figures vdfc prints with {@code --json}: maps, lists, strings, numbers, booleans. */
public final class Json {
  private Json() {
    throw new AssertionError("no instances");
  }

  public static String write(Object o) {
    StringBuilder sb = new StringBuilder();
    write(sb, o, 0);
    return sb.toString();
  }

  private static void write(StringBuilder sb, Object o, int depth) {
    if (o == null) {
      sb.append("null");
    } else if (o instanceof Map<?, ?> m) {
      sb.append('{');
      boolean first = true;
      for (var e : m.entrySet()) {
        sb.append(first ? "" : ",").append('\n').append("  ".repeat(depth + 1));
        string(sb, String.valueOf(e.getKey()));
        sb.append(": ");
        write(sb, e.getValue(), depth + 1);
        first = false;
      }
      sb.append(first ? "" : "\n" + "  ".repeat(depth)).append('}');
    } else if (o instanceof List<?> l) {
      sb.append('[');
      for (int i = 0; i < l.size(); i++) {
        sb.append(i == 0 ? "" : ",").append('\n').append("  ".repeat(depth + 1));
        write(sb, l.get(i), depth + 1);
      }
      sb.append(l.isEmpty() ? "" : "\n" + "  ".repeat(depth)).append(']');
    } else if (o instanceof Double d) {
      sb.append(Double.isFinite(d) ? Double.toString(d) : "null");
    } else if (o instanceof Float f) {
      sb.append(Float.isFinite(f) ? Float.toString(f) : "null");
    } else if (o instanceof Number || o instanceof Boolean) {
      sb.append(o);
    } else {
      string(sb, o.toString());
    }
  }

  private static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (char ch : s.toCharArray()) {
      switch (ch) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (ch < 0x20) {
            sb.append(String.format("\\u%04x", (int) ch));
          } else {
            sb.append(ch);
          }
        }
      }
    }
    sb.append('"');
  }
}
