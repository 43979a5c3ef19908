package io.vdfc.config;

import io.vdfc.codec.Tolerance;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Vlasiator configuration file as boost::program_options reads it (vlasiator-format.md §6): {@code key = value} lines;
 * a {@code [section]} line makes the following keys {@code section.key} (keys before any section are global, e.g.
 * {@code ParticlePopulations}); {@code #} starts a comment anywhere on a line; a key given several times keeps every
 * value in order (Vlasiator's composing options: {@code output}, {@code ParticlePopulations}, {@code boundary}). Every
 * value remembers its line for error messages. Keys are not checked here: they belong to Vlasiator.
 *
 * @since 0.1
 */
public final class VlasiatorConfig {
  /** Vlasiator's default sparsity threshold when {@code <pop>_sparse.minValue} is absent. */
  public static final double DEFAULT_MIN_VALUE = 1e-15;
  /** Electron mass in proton masses (CODATA 2018), for {@code mass_units = ELECTRON}. */
  static final double ELECTRON_IN_PROTON_MASSES = 1.0 / 1836.15267343;

  /** One occurrence of a key. */
  public record Entry(String value, int line) {}

  private final String source;
  private final Path directory;
  private final Map<String, List<Entry>> entries;
  /** Each section's header line (its first, if it is opened again). */
  private final Map<String, Integer> sections;

  private VlasiatorConfig(String source, Path directory, Map<String, List<Entry>> entries, Map<String, Integer> sections) {
    this.source = source;
    this.directory = directory;
    this.entries = entries;
    this.sections = sections;
  }

  /**
   * Reads and parses a file; errors name the file as given. UTF-8, or, where it is not valid UTF-8, ISO-8859-1: Vlasiator
   * reads bytes, so a Latin-1 name in a comment is valid there (it was "Input length = 3", exit 4, naming no file).
   */
  public static VlasiatorConfig parse(Path file) throws IOException {
    if (file.toString().isEmpty()) { // it resolves to the working directory: ": is a directory" said nothing
      throw new IllegalArgumentException("an empty path names no config file; give the config's path");
    }
    if (Files.isDirectory(file)) {
      throw new java.nio.file.FileSystemException(file.toString(), null, "is a directory, not a config file");
    }
    byte[] bytes = Files.readAllBytes(file);
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      text = new String(bytes, StandardCharsets.ISO_8859_1);
    }
    Path dir = file.toAbsolutePath().getParent();
    return parse(text, file.toString(), dir);
  }


  /**
   * Parses configuration text, e.g. the CONFIG array of a VLSV file.
   *
   * @param sourceName the name used in error messages
   */
  public static VlasiatorConfig parse(String text, String sourceName) {
    return parse(text, sourceName, null);
  }

  private static VlasiatorConfig parse(String text, String sourceName, Path directory) {
    Map<String, List<Entry>> map = new LinkedHashMap<>();
    Map<String, Integer> sections = new LinkedHashMap<>();
    String section = "";
    String[] lines = text.split("\r?\n|\r", -1);
    for (int i = 0; i < lines.length; i++) {
      int lineNo = i + 1;
      String line = lines[i];
      int hash = line.indexOf('#');
      if (hash >= 0) {
        line = line.substring(0, hash);
      }
      line = line.strip();
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("[")) {
        if (!line.endsWith("]") || line.length() < 3 || line.substring(1, line.length() - 1).isBlank()) {
          throw new ConfigException(sourceName, lineNo, "malformed section header '" + line + "', expected [name]");
        }
        section = line.substring(1, line.length() - 1).strip();
        sections.putIfAbsent(section, lineNo);
        continue;
      }
      if (lineNo == 1 && line.startsWith("\uFEFF")) {
        throw new ConfigException(sourceName, lineNo, "the file starts with a byte-order mark, which Vlasiator's "
            + "config reader does not accept either; save it without one");
      }
      int eq = line.indexOf('=');
      if (eq < 0) {
        throw new ConfigException(sourceName, lineNo, "expected 'key = value' or '[section]', got '" + line + "'");
      }
      String key = line.substring(0, eq).strip();
      if (key.isEmpty()) {
        throw new ConfigException(sourceName, lineNo, "missing key before '=' in '" + line + "'");
      }
      String full = section.isEmpty() ? key : section + "." + key;
      if (section.isEmpty() && key.indexOf('.') > 0) { // 'compression.codec = x' is [compression] codec = x, as in boost
        sections.putIfAbsent(key.substring(0, key.indexOf('.')), lineNo);
      }
      map.computeIfAbsent(full, k -> new ArrayList<>()).add(new Entry(line.substring(eq + 1).strip(), lineNo));
    }
    map.replaceAll((k, v) -> List.copyOf(v));
    return new VlasiatorConfig(sourceName, directory, Collections.unmodifiableMap(map),
        Collections.unmodifiableMap(sections));
  }

  /** The name used in error messages: the file's path as given, or the name given with the text. */
  public String source() {
    return source;
  }

  /** The directory of the parsed file (for relative paths), null when parsed from text. */
  public Path directory() {
    return directory;
  }

  /** Whether the text has a {@code [name]} header, with keys under it or none. */
  public boolean hasSection(String name) {
    return sections.containsKey(name);
  }

  /** Every key, {@code section.key}, in order of first appearance. */
  public Set<String> keys() {
    return entries.keySet();
  }

  public boolean has(String key) {
    return entries.containsKey(key);
  }

  /** The value of {@code key} (the last one if it is repeated), or null if absent. */
  public String get(String key) {
    List<Entry> e = entries.get(key);
    return e == null ? null : e.get(e.size() - 1).value();
  }

  /** Every value of {@code key} in file order (a composing option), empty if absent. */
  public List<String> getAll(String key) {
    return entries.getOrDefault(key, List.of()).stream().map(Entry::value).toList();
  }

  /** Every occurrence of {@code key} with its line, empty if absent. */
  public List<Entry> entries(String key) {
    return entries.getOrDefault(key, List.of());
  }

  /** The line of {@code key} (of its last occurrence), 0 if absent. */
  public int line(String key) {
    List<Entry> e = entries.get(key);
    return e == null ? 0 : e.get(e.size() - 1).line();
  }

  /** The populations, from the composing global key {@code ParticlePopulations}. */
  public List<String> populations() {
    return getAll("ParticlePopulations");
  }

  /** The sparsity threshold {@code <pop>_sparse.minValue}, {@link #DEFAULT_MIN_VALUE} when absent. */
  public double minValue(String population) {
    String key = population + "_sparse.minValue";
    if (!has(key)) {
      return DEFAULT_MIN_VALUE;
    }
    double v = number(key, get(key));
    if (!(v > 0) || Double.isInfinite(v)) {
      throw new ConfigException(source, line(key), "key '" + key + "' = " + get(key) + " must be a positive number");
    }
    return v;
  }

  /**
   * The particle mass {@code <pop>_properties.mass} in proton masses ({@code mass_units} PROTON, the default, or
   * ELECTRON).
   *
   * @throws ConfigException when the mass is absent, not a positive number, or in unknown units
   */
  public double mass(String population) {
    String key = population + "_properties.mass";
    if (!has(key)) {
      throw new ConfigException(source, 0, "key '" + key + "' is missing (the mass of population " + population + ")");
    }
    double m = number(key, get(key));
    if (!(m > 0)) {
      throw new ConfigException(source, line(key), "key '" + key + "' = " + get(key) + " must be positive");
    }
    String unitsKey = population + "_properties.mass_units";
    String units = has(unitsKey) ? get(unitsKey) : "PROTON";
    return switch (units) {
      case "PROTON" -> m;
      case "ELECTRON" -> m * ELECTRON_IN_PROTON_MASSES;
      default -> throw new ConfigException(source, line(unitsKey),
          "key '" + unitsKey + "' = '" + units + "' is unknown; allowed: PROTON, ELECTRON");
    };
  }

  /** Parses a number, naming key, line and file when it is not one. */
  double number(String key, String value) {
    try {
      return Tolerance.decimal(value);
    } catch (NumberFormatException e) {
      throw new ConfigException(source, line(key), "key '" + key + "' = '" + value + "' is not a number");
    }
  }
}
