package io.vdfc.codec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Codec-specific settings as parsed at the edge ({@code key=value,key=value}); typed getters name the bad key. */
public final class CodecOptions {
  public static final CodecOptions NONE = new CodecOptions(Map.of());

  private final Map<String, String> values;

  public CodecOptions(Map<String, String> values) {
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /** Parses {@code "mode=accuracy,log=on"}; an empty or null string gives {@link #NONE}. */
  public static CodecOptions parse(String text) {
    if (text == null || text.isBlank()) {
      return NONE;
    }
    Map<String, String> m = new LinkedHashMap<>();
    for (String part : text.split(",")) {
      int eq = part.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("codec option '" + part.trim() + "' is not of the form key=value");
      }
      String key = part.substring(0, eq).trim();
      String before = m.put(key, part.substring(eq + 1).trim());
      if (before != null) { // the last would win silently, as a config key given twice would
        throw new IllegalArgumentException("codec option '" + key + "' is given twice (" + key + "=" + before + ", "
            + part.trim() + "); give it once");
      }
    }
    return new CodecOptions(m);
  }

  public Map<String, String> asMap() {
    return values;
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }

  /** Throws naming the first key not in {@code allowed}. */
  public void requireOnly(String... allowed) {
    Set<String> ok = Set.of(allowed);
    for (String k : values.keySet()) {
      if (!ok.contains(k)) {
        throw new IllegalArgumentException(
            "unknown codec option '" + k + "'" + (allowed.length == 0 ? " (this codec takes none)" : ", allowed: " + String.join(", ", allowed)));
      }
    }
  }

  public String getString(String key, String def) {
    return values.getOrDefault(key, def);
  }

  public int getInt(String key, int def, int min, int max) {
    String s = values.get(key);
    if (s == null) {
      return def;
    }
    try {
      int v = Integer.parseInt(s);
      if (v < min || v > max) {
        throw new IllegalArgumentException("codec option " + key + "=" + s + " is outside [" + min + ", " + max + "]");
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("codec option " + key + "=" + s + " is not an integer");
    }
  }

  public double getDouble(String key, double def) {
    String s = values.get(key);
    if (s == null) {
      return def;
    }
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("codec option " + key + "=" + s + " is not a number");
    }
  }

  public boolean getBoolean(String key, boolean def) {
    String s = values.get(key);
    if (s == null) {
      return def;
    }
    return switch (s.toLowerCase()) {
      case "on", "true", "yes", "1" -> true;
      case "off", "false", "no", "0" -> false;
      default -> throw new IllegalArgumentException("codec option " + key + "=" + s + " is not on/off");
    };
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    values.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ",").append(k).append('=').append(v));
    return sb.toString();
  }
}
