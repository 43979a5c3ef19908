package io.vdfc.vdf;

import io.vdfc.vlsv.VlsvArray;
import io.vdfc.vlsv.VlsvFile;
import io.vdfc.vlsv.VlsvFormatException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Decodes the plain (uncompressed) VDF arrays of a VLSV file, per population (Vlasiator {@code iowrite.cpp}
 * {@code writeVelocityDistributionData}):
 *
 * <pre>
 * CELLSWITHBLOCKS  mesh="SpatialGrid" name=pop   (uint,8)  cell IDs in stored order
 * BLOCKSPERCELL    mesh="SpatialGrid" name=pop   (uint,4)  block count per cell, same order
 * MESH_BBOX        mesh=pop                      (uint,8)[6]  nx, ny, nz (blocks), WID, WID, WID
 * MESH_NODE_CRDS_X/Y/Z  mesh=pop                 (float,8)[n*WID+1]  vmin + i*dv
 * BLOCKIDS         mesh="SpatialGrid" name=pop   (uint,4)  block GIDs, cell after cell
 * BLOCKVARIABLE    mesh="SpatialGrid" name=pop   (float,4 or 8), vectorsize WID^3, one element per block
 * </pre>
 *
 * Populations are the distinct {@code name}s of BLOCKSPERCELL (what Vlasiator's restart reader does). Legacy forms:
 * pre-multipopulation files (BLOCKSPERCELL/BLOCKIDS without {@code name}, BLOCKVARIABLE {@code name="avgs"}) give the
 * population {@code avgs}; files without a velocity MESH_BBOX use the PARAMETERs {@code vxblocks_ini ...},
 * {@code vxmin ... vzmax}; WID falls back to PARAMETER {@code velocity_block_width}, then 4.
 *
 * <p>A DPF build's float64 BLOCKVARIABLE is read and <b>rounded to float32</b> (the model, {@link CellVdf}, holds
 * float32, the default Vlasiator precision); its values below float's range become 0 or subnormal.
 */
public final class VlsvVdfReader {
  /** Population name of pre-multipopulation files. */
  public static final String LEGACY_POPULATION = "avgs";

  private VlsvVdfReader() {
    throw new AssertionError("no instances");
  }

  /** Populations of a file in footer order; empty if the file stores no VDF arrays. */
  public static List<String> populations(VlsvFile f) {
    Set<String> pops = new LinkedHashSet<>();
    boolean unnamed = false;
    for (VlsvArray a : f.arrays()) {
      if (a.tag().equals("BLOCKSPERCELL")) {
        if (a.attr("name").isPresent()) {
          pops.add(a.name());
        } else {
          unnamed = true;
        }
      }
    }
    if (pops.isEmpty() && unnamed) {
      pops.add(LEGACY_POPULATION);
    }
    return new ArrayList<>(pops);
  }

  /** A per-population array: {@code name=pop}, or for the legacy population the first such tag without a name. */
  static VlsvArray popArray(VlsvFile f, String tag, String pop) throws VlsvFormatException {
    Optional<VlsvArray> a = f.find(tag, Map.of("name", pop));
    if (a.isEmpty() && pop.equals(LEGACY_POPULATION)) {
      a = f.arrays().stream().filter(x -> x.tag().equals(tag) && x.attr("name").isEmpty()).findFirst();
    }
    return a.orElseThrow(() ->
        new VlsvFormatException(f.path(), f.footerOffset(), "footer has no <" + tag + " name=\"" + pop + "\">"));
  }

  /** The velocity mesh of a population. */
  public static VelocityMesh mesh(VlsvFile f, String pop) throws IOException {
    Optional<VlsvArray> bbox = f.find("MESH_BBOX", Map.of("mesh", pop));
    if (bbox.isEmpty()) {
      return legacyMesh(f, pop);
    }
    VlsvArray bb = bbox.get();
    long[] b = f.readLongs(bb);
    verify(f, b.length >= 3, bb.offset(), bb.describe() + " has " + b.length + " values, expected 6");
    int wid = b.length >= 4 && b[3] > 0 ? (int) Math.min(b[3], 64) : defaultWid(f);
    verify(f, b.length < 4 || b[3] == wid, bb.offset(), bb.describe() + ": block width " + b[3] + " is not plausible");
    double[] lo = new double[3];
    double[] dv = new double[3];
    String[] axes = {"X", "Y", "Z"};
    for (int d = 0; d < 3; d++) {
      verify(f, b[d] > 0 && b[d] <= 1 << 20, bb.offset(), bb.describe() + ": " + b[d] + " blocks along " + axes[d]);
    }
    verify(f, b[0] * b[1] * b[2] <= 1L << 32, bb.offset(), bb.describe() + ": " + b[0] + "x" + b[1] + "x" + b[2]
        + " blocks, more than 32-bit block IDs can number");
    for (int d = 0; d < 3; d++) {
      String crds = "MESH_NODE_CRDS_" + axes[d];
      VlsvArray c = f.find(crds, Map.of("mesh", pop)).orElseThrow(() ->
          new VlsvFormatException(f.path(), f.footerOffset(), "footer has no <" + crds + " mesh=\"" + pop + "\">"));
      long nodes = b[d] * wid + 1;
      verify(f, c.componentCount() == nodes, c.offset(),
          c.describe() + " has " + c.componentCount() + " nodes, expected " + nodes + " (" + b[d] + " blocks of " + wid + ")");
      double first = f.readDoubles(c, 0, 1)[0];
      double last = f.readDoubles(c, c.arraySize() - 1, 1)[0];
      lo[d] = first;
      dv[d] = (last - first) / (b[d] * wid);
      verify(f, dv[d] > 0 && Double.isFinite(dv[d]), c.offset(), c.describe() + ": node coordinates " + first
          + " .. " + last + " do not increase");
    }
    return new VelocityMesh(pop, (int) b[0], (int) b[1], (int) b[2], wid, lo[0], lo[1], lo[2], dv[0], dv[1], dv[2]);
  }

  private static VelocityMesh legacyMesh(VlsvFile f, String pop) throws IOException {
    String[] ax = {"x", "y", "z"};
    int[] n = new int[3];
    double[] lo = new double[3];
    double[] dv = new double[3];
    int wid = defaultWid(f);
    for (int d = 0; d < 3; d++) {
      OptionalDouble blocks = f.parameter("v" + ax[d] + "blocks_ini");
      OptionalDouble min = f.parameter("v" + ax[d] + "min");
      OptionalDouble max = f.parameter("v" + ax[d] + "max");
      verify(f, blocks.isPresent() && min.isPresent() && max.isPresent(), f.footerOffset(),
          "no velocity mesh for population " + pop + ": no <MESH_BBOX mesh=\"" + pop + "\"> and no PARAMETERs v"
              + ax[d] + "blocks_ini, v" + ax[d] + "min, v" + ax[d] + "max");
      double nb = blocks.getAsDouble();
      verify(f, nb >= 1 && nb <= 1 << 20 && nb == Math.rint(nb), f.footerOffset(),
          "PARAMETER v" + ax[d] + "blocks_ini = " + nb + " is not a block count");
      n[d] = (int) nb;
      lo[d] = min.getAsDouble();
      dv[d] = (max.getAsDouble() - lo[d]) / (n[d] * wid);
      verify(f, dv[d] > 0 && Double.isFinite(dv[d]), f.footerOffset(),
          "PARAMETERs v" + ax[d] + "min/max do not increase");
    }
    verify(f, (long) n[0] * n[1] * n[2] <= 1L << 32, f.footerOffset(), "PARAMETERs v*blocks_ini give " + n[0] + "x"
        + n[1] + "x" + n[2] + " blocks, more than 32-bit block IDs can number");
    return new VelocityMesh(pop, n[0], n[1], n[2], wid, lo[0], lo[1], lo[2], dv[0], dv[1], dv[2]);
  }

  private static int defaultWid(VlsvFile f) throws IOException {
    OptionalDouble w = f.parameter("velocity_block_width");
    if (w.isPresent() && w.getAsDouble() >= 1 && w.getAsDouble() <= 64 && w.getAsDouble() == Math.rint(w.getAsDouble())) {
      return (int) w.getAsDouble();
    }
    return 4;
  }

  /**
   * The cell index of a population: CELLSWITHBLOCKS (or, if missing, VARIABLE CellID) and BLOCKSPERCELL, checked
   * against the block count of BLOCKIDS and BLOCKVARIABLE.
   */
  public static VdfCellIndex cellIndex(VlsvFile f, String pop) throws IOException {
    VlsvArray bpcA = popArray(f, "BLOCKSPERCELL", pop);
    Optional<VlsvArray> cwb = pop.equals(LEGACY_POPULATION) && f.find("CELLSWITHBLOCKS", Map.of("name", pop)).isEmpty()
        ? f.arrays().stream().filter(x -> x.tag().equals("CELLSWITHBLOCKS") && x.attr("name").isEmpty()).findFirst()
        : f.find("CELLSWITHBLOCKS", Map.of("name", pop));
    VlsvArray cellsA = cwb.isPresent() ? cwb.get() : f.find("VARIABLE", Map.of("name", "CellID")).orElseThrow(() ->
        new VlsvFormatException(f.path(), f.footerOffset(), "footer has neither <CELLSWITHBLOCKS name=\"" + pop
            + "\"> nor <VARIABLE name=\"CellID\">"));
    long[] cells = f.readLongs(cellsA);
    long[] counts = f.readLongs(bpcA);
    verify(f, cells.length == counts.length, bpcA.offset(), bpcA.describe() + " has " + counts.length
        + " block counts but " + cellsA.describe() + " lists " + cells.length + " cells");
    int[] bpc = new int[counts.length];
    long total = 0;
    for (int p = 0; p < counts.length; p++) {
      if (counts[p] < 0 || counts[p] > Integer.MAX_VALUE) { // the message only then: once per cell
        throw new VlsvFormatException(f.path(), bpcA.offset() + p * bpcA.elementBytes(),
            bpcA.describe() + ": cell " + cells[p] + " has " + counts[p] + " blocks");
      }
      bpc[p] = (int) counts[p];
      total += counts[p];
    }
    VlsvArray ids = popArray(f, "BLOCKIDS", pop);
    VlsvArray vals = popArray(f, "BLOCKVARIABLE", pop);
    verify(f, ids.componentCount() == total, ids.offset(),
        ids.describe() + " has " + ids.componentCount() + " block IDs but BLOCKSPERCELL sums to " + total);
    verify(f, vals.arraySize() == total, vals.offset(),
        vals.describe() + " has " + vals.arraySize() + " blocks but BLOCKSPERCELL sums to " + total);
    return new VdfCellIndex(cells, bpc, requireValidCellList(f, cellsA, cells));
  }

  /**
   * Throws if {@code cells}, read from {@code cellsA} (a CELLSWITHBLOCKS array), lists a cell twice (it would have two
   * VDFs, and a restart writer could not place it) or, where the file has {@code <VARIABLE name="CellID">} on the same
   * mesh, lists a cell that is not in it (a VDF of no cell of the grid: a reader that places VDFs by CellID, as
   * Vlasiator's restart reader does, would lose it). The message names the entries and the offending one's byte.
   *
   * @return the cells' positions by ID, built for the check (the callers' index keeps it instead of sorting again)
   */
  public static CellPositions requireValidCellList(VlsvFile f, VlsvArray cellsA, long[] cells) throws IOException {
    CellPositions positions = new CellPositions(cells);
    int[] repeat = positions.firstRepeat();
    if (repeat != null) {
      int p = repeat[1];
      throw new VlsvFormatException(f.path(), cellsA.offset() + p * cellsA.elementBytes(), cellsA.describe()
          + ": cell " + cells[p] + " is listed twice (entries " + repeat[0] + " and " + p + ")");
    }
    Optional<VlsvArray> gridA = f.find("VARIABLE", cellsA.attr("mesh").map(m -> Map.of("name", "CellID", "mesh", m))
        .orElse(Map.of("name", "CellID")));
    if (gridA.isEmpty() || gridA.get().offset() == cellsA.offset()) {
      return positions;
    }
    long[] grid = f.readLongs(gridA.get());
    java.util.Arrays.sort(grid);
    for (int p = 0; p < cells.length; p++) {
      if (java.util.Arrays.binarySearch(grid, cells[p]) < 0) {
        throw new VlsvFormatException(f.path(), cellsA.offset() + p * cellsA.elementBytes(), cellsA.describe()
            + ": cell " + cells[p] + " (entry " + p + ") is not in " + gridA.get().describe() + " ("
            + grid.length + " cells)");
      }
    }
    return positions;
  }

  /** Reads the VDF of the cell at {@code position} of {@code index}. */
  public static CellVdf readCell(VlsvFile f, String pop, VelocityMesh mesh, VdfCellIndex index, int position)
      throws IOException {
    VlsvArray ids = popArray(f, "BLOCKIDS", pop);
    VlsvArray vals = popArray(f, "BLOCKVARIABLE", pop);
    verify(f, ids.vectorSize() == 1 && ids.dataSize() <= 8, ids.offset(),
        ids.describe() + ": vectorsize " + ids.vectorSize() + ", expected 1");
    verify(f, vals.vectorSize() == mesh.cellsPerBlock(), vals.offset(), vals.describe() + ": vectorsize "
        + vals.vectorSize() + " does not match the velocity block of " + mesh.cellsPerBlock() + " cells");
    verify(f, vals.dataType() == io.vdfc.vlsv.VlsvDataType.FLOAT, vals.offset(),
        vals.describe() + " is " + vals.dataType().footerName() + ", expected float (a compressed file?)");
    long first = index.firstBlock(position);
    int n = index.blocksPerCell()[position];
    long cellId = index.cellIds()[position];
    long[] gids = f.readLongs(ids, first, n);
    int[] blockIds = new int[n];
    for (int b = 0; b < n; b++) {
      if (gids[b] < 0 || gids[b] >= mesh.blockCount()) { // the message only then: this loop runs once per block
        throw new VlsvFormatException(f.path(), ids.offset() + (first + b) * ids.elementBytes(), "cell " + cellId + " of " + pop
            + ": block ID " + gids[b] + " is outside the " + mesh.blockCount() + "-block velocity mesh");
      }
      blockIds[b] = (int) gids[b];
    }
    float[] values = f.readFloats(vals, first, n);
    return new CellVdf(cellId, mesh, blockIds, values);
  }

  private static void verify(VlsvFile f, boolean ok, long offset, String reason) throws VlsvFormatException {
    if (!ok) {
      throw new VlsvFormatException(f.path(), offset, reason);
    }
  }
}
