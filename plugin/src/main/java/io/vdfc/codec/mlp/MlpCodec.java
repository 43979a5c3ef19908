package io.vdfc.codec.mlp;

import io.vdfc.codec.CodecOptions;
import io.vdfc.codec.CorruptRecordException;
import io.vdfc.codec.VdfCodec;
import io.vdfc.codec.nn.CoordinateMlp;
import io.vdfc.codec.nn.MlpSettings;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VelocityMesh;
import java.nio.ByteBuffer;

/**
 * A coordinate MLP per cell: normalised velocity to log-scaled phase-space density, ReLU hidden layers, trained on the
 * cell's values with Adam, weights quantised into the payload, then a zfpb residual so the tolerance holds (the
 * method study's "MLP" row; {@code residual=off} gives the model alone, as the study measured it). Payload layout:
 * {@link CoordinateMlp}.
 *
 * <p>Options ({@link MlpSettings}): defaults {@code layers=4,width=25,epochs=20,bits=12,decades=3,peakweight=100,residual=on} (the study's
 * 4 x 25 network, 20 epochs).
 */
public final class MlpCodec implements VdfCodec {
  public static final String NAME = "mlp";
  public static final int ID = 20;
  static final MlpSettings DEFAULT = new MlpSettings(4, 25, 20, 512, 3e-3, 12, 0, 1, 1, 3, 100, true,
      MlpSettings.defaultThreads(), false);

  private final MlpSettings settings;

  public MlpCodec() {
    this(DEFAULT);
  }

  private MlpCodec(MlpSettings settings) {
    this.settings = settings;
  }

  public MlpSettings settings() {
    return settings;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int id() {
    return ID;
  }

  @Override
  public int version() {
    return CoordinateMlp.VERSION;
  }

  @Override
  public boolean lossless() {
    return false;
  }

  @Override
  public VdfCodec configure(CodecOptions options) {
    MlpSettings s = MlpSettings.parse(options, settings);
    return s.equals(settings) ? this : new MlpCodec(s);
  }

  @Override
  public byte[] encode(CellVdf cell, double tolerance) {
    if (!(tolerance > 0) || Double.isInfinite(tolerance)) {
      throw new IllegalArgumentException(NAME + " tolerance must be a positive finite number, got " + tolerance);
    }
    return CoordinateMlp.encode(cell, tolerance, settings, NAME);
  }

  @Override
  public float[] decode(ByteBuffer payload, VelocityMesh mesh, int[] blockIds, int version) throws CorruptRecordException {
    return CoordinateMlp.decode(payload, mesh, blockIds, version, NAME);
  }

  @Override
  public String toString() {
    return NAME + settings;
  }
}
