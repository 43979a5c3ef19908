package io.vdfc.plot;

import java.awt.Color;
import java.awt.Paint;
import java.io.Serializable;
import org.jfree.chart.renderer.PaintScale;

/**
 * A JFreeChart {@link PaintScale} mapping {@code log10(value)} between two bounds onto the viridis colour map (dark
 * purple to yellow, perceptually uniform, brightness rising with the value). Values at or below the lower bound get the
 * darkest colour; the renderer skips them anyway (see {@link SliceFigure}).
 */
public final class LogColourScale implements PaintScale, Serializable {
  private static final long serialVersionUID = 1L;

  /** Viridis sampled at 9 evenly spaced points (matplotlib's table); linear interpolation between them. */
  private static final int[][] VIRIDIS = {
    {68, 1, 84}, {71, 44, 122}, {59, 81, 139}, {44, 113, 142}, {33, 144, 141},
    {39, 173, 129}, {92, 200, 99}, {170, 220, 50}, {253, 231, 37}
  };

  private final double lower;
  private final double upper;

  /** @param lower smallest value shown (> 0) @param upper largest value shown (> lower) */
  public LogColourScale(double lower, double upper) {
    if (!(lower > 0 && upper > lower)) {
      throw new IllegalArgumentException("log colour scale needs 0 < lower < upper, got " + lower + ", " + upper);
    }
    this.lower = lower;
    this.upper = upper;
  }

  @Override
  public double getLowerBound() {
    return lower;
  }

  @Override
  public double getUpperBound() {
    return upper;
  }

  @Override
  public Paint getPaint(double value) {
    return colour(fraction(value));
  }

  /**
   * The same colours over {@code log10(value)} (bounds {@code log10(lower)..log10(upper)}), for a colour-bar legend on a
   * linear exponent axis: JFreeChart's legend samples its scale linearly, which on a log axis would paint whole decades
   * with one colour.
   */
  public PaintScale exponents() {
    LogColourScale outer = this;
    return new PaintScale() {
      @Override
      public double getLowerBound() {
        return Math.log10(outer.lower);
      }

      @Override
      public double getUpperBound() {
        return Math.log10(outer.upper);
      }

      @Override
      public Paint getPaint(double exponent) {
        return outer.getPaint(Math.pow(10, exponent));
      }
    };
  }

  /** Position of a value on the scale, 0 (at or below lower) to 1 (at or above upper). */
  public double fraction(double value) {
    if (!(value > lower)) {
      return 0;
    }
    double t = (Math.log10(value) - Math.log10(lower)) / (Math.log10(upper) - Math.log10(lower));
    return Math.min(1, t);
  }

  /** The colour at a position of the map, 0 to 1. */
  public static Color colour(double t) {
    double x = Math.max(0, Math.min(1, t)) * (VIRIDIS.length - 1);
    int i = Math.min(VIRIDIS.length - 2, (int) x);
    double w = x - i;
    int[] a = VIRIDIS[i], b = VIRIDIS[i + 1];
    return new Color((int) Math.round(a[0] + w * (b[0] - a[0])), (int) Math.round(a[1] + w * (b[1] - a[1])),
        (int) Math.round(a[2] + w * (b[2] - a[2])));
  }
}
