package io.vdfc.codec.mlpff;

import io.vdfc.codec.nn.CoordinateMlp;
import io.vdfc.codec.nn.CoordinateMlpCodec;
import io.vdfc.codec.nn.MlpSettings;

/**
 * The coordinate MLP of {@code mlp} with random Fourier features of the normalised velocity as inputs (the method
 * study's "MLP + Fourier features" row): {@code order} frequencies drawn from a seeded Gaussian of deviation
 * {@code sigma}, stored as the seed, so they cost 12 bytes. Weights quantised, then a zfpb residual so the tolerance
 * holds ({@code residual=off}: the model alone). Payload layout: {@link CoordinateMlp}.
 *
 * <p>Options ({@link MlpSettings}): defaults {@code order=16,sigma=0.3,layers=3,width=32,epochs=10,bits=10,decades=3,peakweight=100,residual=on}.
 */
public final class MlpFfCodec extends CoordinateMlpCodec {
  public static final String NAME = "mlpff";
  public static final int ID = 21;
  static final MlpSettings DEFAULT = new MlpSettings(3, 32, 10, 512, 3e-3, 10, 16, 0.3, 1, 3, 100, true,
      MlpSettings.defaultThreads(), false);

  public MlpFfCodec() {
    this(DEFAULT);
  }

  private MlpFfCodec(MlpSettings settings) {
    super(NAME, ID, settings, MlpFfCodec::new);
  }
}
