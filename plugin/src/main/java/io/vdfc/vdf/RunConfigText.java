package io.vdfc.vdf;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Minimal reader of the Vlasiator cfg text a VLSV file carries in its CONFIG array: {@code [section]} lines prefix the
 * following keys ({@code proton_sparse.minValue}), {@code key = value}, {@code #} comments (inline too), repeated keys
 * collected in order. Anything else (the {@code *---Configuration File---*} banner) is ignored. Only what the VDF
 * reader needs; not the project's full configuration parser.
 */
final class RunConfigText {
  /** Vlasiator's {@code physicalconstants::MASS_PROTON} (common.h), kg; not CODATA 2018 (1.67262192e-27). */
  static final double MASS_PROTON = 1.67262158e-27;
  /** Vlasiator's {@code physicalconstants::MASS_ELECTRON}, kg. */
  static final double MASS_ELECTRON = 9.10938188e-31;
  /** Vlasiator's default {@code <pop>_sparse.minValue}. */
  static final double DEFAULT_MIN_VALUE = 1e-15;

  private final Map<String, List<String>> values;

  private RunConfigText(Map<String, List<String>> values) {
    this.values = values;
  }

  static RunConfigText parse(String text) {
    Map<String, List<String>> map = new HashMap<>();
    String section = "";
    for (String raw : text.split("\n", -1)) {
      int hash = raw.indexOf('#');
      String line = (hash >= 0 ? raw.substring(0, hash) : raw).strip();
      if (line.startsWith("[") && line.endsWith("]")) {
        section = line.substring(1, line.length() - 1).strip();
        continue;
      }
      int eq = line.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      String key = line.substring(0, eq).strip();
      String full = section.isEmpty() ? key : section + "." + key;
      map.computeIfAbsent(full, k -> new ArrayList<>()).add(line.substring(eq + 1).strip());
    }
    return new RunConfigText(map);
  }

  /** First value of a key ({@code section.key}). */
  Optional<String> get(String key) {
    List<String> v = values.get(key);
    return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
  }

  /** A numeric key, or {@code fallback} if absent or not a number. */
  double number(String key, double fallback) {
    Optional<String> v = get(key);
    if (v.isEmpty()) {
      return fallback;
    }
    try {
      return Double.parseDouble(v.get());
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  /** Sparsity threshold of a population, Vlasiator's default if the cfg does not set it. */
  double minValue(String pop) {
    return number(pop + "_sparse.minValue", DEFAULT_MIN_VALUE);
  }

  /**
   * Particle mass of a population in kg: {@code <pop>_properties.mass} times the unit of {@code mass_units}
   * ({@code PROTON} or {@code ELECTRON}, Vlasiator's constants); NaN if the cfg does not say.
   */
  double particleMass(String pop) {
    double mass = number(pop + "_properties.mass", Double.NaN);
    String units = get(pop + "_properties.mass_units").orElse("").toUpperCase(java.util.Locale.ROOT);
    return switch (units) {
      case "PROTON" -> mass * MASS_PROTON;
      case "ELECTRON" -> mass * MASS_ELECTRON;
      default -> Double.NaN;
    };
  }
}
