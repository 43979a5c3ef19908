package io.vdfc.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.text.DecimalFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The study bench as a PNG (JFreeChart, headless): ratio against L2 for every method, the study's points beside. */
public final class StudyPlot {
  private StudyPlot() {
    throw new AssertionError("no instances");
  }

  /** Writes a {@code width x height} PNG; lossless rows (L2 = 0) have no place on a log axis and are left out. */
  public static void write(List<StudyBench.Row> rows, double l2Target, Path png, int width, int height) throws IOException {
    System.setProperty("java.awt.headless", "true");
    XYSeriesCollection data = new XYSeriesCollection();
    XYSeries study = new XYSeries("study (published)", false, true);
    for (StudyBench.Row r : rows) {
      StudyTable.Entry e = r.entry();
      if (e.studyL2() > 0 && e.studyRatio() > 0) {
        study.add(e.studyL2(), e.studyRatio());
      }
      if (r.lossless()) {
        continue;
      }
      XYSeries s = new XYSeries(e.codec() + (e.options().isEmpty() ? "" : " " + e.options()) + " (" + e.method() + ")",
          true, true);
      for (double[] p : StudyBench.curve(r)) {
        if (p[0] > 0 && p[1] > 0) {
          s.addOrUpdate(p[0], p[1]);
        }
      }
      if (!s.isEmpty()) {
        data.addSeries(s);
      }
    }
    data.addSeries(study);
    LogAxis x = new LogAxis("L2 = |f'-f|_2 / |f|_2  (target " + l2Target + ")");
    LogAxis y = new LogAxis("ratio (500,000 B / every byte)");
    x.setSmallestValue(1e-7);
    y.setSmallestValue(0.1);
    for (LogAxis a : new LogAxis[] {x, y}) {
      a.setTickUnit(new NumberTickUnit(1.0));
      a.setNumberFormatOverride(new DecimalFormat("0E0"));
    }
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
    int last = data.getSeriesCount() - 1;
    renderer.setSeriesLinesVisible(last, false);
    renderer.setSeriesPaint(last, Color.BLACK);
    for (int i = 0; i < last; i++) {
      renderer.setSeriesStroke(i, new BasicStroke(1.5f));
    }
    XYPlot plot = new XYPlot(data, x, y, renderer);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    JFreeChart chart = new JFreeChart("vdfc codecs on the study VDF (50^3), ratio vs L2", JFreeChart.DEFAULT_TITLE_FONT,
        plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    ChartUtils.saveChartAsPNG(png.toFile(), chart, width, height);
  }
}
