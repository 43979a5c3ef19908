package io.vdfc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vdfc.plot.LogColourScale;
import io.vdfc.plot.SliceFigure;
import io.vdfc.plot.VdfSlices;
import io.vdfc.restart.VdfSources;
import io.vdfc.testing.SharedData;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VdfSource;
import java.awt.Color;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vdfc plot}: a real cell and its reconstruction drawn as a PNG whose picture is where the VDF is. */
class PlotCommandTest {
  @TempDir Path tmp;

  @Test
  void plotsARealCellBesideItsReconstructionAndError() throws Exception {
    Path in = SharedData.file("vlsvrs/fullf.0000001.vlsv");
    Path z = tmp.resolve("z.vlsv");
    assertEquals(0, CliTest.run("compress", in.toString(), z.toString(), "--tolerance", "minValue", "-q")[0]);
    long id;
    CellVdf original;
    CellVdf reconstruction;
    double minValue;
    try (VdfSource a = VdfSources.open(in); VdfSource b = VdfSources.open(z)) {
      id = a.cellIds("proton")[0];
      original = a.cell("proton", id);
      reconstruction = b.cell("proton", id);
      minValue = a.minValue("proton");
    }
    Path png = tmp.resolve("cell.png");
    Object[] r = CliTest.run("plot", in.toString(), z.toString(), "--cell", Long.toString(id), "--out", png.toString(), "--json");
    assertEquals(0, r[0], (String) r[2]);
    assertTrue(((String) r[1]).contains("\"err_n\""), (String) r[1]);
    BufferedImage img = ImageIO.read(png.toFile());
    assertEquals(3 * 440, img.getWidth(), "three columns: original, reconstruction, error");
    assertTrue(img.getHeight() > 3 * 380, "three slice rows plus the title lines");
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < img.getHeight(); y += 3) {
      for (int x = 0; x < img.getWidth(); x += 3) {
        colours.add(img.getRGB(x, y));
      }
    }
    assertTrue(colours.size() > 100, "a picture, not a flat image: " + colours.size() + " colours");

    // The same figure's geometry: the original's vx-vy panel, centred on the peak.
    SliceFigure.Result fig = SliceFigure.render(original, reconstruction, minValue, SliceFigure.Centre.PEAK, List.of("x"));
    SliceFigure.Panel panel = fig.panels().stream()
        .filter(p -> p.column().equals("original") && p.plane() == VdfSlices.Plane.XY).findFirst().orElseThrow();
    Rectangle2D area = panel.dataArea();
    int shift = img.getHeight() - fig.image().getHeight(); // the command draws more title lines above the panels
    Color top = LogColourScale.colour(1);
    double best = Double.MAX_VALUE;
    int bx = -1, by = -1;
    for (int y = (int) area.getMinY() + 1; y < (int) area.getMaxY(); y++) {
      for (int x = (int) area.getMinX() + 1; x < (int) area.getMaxX(); x++) {
        Color c = new Color(img.getRGB(x, y + shift));
        double d = Math.abs(c.getRed() - top.getRed()) + Math.abs(c.getGreen() - top.getGreen())
            + Math.abs(c.getBlue() - top.getBlue());
        if (d < best) {
          best = d;
          bx = x;
          by = y;
        }
      }
    }
    assertTrue(best < 30, "the peak colour appears in the original panel (distance " + best + ")");
    double cell = area.getWidth() / (2 * fig.halfWidth() + 1);
    assertTrue(Math.abs(bx - area.getCenterX()) <= 1.5 * cell && Math.abs(by - area.getCenterY()) <= 1.5 * cell,
        "brightest pixel (" + bx + ", " + by + ") at the centre of " + area + " (cell " + cell + " px)");
  }

  @Test
  void missingCellAndBadCentreAreOneLineUsageErrors() {
    Path in = SharedData.file("vlsvrs/fullf.0000001.vlsv");
    Object[] r = CliTest.run("plot", in.toString(), "--cell", "123456789", "--out", tmp.resolve("x.png").toString());
    assertEquals(Vdfc.EXIT_USAGE, r[0]);
    assertTrue(((String) r[2]).contains("123456789") && ((String) r[2]).strip().lines().count() == 1, (String) r[2]);
    r = CliTest.run("plot", in.toString(), "--cell", "1", "--out", tmp.resolve("x.png").toString(), "--centre", "middle");
    assertEquals(Vdfc.EXIT_USAGE, r[0]);
    assertTrue(((String) r[2]).contains("--centre"), (String) r[2]);
  }
}
