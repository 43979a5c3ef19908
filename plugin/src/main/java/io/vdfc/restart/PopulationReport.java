package io.vdfc.restart;

import io.vdfc.compress.CellReport;
import java.util.List;

/**
 * Figures of one population over every cell of every rank.
 *
 * @param referenceBytes Vlasiator's own size: per block 64 float32 values and a 4-byte ID
 * @param compressedBytes every byte needed to decode: records, the per-cell index and the settings text
 * @param maxTolerance the largest absolute bound requested for a cell
 * @param maxAbs the largest error achieved in a cell
 * @param specialCells cells with special handling (lossless fallback, tightened bound)
 * @param notes the auto decision, the first cells with special handling (named, in the file's cell order) and a
 *     count of the others, and a target ratio the file misses
 */
public record PopulationReport(
    String name, long cells, long blocks, long referenceBytes, long compressedBytes, double maxTolerance,
    double maxAbs, long conservedCells, long specialCells, List<String> notes) {

  public double ratio() {
    return compressedBytes == 0 ? 0 : (double) referenceBytes / compressedBytes;
  }

  static String note(CellReport r) {
    return "cell " + r.cellId() + ": " + r.note();
  }
}
