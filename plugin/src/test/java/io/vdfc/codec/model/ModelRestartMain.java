package io.vdfc.codec.model;

import io.vdfc.codec.CodecOptions;
import io.vdfc.codec.CodecRegistry;
import io.vdfc.codec.Tolerance;
import io.vdfc.codec.VdfCodec;
import io.vdfc.compress.CellCompressor;
import io.vdfc.compress.CompressionSettings;
import io.vdfc.compress.EncodedCell;
import io.vdfc.record.CellRecord;
import io.vdfc.testing.SharedData;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VlsvVdfSource;
import java.nio.ByteBuffer;

/**
 * Every cell of the real restart through the pipeline at 1*minValue: {@code ModelRestartMain CODEC [OPTIONS]}; prints
 * the ratio of reference to record bytes (cell records only, no file index), cells on the codec vs fallback, the
 * largest model-decode time and the total encode time.
 */
public final class ModelRestartMain {
  private ModelRestartMain() {
    throw new AssertionError("no instances");
  }

  public static void main(String[] args) throws Exception {
    VdfCodec codec = CodecRegistry.get().byName(args[0]).configure(CodecOptions.parse(args.length > 1 ? args[1] : ""));
    CellCompressor cc = new CellCompressor(new CompressionSettings(codec, new Tolerance(Tolerance.Kind.MIN_VALUE, 1), true));
    try (VlsvVdfSource src = VlsvVdfSource.open(SharedData.realRestart())) {
      String pop = src.populations().get(0);
      double minValue = src.minValue(pop);
      long ref = 0, rec = 0, enc = 0, worstDecode = 0;
      int own = 0, maxBlocks = 0;
      int n = src.cellIds(pop).length;
      for (int i = 0; i < n; i++) {
        CellVdf cell = src.cellAt(pop, i);
        maxBlocks = Math.max(maxBlocks, cell.blockCount());
        long t0 = System.nanoTime();
        EncodedCell e = cc.compress(cell, minValue);
        enc += System.nanoTime() - t0;
        ref += cell.referenceBytes();
        rec += e.record().length;
        CellRecord r = CellRecord.read(ByteBuffer.wrap(e.record()), cell.mesh().blockCount(), cell.blockCount());
        if (r.codecId() == codec.id()) {
          own++;
          long t1 = System.nanoTime();
          codec.decode(r.payload(), cell.mesh(), r.blockIds(), r.codecVersion());
          worstDecode = Math.max(worstDecode, System.nanoTime() - t1);
        }
      }
      System.out.printf("%s %s: %d cells (max %d blocks), ratio %.2f, %d on the codec, worst decode %.1f ms, encode %.1f s%n",
          args[0], args.length > 1 ? args[1] : "", n, maxBlocks, (double) ref / rec, own, worstDecode / 1e6, enc / 1e9);
    }
  }
}
