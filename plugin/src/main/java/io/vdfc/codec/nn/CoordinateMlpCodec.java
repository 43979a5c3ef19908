package io.vdfc.codec.nn;

import io.vdfc.codec.CodecOptions;
import io.vdfc.codec.CorruptRecordException;
import io.vdfc.codec.LossyCodec;
import io.vdfc.codec.VdfCodec;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VelocityMesh;
import java.nio.ByteBuffer;
import java.util.function.Function;

/**
 * What the per-cell coordinate-MLP codecs ({@code mlp}, {@code mlpff}) share: settings parsed from options on top of
 * the codec's defaults, and the {@link CoordinateMlp} payload. A subclass gives its name, id and defaults.
 */
public abstract class CoordinateMlpCodec extends LossyCodec {
  private final MlpSettings settings;
  private final Function<MlpSettings, VdfCodec> withSettings;

  protected CoordinateMlpCodec(String name, int id, MlpSettings settings, Function<MlpSettings, VdfCodec> withSettings) {
    super(name, id, CoordinateMlp.VERSION);
    this.settings = settings;
    this.withSettings = withSettings;
  }

  public MlpSettings settings() {
    return settings;
  }

  @Override
  public VdfCodec configure(CodecOptions options) {
    MlpSettings s = MlpSettings.parse(options, settings);
    return s.equals(settings) ? this : withSettings.apply(s);
  }

  @Override
  public String meshProblem(VelocityMesh mesh) {
    return VdfCodec.unless4x4x4(name(), mesh);
  }

  @Override
  public byte[] encode(CellVdf cell, double tolerance) {
    if (!(tolerance > 0) || Double.isInfinite(tolerance)) {
      throw new IllegalArgumentException(name() + " tolerance must be a positive finite number, got " + tolerance);
    }
    requireCodable(cell); // the decoder's block coordinates are those of 4x4x4 blocks (CoordinateMlp.decode)
    return CoordinateMlp.encode(cell, tolerance, settings, name());
  }

  @Override
  public float[] decode(ByteBuffer payload, VelocityMesh mesh, int[] blockIds, int version) throws CorruptRecordException {
    return CoordinateMlp.decode(payload, mesh, blockIds, version, name());
  }

  @Override
  public String toString() {
    return name() + settings;
  }
}
