package io.vdfc.bench;

import io.vdfc.codec.CorruptRecordException;
import io.vdfc.codec.VdfCodec;
import io.vdfc.compress.CellCompressor;
import io.vdfc.compress.CompressionSettings;
import io.vdfc.compress.EncodedCell;
import io.vdfc.vdf.CellVdf;
import java.nio.ByteBuffer;

/** vdfc's full per-cell pipeline (codec, record, block IDs, conservation, bound check) with one setting. */
public final class PipelineSubject implements BenchSubject {
  private final CellCompressor compressor;
  private final String label;

  public PipelineSubject(CompressionSettings settings) {
    this.compressor = new CellCompressor(settings);
    this.label = settings.codec().name() + (settings.codec().lossless() ? "" : " " + settings.tolerance()
        + (settings.conserve() ? " +conserve" : ""));
  }

  @Override
  public String label() {
    return label;
  }

  @Override
  public Encoded encode(CellVdf cell, double minValue) {
    EncodedCell e = compressor.compress(cell, minValue);
    return new Encoded(e.record().length, e.record());
  }

  @Override
  public CellVdf decode(Encoded e, CellVdf original) {
    try {
      // The configured codec decodes its own records (a shared-model codec used without a model, e.g. pca in the
      // cell scope, needs no file model then).
      VdfCodec own = compressor.settings().codec();
      return CellCompressor.decompress(ByteBuffer.wrap((byte[]) e.data()), original.mesh(), original.cellId(),
          original.blockCount(), registered -> registered.id() == own.id() ? own : registered);
    } catch (CorruptRecordException ex) {
      throw new IllegalStateException("cannot decode own record of cell " + original.cellId(), ex);
    }
  }
}
