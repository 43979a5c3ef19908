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
        } else if (!number.isEmpty()) {
          throw new IllegalArgumentException("tolerance '" + spec + "': expected NUMBER*" + suffix);
        }
        if (number.isEmpty()) {
          number = "1";
        }
      }
    }
    try {
      return new Tolerance(kind, Double.parseDouble(number));
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
