package io.vdfc.codec;

import io.vdfc.vdf.CellVdf;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * A codec whose cells share a model stored once per population in a file: a basis (PCA), a codebook (VQ), network
 * weights (MLP for a group of cells). The model's bytes are written to the file's {@code VDFC_MODEL} array and counted
 * once in the file's ratio; a single-cell figure counts them in full.
 *
 * <p>Training is deterministic for the same cells, so a run gives the same file whatever its number of ranks: rank 0
 * trains on a deterministic sample of the population's cells and broadcasts the bytes.
 */
public interface SharedModelCodec extends VdfCodec {

  /**
   * Trains the shared model.
   *
   * @param sample cells of the population (a deterministic subset when the population is large)
   * @param tolerance the absolute bound the cells will be encoded with (the largest over the sample's cells)
   * @return the model bytes, self-describing (the codec's own version inside)
   */
  byte[] trainModel(List<CellVdf> sample, double tolerance);

  /**
   * This codec bound to a model: its {@code encode} and {@code decode} use it.
   *
   * @param model the bytes {@link #trainModel} returned, positioned at their start
   * @throws CorruptRecordException if the bytes are not a model of this codec
   */
  VdfCodec withModel(ByteBuffer model) throws CorruptRecordException;

  /** Cells a model is trained on at most (the pipeline samples every k-th cell above this). */
  default int maxTrainingCells() {
    return 256;
  }
}
