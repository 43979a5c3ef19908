package io.vdfc.plot;

import io.vdfc.metrics.Moments;
import io.vdfc.vdf.CellVdf;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.DefaultXYZDataset;

/**
 * The picture of {@code vdfc plot}: one row per central slice (vx-vy, vx-vz, vy-vz through the same velocity cell),
 * columns original, reconstruction and error {@code |f'-f|} (the last two only when a reconstruction is given). Each
 * panel is a JFreeChart {@link XYBlockRenderer} plot, one block per velocity cell, on a {@link LogColourScale} with a
 * colour-bar legend; original and reconstruction share one scale. Axes in km/s, centred on the chosen cell, the same
 * span on every axis and panel. Velocity cells at or below the scale's lower bound are left as the darkest colour.
 */
public final class SliceFigure {
  /** Where a panel's data area lies in the image (for checks and overlays). */
  public record Panel(String column, VdfSlices.Plane plane, Rectangle2D dataArea) {}

  /** The image, its panels and the global velocity-cell index the slices pass through. */
  public record Result(BufferedImage image, List<Panel> panels, int[] centre, int halfWidth) {}

  /** Where the slices cross. */
  public enum Centre { PEAK, BULK }

  static final int PANEL_WIDTH = 440;
  static final int PANEL_HEIGHT = 380;
  static final int LINE_HEIGHT = 20;

  private SliceFigure() {
    throw new AssertionError("no instances");
  }

  /**
   * Renders the figure.
   *
   * @param original the cell as stored in the original file
   * @param reconstruction the same cell decoded from a candidate, or null to draw the original only
   * @param lower smallest f shown (e.g. the sparsity threshold); values below are background
   * @param centre slices through the original's peak or through the velocity cell of its bulk velocity
   * @param header lines drawn above the panels (file, cell, population, metrics)
   */
  public static Result render(CellVdf original, CellVdf reconstruction, double lower, Centre centre, List<String> header) {
    VdfSlices a = new VdfSlices(original);
    VdfSlices b = reconstruction == null ? null : new VdfSlices(reconstruction);
    int[] c;
    if (centre == Centre.PEAK) {
      c = a.peakIndex();
    } else {
      Moments m = Moments.of(original);
      c = a.velocityIndex(m.vx(), m.vy(), m.vz());
    }
    int h = a.halfWidth(c);
    double peak = Math.max(original.peak(), reconstruction == null ? 0 : reconstruction.peak());
    double hi = peak > 0 ? peak : 1;
    double lo = lower > 0 && lower < hi ? lower : hi * 1e-6;
    LogColourScale fScale = new LogColourScale(lo, hi);
    LogColourScale eScale = null;
    if (b != null) {
      double maxErr = 0;
      for (VdfSlices.Plane p : VdfSlices.Plane.values()) {
        float[] x = a.slice(p, c, h), y = b.slice(p, c, h);
        for (int i = 0; i < x.length; i++) {
          maxErr = Math.max(maxErr, Math.abs((double) y[i] - x[i]));
        }
      }
      double eHi = maxErr > 0 ? maxErr : lo * 1e-6;
      eScale = new LogColourScale(eHi * 1e-4, eHi);
    }
    int cols = b == null ? 1 : 3;
    int top = LINE_HEIGHT * header.size() + 16;
    BufferedImage img = new BufferedImage(Math.max(cols * PANEL_WIDTH, headerWidth(header)), top + 3 * PANEL_HEIGHT,
        BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    g.setColor(Color.BLACK);
    for (int i = 0; i < header.size(); i++) {
      g.setFont(headerFont(i));
      g.drawString(header.get(i), 10, 6 + LINE_HEIGHT * (i + 1) - 4);
    }
    List<Panel> panels = new ArrayList<>();
    VdfSlices.Plane[] planes = VdfSlices.Plane.values();
    for (int row = 0; row < planes.length; row++) {
      VdfSlices.Plane p = planes[row];
      float[] fa = a.slice(p, c, h);
      String where = String.format("%s = %.0f km/s", VdfSlices.axisName(p.normal), a.velocity(p.normal, c[p.normal]) / 1e3);
      List<Object[]> columns = new ArrayList<>();
      columns.add(new Object[] {"original", fa, fScale, "f (s³/m⁶)"});
      if (b != null) {
        float[] fb = b.slice(p, c, h);
        float[] err = new float[fa.length];
        for (int i = 0; i < fa.length; i++) {
          err[i] = (float) Math.abs((double) fb[i] - fa[i]);
        }
        columns.add(new Object[] {"reconstruction", fb, fScale, "f (s³/m⁶)"});
        columns.add(new Object[] {"error", err, eScale, "|f' − f| (s³/m⁶)"});
      }
      for (int col = 0; col < columns.size(); col++) {
        Object[] spec = columns.get(col);
        String name = (String) spec[0];
        JFreeChart chart = panel(a, p, c, h, (float[]) spec[1], (LogColourScale) spec[2], (String) spec[3],
            (name.equals("error") ? "|f' − f|" : name) + ", " + where);
        Rectangle area = new Rectangle(col * PANEL_WIDTH, top + row * PANEL_HEIGHT, PANEL_WIDTH, PANEL_HEIGHT);
        ChartRenderingInfo info = new ChartRenderingInfo();
        chart.draw(g, area, info);
        panels.add(new Panel(name, p, (Rectangle2D) info.getPlotInfo().getDataArea().clone()));
      }
    }
    g.dispose();
    return new Result(img, panels, c, h);
  }

  private static Font headerFont(int line) {
    return new Font(Font.SANS_SERIF, line == 0 ? Font.BOLD : Font.PLAIN, line == 0 ? 15 : 13);
  }

  /** Pixels the title lines need (so a one-column figure does not cut them). */
  private static int headerWidth(List<String> header) {
    Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
    int w = 0;
    for (int i = 0; i < header.size(); i++) {
      w = Math.max(w, g.getFontMetrics(headerFont(i)).stringWidth(header.get(i)) + 20);
    }
    g.dispose();
    return w;
  }

  private static JFreeChart panel(VdfSlices s, VdfSlices.Plane p, int[] c, int h, float[] values, LogColourScale scale,
      String unit, String title) {
    int n = 2 * h + 1;
    List<double[]> pts = new ArrayList<>();
    for (int v = 0; v < n; v++) {
      for (int u = 0; u < n; u++) {
        double f = values[u + n * v];
        if (f > scale.getLowerBound()) {
          pts.add(new double[] {s.velocity(p.a, c[p.a] - h + u) / 1e3, s.velocity(p.b, c[p.b] - h + v) / 1e3, f});
        }
      }
    }
    double[][] xyz = new double[3][pts.size()];
    for (int i = 0; i < pts.size(); i++) {
      xyz[0][i] = pts.get(i)[0];
      xyz[1][i] = pts.get(i)[1];
      xyz[2][i] = pts.get(i)[2];
    }
    DefaultXYZDataset data = new DefaultXYZDataset();
    data.addSeries("f", xyz);
    NumberAxis x = axis(s, p.a, c, h);
    NumberAxis y = axis(s, p.b, c, h);
    XYBlockRenderer r = new XYBlockRenderer();
    r.setBlockWidth(s.cellSize(p.a) / 1e3);
    r.setBlockHeight(s.cellSize(p.b) / 1e3);
    r.setPaintScale(scale);
    XYPlot plot = new XYPlot(data, x, y, r);
    plot.setBackgroundPaint(LogColourScale.colour(0));
    plot.setDomainGridlinesVisible(false);
    plot.setRangeGridlinesVisible(false);
    plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
    JFreeChart chart = new JFreeChart(null, null, plot, false);
    chart.setBackgroundPaint(Color.WHITE);
    chart.setTitle(new TextTitle(title, new Font(Font.SANS_SERIF, Font.PLAIN, 13)));
    NumberAxis bar = new NumberAxis(unit);
    bar.setRange(Math.log10(scale.getLowerBound()), Math.log10(scale.getUpperBound()));
    bar.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    bar.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
    bar.setTickUnit(new NumberTickUnit(1, new PowerOfTen()));
    PaintScaleLegend legend = new PaintScaleLegend(scale.exponents(), bar);
    legend.setPosition(RectangleEdge.RIGHT);
    legend.setAxisLocation(AxisLocation.TOP_OR_RIGHT);
    legend.setStripWidth(12);
    legend.setSubdivisionCount(128);
    legend.setMargin(new RectangleInsets(4, 8, 4, 4));
    chart.addSubtitle(legend);
    return chart;
  }

  private static NumberAxis axis(VdfSlices s, int a, int[] c, int h) {
    double mid = s.velocity(a, c[a]) / 1e3, half = (h + 0.5) * s.cellSize(a) / 1e3;
    NumberAxis x = new NumberAxis(VdfSlices.axisName(a) + " (km/s)");
    x.setRange(mid - half, mid + half);
    x.setAutoRangeIncludesZero(false);
    x.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    return x;
  }

  /** Tick labels of an exponent axis: -12 reads "1e-12". */
  private static final class PowerOfTen extends java.text.NumberFormat {
    private static final long serialVersionUID = 1L;

    @Override
    public StringBuffer format(double x, StringBuffer sb, java.text.FieldPosition pos) {
      return sb.append("1e").append(Math.round(x));
    }

    @Override
    public StringBuffer format(long x, StringBuffer sb, java.text.FieldPosition pos) {
      return sb.append("1e").append(x);
    }

    @Override
    public Number parse(String s, java.text.ParsePosition pos) {
      throw new UnsupportedOperationException("tick labels are not parsed");
    }
  }
}
