package io.vdfc.codec;

import java.util.Locale;

/**
 * A pointwise error bound as the user states it: absolute ({@code 1e-16}), a multiple of the population's sparsity
 * threshold ({@code 0.5*minValue}) or of the cell's peak value ({@code 1e-4*peak}). Resolved per cell to an absolute
 * bound by {@link #resolve}.
 */
public record Tolerance(Kind kind, double factor) {
  public enum Kind {
    ABSOLUTE,
    MIN_VALUE,
    PEAK
  }

  public Tolerance {
    if (!(factor > 0) || Double.isInfinite(factor)) {
      throw new IllegalArgumentException("a tolerance must be a positive finite number (or a positive multiple of "
          + "minValue or of peak), got " + (kind == Kind.ABSOLUTE ? "" : kind == Kind.PEAK ? "peak times " : "minValue times ")
          + factor);
    }
    if (kind == Kind.ABSOLUTE && factor > Float.MAX_VALUE) { // the fields are not set yet: no toString here
      throw new IllegalArgumentException("tolerance " + factor + " is beyond the float32 range of the values ("
          + Float.MAX_VALUE + ")");
    }
  }

  /** A bound on float32 values beyond their range would overflow the codecs' float32 arithmetic. */
  private double inFloatRange(double bound) {
    if (bound > Float.MAX_VALUE) {
      throw new IllegalArgumentException("tolerance " + this + " = " + bound + " is beyond the float32 range of the "
          + "values (" + Float.MAX_VALUE + ")");
    }
    return bound;
  }

  /**
   * A decimal number as Vlasiator's (C++) config reader takes one ({@code 1e-16}, {@code 1.e-16}, {@code .5}), or inf
   * or nan, which the callers then refuse by name; not Java's own spellings ({@code 1e-16f}, {@code 0x1p-53}), which
   * {@link Double#parseDouble} took silently.
   */
  private static final java.util.regex.Pattern DECIMAL =
      java.util.regex.Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?|[+-]?(inf|infinity|nan)",
          java.util.regex.Pattern.CASE_INSENSITIVE);

  /**
   * Parses a number in the form {@link #DECIMAL} describes.
   *
   * @throws NumberFormatException for anything else
   */
  public static double decimal(String value) {
    String v = value.strip();
    if (!DECIMAL.matcher(v).matches()) {
      throw new NumberFormatException("not a decimal number: '" + value + "'");
    }
    String lower = v.toLowerCase(Locale.ROOT);
    if (lower.endsWith("nan")) {
      return Double.NaN;
    }
    if (lower.endsWith("inf") || lower.endsWith("infinity")) {
      return lower.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    return Double.parseDouble(v);
  }

  /** Parses {@code 1e-16}, {@code 0.5*minValue}, {@code minValue}, {@code 1e-4*peak}, {@code peak}. */
  public static Tolerance parse(String spec) {
    String s = spec.trim();
    String lower = s.toLowerCase(Locale.ROOT);
    Kind kind = Kind.ABSOLUTE;
    String number = s;
    for (var suffix : new String[] {"minvalue", "peak"}) {
      if (lower.endsWith(suffix)) {
        kind = suffix.equals("peak") ? Kind.PEAK : Kind.MIN_VALUE;
        number = s.substring(0, s.length() - suffix.length()).trim();
        if (number.endsWith("*")) {
          number = number.substring(0, number.length() - 1).trim();
          if (number.isEmpty()) { // '*minValue' was taken as 1*minValue
            throw new IllegalArgumentException("tolerance '" + spec + "': a number is missing before '*'");
          }
        } else if (!number.isEmpty()) {
          throw new IllegalArgumentException("tolerance '" + spec + "': expected NUMBER*" + suffix);
        } else {
          number = "1";
        }
      }
    }
    try {
      return new Tolerance(kind, decimal(number));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "tolerance '" + spec + "' is not a number, NUMBER*minValue or NUMBER*peak (e.g. 1e-16, 0.5*minValue, 1e-4*peak)");
    }
  }

  /**
   * The absolute bound for one cell.
   *
   * @param minValue the population's sparsity threshold, NaN if unknown
   * @param peak the cell's largest value
   */
  public double resolve(double minValue, double peak) {
    return switch (kind) {
      case ABSOLUTE -> factor;
      case MIN_VALUE -> {
        if (!(minValue > 0)) {
          throw new IllegalArgumentException(
              "tolerance " + this + " needs the sparsity threshold (minValue): the file's CONFIG has none, give it with --min-value");
        }
        yield inFloatRange(factor * minValue);
      }
      case PEAK -> inFloatRange(factor * peak);
    };
  }

  @Override
  public String toString() {
    return switch (kind) {
      case ABSOLUTE -> Double.toString(factor);
      case MIN_VALUE -> factor + "*minValue";
      case PEAK -> factor + "*peak";
    };
  }
}
