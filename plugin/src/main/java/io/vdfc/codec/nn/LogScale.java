package io.vdfc.codec.nn;

/**
 * The log scaling between phase-space densities and network targets: {@code t = (log10(f + floor) - lo) / (hi - lo)}
 * with {@code lo = log10(floor)}, {@code hi = log10(peak + floor)}, so {@code f = 0} maps to 0 and the peak to 1; back:
 * {@code f = max(0, 10^(lo + t (hi - lo)) - floor)}, {@code t} clamped to {@code [-1, 1]} (at most the peak), in {@link StrictMath} (decoders reproduce it bit for bit).
 */
public record LogScale(float lo, float hi) {
  public static LogScale of(double peak, double floor) {
    double lo = StrictMath.log10(floor);
    double hi = StrictMath.log10(peak + floor);
    if (!(hi > lo)) {
      hi = lo + 1;
    }
    return new LogScale((float) lo, (float) hi);
  }

  public boolean valid() {
    return Float.isFinite(lo) && Float.isFinite(hi) && hi > lo && hi - lo < 100;
  }

  public float target(float f) {
    double floor = StrictMath.pow(10, lo);
    return (float) ((StrictMath.log10(Math.max(0, f) + floor) - lo) / (hi - lo));
  }

  public float value(float t) {
    double floor = StrictMath.pow(10, lo);
    double t2 = Math.min(Math.max(t, -1), 1); // at most the peak: a wild output cannot overflow or swamp float rounding
    double f = StrictMath.pow(10, lo + t2 * (hi - lo)) - floor;
    return f > 0 ? (float) f : 0f;
  }
}
