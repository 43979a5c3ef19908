package io.vdfc.bench;

import io.vdfc.codec.CorruptRecordException;
import io.vdfc.codec.SharedModelCodec;
import io.vdfc.codec.VdfCodec;
import io.vdfc.compress.CellCompressor;
import io.vdfc.compress.CompressionSettings;
import io.vdfc.compress.EncodedCell;
import io.vdfc.restart.CompressedVlsv;
import io.vdfc.restart.VlsvCompressor;
import io.vdfc.vdf.CellVdf;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * vdfc's full per-cell pipeline (codec, record, block IDs, conservation, bound check) with one setting. A shared-model
 * codec is first trained as a file write trains it (every k-th cell, at most its {@code maxTrainingCells}, at the
 * largest tolerance of the sample) and its model counted once, in {@link #sharedBytes()}. The bytes are those {@code
 * vdfc compress} counts in a file: each cell's record and its index entry, and once the population's settings text
 * and model.
 */
public final class PipelineSubject implements BenchSubject {
  private final CellCompressor compressor;
  private final String label;
  private final long sharedBytes;

  /** The pipeline of a codec without a shared model; {@code minValue} as the file records it (NaN: none). */
  public PipelineSubject(CompressionSettings settings, double minValue) {
    this.compressor = new CellCompressor(settings);
    this.label = label(settings);
    this.sharedBytes = VlsvCompressor.settingsText(settings, minValue, null).length;
  }

  /** The pipeline on {@code cells}: a shared-model codec gets its model trained on them and bound. */
  public PipelineSubject(CompressionSettings settings, List<CellVdf> cells, double minValue) {
    VdfCodec codec = settings.codec();
    byte[] model = null;
    if (codec instanceof SharedModelCodec smc && !codec.lossless()) {
      int stride = Math.max(1, (cells.size() + smc.maxTrainingCells() - 1) / smc.maxTrainingCells());
      List<CellVdf> sample = new ArrayList<>();
      double tol = 0;
      for (int i = 0; i < cells.size(); i += stride) {
        sample.add(cells.get(i));
        tol = Math.max(tol, settings.tolerance().resolve(minValue, cells.get(i).peak()));
      }
      model = smc.trainModel(sample, tol);
      settings = settings.withCodec(StudyBench.bind(smc, model));
    }
    this.compressor = new CellCompressor(settings);
    this.label = label(settings) + (model == null ? "" : " (model once)");
    this.sharedBytes = (model == null ? 0 : model.length)
        + VlsvCompressor.settingsText(settings, minValue, null).length;
  }

  private static String label(CompressionSettings s) {
    return s.codec().name() + (s.codec().lossless() ? "" : " " + s.tolerance() + (s.conserve() ? " +conserve" : ""));
  }

  @Override
  public String label() {
    return label;
  }

  /** The settings every cell is compressed with (a shared-model codec's bound to its model). */
  public CompressionSettings settings() {
    return compressor.settings();
  }

  @Override
  public long sharedBytes() {
    return sharedBytes;
  }

  @Override
  public Encoded encode(CellVdf cell, double minValue) {
    EncodedCell e = compressor.compress(cell, minValue);
    return new Encoded(e.record().length + CompressedVlsv.INDEX_ENTRY_BYTES, e.record());
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
