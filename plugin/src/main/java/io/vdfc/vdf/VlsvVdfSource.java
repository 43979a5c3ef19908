package io.vdfc.vdf;

import io.vdfc.vlsv.VlsvFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link VdfSource} over a plain VLSV file (restart or bulk), decoded by {@link VlsvVdfReader}. Meshes, cell indexes
 * and the run's cfg are read once and cached; cells are read on demand. Safe to use from several threads.
 */
public final class VlsvVdfSource implements VdfSource {
  private final VlsvFile file;
  private final boolean owner;
  private final List<String> populations;
  private final Map<String, VelocityMesh> meshes = new HashMap<>();
  private final Map<String, VdfCellIndex> indexes = new HashMap<>();
  private RunConfigText config;
  private boolean configRead;

  private VlsvVdfSource(VlsvFile file, boolean owner) {
    this.file = file;
    this.owner = owner;
    this.populations = List.copyOf(VlsvVdfReader.populations(file));
  }

  /** Opens a file; {@link #close()} closes it. */
  public static VlsvVdfSource open(Path path) throws IOException {
    return new VlsvVdfSource(VlsvFile.open(path), true);
  }

  /** Reads from an already open file, which stays open on {@link #close()}. */
  public static VlsvVdfSource of(VlsvFile file) {
    return new VlsvVdfSource(file, false);
  }

  /** The underlying file. */
  public VlsvFile file() {
    return file;
  }

  @Override
  public Path path() {
    return file.path();
  }

  @Override
  public List<String> populations() {
    return populations;
  }

  @Override
  public synchronized VelocityMesh mesh(String pop) throws IOException {
    checkPop(pop);
    VelocityMesh m = meshes.get(pop);
    if (m == null) {
      m = VlsvVdfReader.mesh(file, pop);
      meshes.put(pop, m);
    }
    return m;
  }

  /** The cell index (cell IDs, block counts, first blocks) of a population. */
  public synchronized VdfCellIndex index(String pop) throws IOException {
    checkPop(pop);
    VdfCellIndex ix = indexes.get(pop);
    if (ix == null) {
      ix = VlsvVdfReader.cellIndex(file, pop);
      indexes.put(pop, ix);
    }
    return ix;
  }

  @Override
  public long[] cellIds(String pop) throws IOException {
    return index(pop).cellIds().clone();
  }

  @Override
  public CellVdf cell(String pop, long cellId) throws IOException {
    VdfCellIndex ix = index(pop);
    int p = ix.position(cellId).orElseThrow(() -> new IllegalArgumentException(
        path().getFileName() + ": no stored VDF of " + pop + " for cell " + cellId));
    return cellAt(pop, p);
  }

  @Override
  public CellVdf cellAt(String pop, int position) throws IOException {
    VdfCellIndex ix = index(pop);
    if (position < 0 || position >= ix.cellCount()) {
      throw new IndexOutOfBoundsException(path().getFileName() + ": cell position " + position + " of " + pop
          + " with " + ix.cellCount() + " cells");
    }
    return VlsvVdfReader.readCell(file, pop, mesh(pop), ix, position);
  }

  /** From the CONFIG text: {@code <pop>_sparse.minValue}, Vlasiator's default 1e-15 if unset; NaN without CONFIG. */
  @Override
  public double minValue(String pop) throws IOException {
    checkPop(pop);
    RunConfigText c = config();
    return c == null ? Double.NaN : c.minValue(pop);
  }

  /**
   * From the CONFIG text: {@code <pop>_properties.mass} in {@code mass_units} (PROTON, ELECTRON), using Vlasiator's
   * constants (proton 1.67262158e-27 kg); NaN if not stated.
   */
  @Override
  public double particleMass(String pop) throws IOException {
    checkPop(pop);
    RunConfigText c = config();
    return c == null ? Double.NaN : c.particleMass(pop);
  }

  private synchronized RunConfigText config() throws IOException {
    if (!configRead) {
      var text = file.configText();
      config = text.map(RunConfigText::parse).orElse(null);
      configRead = true;
    }
    return config;
  }

  private void checkPop(String pop) {
    if (!populations.contains(pop)) {
      throw new IllegalArgumentException(path().getFileName() + ": no population \"" + pop + "\"; the file has "
          + populations);
    }
  }

  @Override
  public void close() throws IOException {
    if (owner) {
      file.close();
    }
  }
}
