package io.vdfc.plot;

import io.vdfc.verify.CellProfile;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A whole file's errors cell by cell as a PNG (JFreeChart, headless): for each population, against the cell ID, the
 * largest pointwise error as a fraction of the bound recorded with the cell, and the moment errors err_n, err_V and
 * err_P (metrics.md), on a log axis. Where cells lie in space along the ID (the real restart is a 1D shock), this is the
 * file's error map. A cell without error (stored losslessly) has no point on a log axis: a gap in the lines.
 */
public final class CellErrorPlot {
  /** Pixels per population's panel. */
  static final int PANEL_HEIGHT = 420;
  static final int WIDTH = 1200;

  /** Colour and marker of max_abs over the bound, err_n, err_V and err_P (colour-blind safe, and told apart by shape). */
  private static final Color[] COLOURS = {Color.BLACK, new Color(0, 114, 178), new Color(213, 94, 0), new Color(0, 158, 115)};
  private static final java.awt.Shape[] SHAPES = {new java.awt.Rectangle(-3, -3, 6, 6),
      new java.awt.geom.Ellipse2D.Double(-3, -3, 6, 6), new java.awt.Polygon(new int[] {-4, 0, 4}, new int[] {3, -4, 3}, 3),
      new java.awt.Polygon(new int[] {0, 4, 0, -4}, new int[] {-4, 0, 4, 0}, 4)};

  private CellErrorPlot() {
    throw new AssertionError("no instances");
  }

  /** Writes the PNG to {@code png} (callers write it under a temporary name and rename it). */
  public static void write(Map<String, CellProfile> profiles, String title, Path png) throws IOException {
    System.setProperty("java.awt.headless", "true");
    NumberAxis cells = new NumberAxis("cell ID");
    cells.setAutoRangeIncludesZero(false);
    cells.setStandardTickUnits(NumberAxis.createIntegerTickUnits()); // IDs are whole numbers
    cells.setAutoRangeMinimumSize(2); // a file of one cell still gets a readable axis
    CombinedDomainXYPlot plot = new CombinedDomainXYPlot(cells);
    plot.setGap(14);
    profiles.forEach((pop, p) -> plot.add(panel(pop, p), 1));
    JFreeChart chart = new JFreeChart(title, new java.awt.Font("SansSerif", java.awt.Font.BOLD, 15), plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, 120 + PANEL_HEIGHT * Math.max(1, profiles.size()));
  }

  private static XYPlot panel(String pop, CellProfile p) {
    XYSeriesCollection data = series(pop, p);
    LogAxis y = new LogAxis(pop + " (log)");
    y.setSmallestValue(1e-20);
    y.setTickUnit(new NumberTickUnit(1.0));
    y.setNumberFormatOverride(new DecimalFormat("0E0"));
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
    for (int i = 0; i < data.getSeriesCount(); i++) { // the same look for the same figure in every panel
      int k = figure(data.getSeriesKey(i).toString());
      renderer.setSeriesStroke(i, new BasicStroke(1.2f));
      renderer.setSeriesPaint(i, COLOURS[k]);
      renderer.setSeriesShape(i, SHAPES[k]);
    }
    XYPlot plot = new XYPlot(data, null, y, renderer);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    return plot;
  }

  /** What each series shows, in the order of {@link #COLOURS} and {@link #SHAPES}. */
  static final String[] FIGURES = {"max |f'-f| / the cell's bound", "err_n", "err_V", "err_P"};

  private static int figure(String seriesKey) {
    for (int k = 0; k < FIGURES.length; k++) {
      if (seriesKey.endsWith(": " + FIGURES[k])) {
        return k;
      }
    }
    throw new IllegalArgumentException(seriesKey);
  }

  /**
   * The population's series that have a point (a plain candidate records no bounds), keyed {@code "pop: figure"}, each
   * sorted by cell ID: a file stores its cells in any order, and the lines join neighbouring cells.
   */
  static XYSeriesCollection series(String pop, CellProfile p) {
    XYSeries[] s = new XYSeries[FIGURES.length];
    for (int k = 0; k < s.length; k++) {
      s[k] = new XYSeries(pop + ": " + FIGURES[k], true, true);
    }
    for (int i = 0; i < p.cellIds().length; i++) {
      double id = p.cellIds()[i];
      add(s[0], id, p.bound()[i] > 0 ? p.maxAbs()[i] / p.bound()[i] : 0);
      add(s[1], id, p.errN()[i]);
      add(s[2], id, p.errV()[i]);
      add(s[3], id, p.errP()[i]);
    }
    XYSeriesCollection data = new XYSeriesCollection();
    for (XYSeries one : s) {
      if (one.getMaxY() > 0) {
        data.addSeries(one);
      }
    }
    return data;
  }

  /**
   * Positive finite values as points; anything else (0 for an exact cell, NaN, infinity) as a gap that breaks the line:
   * a log axis has no place for them.
   */
  private static void add(XYSeries s, double x, double y) {
    s.add(x, y > 0 && Double.isFinite(y) ? Double.valueOf(y) : null);
  }
}
