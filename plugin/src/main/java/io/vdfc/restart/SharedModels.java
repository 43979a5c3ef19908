package io.vdfc.restart;

import io.vdfc.codec.CorruptRecordException;
import io.vdfc.codec.SharedModelCodec;
import io.vdfc.codec.Tolerance;
import io.vdfc.compress.CompressionSettings;
import io.vdfc.parallel.Collectives;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VdfSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Training of a population's shared model: rank 0 reads a deterministic sample (every k-th cell of the file's order)
 * and trains; the bytes are broadcast. The same file gives the same model for any number of ranks.
 */
final class SharedModels {
  private SharedModels() {
    throw new AssertionError("no instances");
  }

  static byte[] train(SharedModelCodec codec, VdfSource src, String pop, Tolerance tolerance, double minValue,
      Collectives c) throws IOException {
    byte[] model = new byte[0];
    Exception failure = null;
    if (c.rank() == 0) {
      try {
        long[] ids = src.cellIds(pop);
        int stride = Math.max(1, (ids.length + codec.maxTrainingCells() - 1) / codec.maxTrainingCells());
        List<CellVdf> sample = new ArrayList<>();
        double tol = 0;
        for (int i = 0; i < ids.length; i += stride) {
          CellVdf cell = src.cellAt(pop, i);
          sample.add(cell);
          tol = Math.max(tol, tolerance.resolve(minValue, cell.peak()));
        }
        model = codec.trainModel(sample, tol);
      } catch (IOException | RuntimeException e) {
        failure = e;
      }
    }
    VlsvRewrite.agreeOrRethrow(failure, "training the " + codec.name() + " model of " + pop, c);
    long len = c.allreduceMax(new long[] {model.length})[0];
    byte[] shared = c.rank() == 0 ? model : new byte[Math.toIntExact(len)];
    c.broadcast(shared, 0);
    return shared;
  }

  static CompressionSettings bind(CompressionSettings s, SharedModelCodec codec, byte[] model) {
    try {
      return s.withCodec(codec.withModel(ByteBuffer.wrap(model)));
    } catch (CorruptRecordException e) {
      throw new IllegalStateException(codec.name() + " cannot read the model it trained: " + e.getMessage(), e);
    }
  }
}
