package io.vdfc.vdf;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Read access to the VDFs of a file, whatever its encoding (plain VLSV: {@link VlsvVdfSource}; compressed files:
 * other implementations). Cells come in the file's stored order; positions index {@link #cellIds}.
 */
public interface VdfSource extends Closeable {

  /** The file read. */
  Path path();

  /** Populations in file order ({@code proton}, {@code antiproton}); empty for a file without VDFs. */
  List<String> populations();

  /**
   * The population a command works on: {@code requested}, or the first in file order when it is null.
   *
   * @throws NoVdfException if the file holds no VDFs at all
   * @throws IllegalArgumentException if it has no population {@code requested}, naming those it has
   */
  default String choosePopulation(String requested) {
    List<String> pops = populations();
    if (pops.isEmpty()) {
      throw new NoVdfException(path(), null);
    }
    if (requested == null) {
      return pops.get(0);
    }
    if (!pops.contains(requested)) {
      throw new IllegalArgumentException(path() + ": no population " + requested + " (has " + pops + ")");
    }
    return requested;
  }

  /** The velocity mesh of a population. */
  VelocityMesh mesh(String pop) throws IOException;

  /**
   * Fails naming both files when {@code other}'s velocity mesh of {@code pop} is not this file's: the same block ID
   * then stands for other velocities, and comparing their cells value by value gives numbers that mean nothing.
   */
  default void requireSameMesh(VdfSource other, String pop) throws IOException {
    VelocityMesh a = mesh(pop);
    VelocityMesh b = other.mesh(pop);
    if (!a.equals(b)) {
      throw new IllegalArgumentException(path() + " and " + other.path() + " have different velocity meshes of " + pop
          + " (" + a.summary() + "; " + b.summary() + "): their cells cannot be compared");
    }
  }

  /** IDs of the cells with a stored VDF, in stored order (restarts: every cell, some with 0 blocks). */
  long[] cellIds(String pop) throws IOException;

  /** The VDF of a cell by its ID; {@link IllegalArgumentException} if the file stores none for it. */
  CellVdf cell(String pop, long cellId) throws IOException;

  /** The VDF of the cell at a position of {@link #cellIds}. */
  CellVdf cellAt(String pop, int position) throws IOException;

  /** Sparsity threshold {@code <pop>_sparse.minValue} of the run, NaN if unknown. */
  double minValue(String pop) throws IOException;

  /** Particle mass of the population in kg (from the run's cfg), NaN if unknown. */
  default double particleMass(String pop) throws IOException {
    return Double.NaN;
  }
}
