package io.vdfc.codec.model;

import static io.vdfc.codec.CorruptRecordException.verify;

import io.vdfc.codec.CorruptRecordException;
import io.vdfc.codec.LossyCodec;
import io.vdfc.codec.VdfCodec;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VelocityMesh;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Supplier;

/**
 * The frame of the model codecs: a candidate list of model sections per cell, the {@link ModelPayload} layout around
 * them, and the options of {@link ModelSettings}: {@code residual=on} (the default) keeps the bound, {@code residual=off}
 * gives the model alone, whose error is whatever the model achieves, so the pipeline falls back for it (study figures).
 */
public abstract class ModelCodec extends LossyCodec {
  protected final ModelSettings frame;
  protected final boolean residual;

  protected ModelCodec(String name, int id, int version, ModelSettings frame) {
    super(name, id, version);
    this.frame = frame;
    this.residual = frame.residual();
  }

  /** The model sections to try for this cell, in increasing detail. */
  protected abstract List<Supplier<byte[]>> candidates(CellVdf cell, double tolerance);

  /** Reads one model section written by a candidate. */
  protected abstract float[] decodeModel(PayloadReader in, VelocityMesh mesh, int[] blockIds)
      throws CorruptRecordException;

  /** The residual stage codes 4x4x4 blocks; without it any mesh will do. */
  @Override
  public String meshProblem(VelocityMesh mesh) {
    return residual ? VdfCodec.unless4x4x4(name() + "'s residual stage", mesh) : null;
  }

  @Override
  public final byte[] encode(CellVdf cell, double tolerance) {
    if (!(tolerance > 0) || Double.isInfinite(tolerance)) {
      throw new IllegalArgumentException(name() + " tolerance must be a positive finite number, got " + tolerance);
    }
    requireCodable(cell);
    for (float v : cell.values()) {
      if (!Float.isFinite(v)) {
        throw new IllegalArgumentException(name() + ": cell " + cell.cellId() + " has a non-finite value");
      }
    }
    return ModelPayload.encode(cell, tolerance, residual, frame.alwaysModel(), candidates(cell, tolerance), this::decodeModel,
        name());
  }

  @Override
  public final float[] decode(ByteBuffer payload, VelocityMesh mesh, int[] blockIds, int version)
      throws CorruptRecordException {
    verify(version >= 1 && version <= version(), "%s payload version %d, this build reads 1..%d", name(), version,
        version());
    return ModelPayload.decode(payload, mesh, blockIds, this::decodeModel, name());
  }
}
