package io.vdfc.codec.mlpff;

import io.vdfc.codec.CodecOptions;
import io.vdfc.codec.CorruptRecordException;
import io.vdfc.codec.VdfCodec;
import io.vdfc.codec.nn.CoordinateMlp;
import io.vdfc.codec.nn.MlpSettings;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VelocityMesh;
import java.nio.ByteBuffer;

/**
 * The coordinate MLP of {@code mlp} with random Fourier features of the normalised velocity as inputs (the method
 * study's "MLP + Fourier features" row): {@code order} frequencies drawn from a seeded Gaussian of deviation
 * {@code sigma}, stored as the seed, so they cost 12 bytes. Weights quantised, then a zfpb residual so the tolerance
 * holds ({@code residual=off}: the model alone). Payload layout: {@link CoordinateMlp}.
 *
 * <p>Options ({@link MlpSettings}): defaults {@code order=16,sigma=0.3,layers=3,width=32,epochs=10,bits=10,decades=3,peakweight=100,residual=on}.
 */
public final class MlpFfCodec implements VdfCodec {
  public static final String NAME = "mlpff";
  public static final int ID = 21;
  static final MlpSettings DEFAULT = new MlpSettings(3, 32, 10, 512, 3e-3, 10, 16, 0.3, 1, 3, 100, true,
      MlpSettings.defaultThreads(), false);

  private final MlpSettings settings;

  public MlpFfCodec() {
    this(DEFAULT);
  }

  private MlpFfCodec(MlpSettings settings) {
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
    return s.equals(settings) ? this : new MlpFfCodec(s);
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
