package io.vdfc.config;

import io.vdfc.codec.CodecOptions;
import io.vdfc.codec.Tolerance;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.regex.Pattern;

/**
 * The {@code [compression]} section of a Vlasiator configuration, typed. Keys (all optional):
 *
 * <pre>
 * enabled       on/off (true/false, yes/no, 1/0); default on when the section has any key
 * codec         a codec name or 'auto' (default auto); not checked against the registry here
 * tolerance     pointwise bound, {@link Tolerance#parse} syntax: 1e-17, 0.5*minValue, 1e-4*peak (default minValue)
 * conserve      on/off, restore n, V, P after decoding (default on)
 * codec_options key=value,key=value for the codec ({@link CodecOptions#parse})
 * candidates    comma list of codec names that 'auto' may choose from (only with codec = auto)
 * max_err_n     per-cell budget on err_n, a fraction in (0, 1]
 * max_err_V     per-cell budget on err_V, in thermal speeds, positive
 * max_err_P     per-cell budget on err_P (Frobenius), a fraction in (0, 1]
 * target_ratio  a global compression ratio to aim for, at least 1
 * restart_in    restart file to read, relative to the configuration file's directory
 * restart_out   restart file to write, same; must differ from restart_in
 * jvm_heap      heap of the embedded JVM for the C++ adapter: digits with k, m or g (256m, 2g)
 * </pre>
 *
 * Unknown keys, repeated keys, bad values and conflicting settings are {@link ConfigException}s naming the file, line,
 * key and what is allowed. Keys of other sections are Vlasiator's and are not looked at.
 *
 * @param restartIn resolved path, null if not given
 * @param restartOut resolved path, null if not given
 * @param jvmHeap null if not given
 * @since 0.1
 */
public record CompressionConfig(
    boolean enabled, String codec, Tolerance tolerance, boolean conserve, CodecOptions codecOptions,
    List<String> candidates, OptionalDouble maxErrN, OptionalDouble maxErrV, OptionalDouble maxErrP,
    OptionalDouble targetRatio, Path restartIn, Path restartOut, String jvmHeap) {

  public static final String SECTION = "compression";
  public static final String AUTO = "auto";
  /** The keys of the section, in documentation order. */
  public static final List<String> KEYS = List.of(
      "enabled", "codec", "tolerance", "conserve", "codec_options", "candidates",
      "max_err_n", "max_err_V", "max_err_P", "target_ratio", "restart_in", "restart_out", "jvm_heap");

  private static final Pattern CODEC_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
  private static final Pattern HEAP = Pattern.compile("[1-9][0-9]*[kKmMgG]?");
  private static final double MAX_HEAP_BYTES = 16.0 * (1L << 40);

  /** Bytes of a heap size of {@link #HEAP}'s form, as a double (no overflow for absurd digit strings). */
  private static double heapBytes(String heap) {
    char unit = Character.toLowerCase(heap.charAt(heap.length() - 1));
    double scale = unit == 'k' ? 1 << 10 : unit == 'm' ? 1 << 20 : unit == 'g' ? 1 << 30 : 1;
    return Double.parseDouble(Character.isDigit(unit) ? heap : heap.substring(0, heap.length() - 1)) * scale;
  }

  public CompressionConfig {
    Objects.requireNonNull(codec, "codec");
    Objects.requireNonNull(tolerance, "tolerance");
    Objects.requireNonNull(codecOptions, "codecOptions");
    candidates = List.copyOf(candidates);
  }

  /** What an absent section means: compression off, every other setting at its default. */
  public static CompressionConfig disabled() {
    return new CompressionConfig(false, AUTO, Tolerance.parse("minValue"), true, CodecOptions.NONE, List.of(),
        OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(), null, null, null);
  }

  /** Reads the {@code [compression]} section of {@code cfg}. */
  public static CompressionConfig from(VlasiatorConfig cfg) {
    Reader r = new Reader(cfg);
    boolean any = false;
    for (String key : cfg.keys()) {
      if (key.startsWith(SECTION + ".")) {
        any = true;
        String name = key.substring(SECTION.length() + 1);
        int line = cfg.entries(key).get(0).line();
        if (!KEYS.contains(name)) {
          throw r.error(line, "key '" + name + "' is unknown; allowed: " + String.join(", ", KEYS));
        }
        List<VlasiatorConfig.Entry> all = cfg.entries(key);
        if (all.size() > 1) {
          throw r.error(all.get(1).line(), "key '" + name + "' is given again (first on line " + line + "); give it once");
        }
      }
    }
    if (!any && !cfg.hasSection(SECTION)) {
      return disabled();
    }
    // a section without keys is the defaults below, compression on: it said 'enabled = false', at line 0
    boolean enabled = r.bool("enabled", true);
    String codec = r.has("codec") ? r.codecName("codec", r.value("codec")) : AUTO;
    Tolerance tolerance = Tolerance.parse("minValue");
    if (r.has("tolerance")) {
      try {
        tolerance = Tolerance.parse(r.value("tolerance"));
      } catch (IllegalArgumentException e) {
        throw r.error("tolerance", "key 'tolerance': value '" + r.value("tolerance") + "' is not a tolerance: " + e.getMessage());
      }
    }
    boolean conserve = r.bool("conserve", true);
    CodecOptions options = CodecOptions.NONE;
    if (r.has("codec_options")) {
      try {
        options = CodecOptions.parse(r.value("codec_options"));
      } catch (IllegalArgumentException e) {
        throw r.error("codec_options", "key 'codec_options': value '" + r.value("codec_options") + "': " + e.getMessage());
      }
    }
    List<String> candidates = new ArrayList<>();
    if (r.has("candidates")) {
      for (String c : r.value("candidates").split(",", -1)) {
        candidates.add(r.codecName("candidates", c.strip()));
      }
      if (!codec.equals(AUTO)) {
        throw r.error("candidates", "key 'candidates' needs codec = auto, but codec = " + codec
            + " (line " + r.line("codec") + "); remove one of them");
      }
      if (candidates.contains(AUTO)) {
        throw r.error("candidates", "key 'candidates' lists 'auto'; list codec names only");
      }
    }
    for (int i = 0; i < candidates.size(); i++) {
      if (candidates.indexOf(candidates.get(i)) != i) {
        throw r.error("candidates", "key 'candidates' lists " + candidates.get(i) + " twice; list each codec once");
      }
    }
    OptionalDouble errN = r.fraction("max_err_n");
    OptionalDouble errV = r.positive("max_err_V", "a number of thermal speeds (e.g. 1e-3)"); // not a fraction
    OptionalDouble errP = r.fraction("max_err_P");
    OptionalDouble ratio = OptionalDouble.empty();
    if (r.has("target_ratio")) {
      double v = r.number("target_ratio");
      if (!(v >= 1) || Double.isInfinite(v)) {
        throw r.error("target_ratio", "key 'target_ratio' = " + r.value("target_ratio") + " must be a finite number >= 1");
      }
      ratio = OptionalDouble.of(v);
    }
    Path in = r.path("restart_in");
    Path out = r.path("restart_out");
    if (in != null && in.equals(out)) {
      throw r.error("restart_out", "key 'restart_out' names the same file as restart_in (line " + r.line("restart_in")
          + "); the input restart must not be overwritten");
    }
    String heap = null;
    if (r.has("jvm_heap")) {
      heap = r.value("jvm_heap");
      if (!HEAP.matcher(heap).matches()) {
        throw r.error("jvm_heap", "key 'jvm_heap' = '" + heap + "' is not a heap size; allowed: digits with k, m or g (e.g. 256m, 2g)");
      }
      if (heapBytes(heap) > MAX_HEAP_BYTES) { // 99999999999999999999g passed, to fail at the JVM's start
        throw r.error("jvm_heap", "key 'jvm_heap' = '" + heap + "' is more than 16 TiB; give the heap the JVM should "
            + "have, e.g. 2g");
      }
    }
    return new CompressionConfig(enabled, codec, tolerance, conserve, options, candidates, errN, errV, errP, ratio, in, out, heap);
  }

  /** Typed access to the section's values, with errors that name file, line and key. */
  private static final class Reader {
    private final VlasiatorConfig cfg;

    Reader(VlasiatorConfig cfg) {
      this.cfg = cfg;
    }

    boolean has(String name) {
      return cfg.has(SECTION + "." + name);
    }

    String value(String name) {
      return cfg.get(SECTION + "." + name);
    }

    int line(String name) {
      return cfg.line(SECTION + "." + name);
    }

    ConfigException error(int line, String message) {
      return new ConfigException(cfg.source(), line, "[" + SECTION + "] " + message);
    }

    ConfigException error(String name, String message) {
      return error(line(name), message);
    }

    boolean bool(String name, boolean def) {
      if (!has(name)) {
        return def;
      }
      return switch (value(name).toLowerCase(Locale.ROOT)) {
        case "on", "true", "yes", "1" -> true;
        case "off", "false", "no", "0" -> false;
        default -> throw error(name, "key '" + name + "' = '" + value(name) + "' is not on/off; allowed: on, off, true, false, yes, no, 1, 0");
      };
    }

    double number(String name) {
      try {
        return Tolerance.decimal(value(name));
      } catch (NumberFormatException e) {
        throw error(name, "key '" + name + "' = '" + value(name) + "' is not a number");
      }
    }

    OptionalDouble fraction(String name) {
      if (!has(name)) {
        return OptionalDouble.empty();
      }
      double v = number(name);
      if (!(v > 0 && v <= 1)) {
        throw error(name, "key '" + name + "' = " + value(name) + " must be a fraction in (0, 1] (e.g. 1e-3 for 0.1 %)");
      }
      return OptionalDouble.of(v);
    }

    OptionalDouble positive(String name, String what) {
      if (!has(name)) {
        return OptionalDouble.empty();
      }
      double v = number(name);
      if (!(v > 0) || Double.isInfinite(v)) {
        throw error(name, "key '" + name + "' = " + value(name) + " must be positive: " + what);
      }
      return OptionalDouble.of(v);
    }

    String codecName(String name, String value) {
      if (!CODEC_NAME.matcher(value).matches()) {
        throw error(name, "key '" + name + "' has '" + value + "', not a codec name (letters, digits, _ . -) or 'auto'");
      }
      return value;
    }

    Path path(String name) {
      if (!has(name)) {
        return null;
      }
      String v = value(name);
      if (v.isEmpty()) {
        throw error(name, "key '" + name + "' is empty; give a file path");
      }
      Path p = Path.of(v);
      Path dir = cfg.directory();
      return (dir == null ? p : dir.resolve(p)).normalize();
    }
  }

  @Override
  public String toString() {
    return "CompressionConfig[enabled=" + enabled + ", codec=" + codec + ", tolerance=" + tolerance + ", conserve=" + conserve
        + ", codec_options=" + codecOptions + ", candidates=" + candidates + ", max_err_n=" + maxErrN + ", max_err_V=" + maxErrV
        + ", max_err_P=" + maxErrP + ", target_ratio=" + targetRatio + ", restart_in=" + restartIn + ", restart_out=" + restartOut
        + ", jvm_heap=" + jvmHeap + "]";
  }

}
