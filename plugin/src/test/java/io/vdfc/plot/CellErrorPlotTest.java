package io.vdfc.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vdfc.testing.SharedData;
import io.vdfc.vdf.VlsvVdfSource;
import io.vdfc.verify.CellProfile;
import java.util.Arrays;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.junit.jupiter.api.Test;

/**
 * The error map's series: in cell-ID order whatever order the file keeps its cells in (the real bulk file's is not
 * ascending, and the lines zigzagged across the picture), and an exact cell is a gap, not a point at zero.
 */
class CellErrorPlotTest {
  @Test
  void seriesFollowCellIdsAndLeaveExactCellsOut() throws Exception {
    long[] ids;
    try (VlsvVdfSource src = VlsvVdfSource.open(SharedData.file("ipshock/bulk.0000004.vlsv"))) {
      ids = src.cellIds("proton");
    }
    long[] sorted = ids.clone();
    Arrays.sort(sorted);
    assertTrue(!Arrays.equals(ids, sorted), "the bulk file does not store its cells in ID order");
    int n = ids.length;
    double[] errN = new double[n];
    double[] maxAbs = new double[n];
    double[] bound = new double[n];
    for (int i = 0; i < n; i++) {
      errN[i] = i == 3 ? 0 : 1e-9 * (1 + ids[i]); // cell at position 3 restored exactly
      maxAbs[i] = 0.5e-16;
      bound[i] = 1e-16;
    }
    XYSeriesCollection data = CellErrorPlot.series("proton", new CellProfile(ids, maxAbs, bound, errN, errN, errN));
    assertEquals(4, data.getSeriesCount());
    XYSeries err = data.getSeries("proton: err_n");
    assertEquals(n, err.getItemCount(), "one item per cell, the exact one as a gap");
    for (int i = 0; i < n; i++) {
      assertEquals(sorted[i], err.getX(i).longValue(), "ascending cell IDs");
      if (sorted[i] == ids[3]) {
        assertNull(err.getY(i), "an exact cell breaks the line");
      } else {
        assertEquals(1e-9 * (1 + sorted[i]), err.getY(i).doubleValue(), 1e-24);
      }
    }
    assertEquals(0.5, data.getSeries("proton: max |f'-f| / the cell's bound").getY(0).doubleValue(), 1e-12);
  }
}
