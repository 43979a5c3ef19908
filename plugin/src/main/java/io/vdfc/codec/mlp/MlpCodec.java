package io.vdfc.codec.mlp;

import io.vdfc.codec.nn.CoordinateMlp;
import io.vdfc.codec.nn.CoordinateMlpCodec;
import io.vdfc.codec.nn.MlpSettings;

/**
 * A coordinate MLP per cell: normalised velocity to log-scaled phase-space density, ReLU hidden layers, trained on the
 * cell's values with Adam, weights quantised into the payload, then a zfpb residual so the tolerance holds (the
 * method study's "MLP" row; {@code residual=off} gives the model alone, as the study measured it). Payload layout:
 * {@link CoordinateMlp}.
 *
 * <p>Options ({@link MlpSettings}): defaults {@code layers=4,width=25,epochs=20,bits=12,decades=3,peakweight=100,residual=on} (the study's
 * 4 x 25 network, 20 epochs).
 */
public final class MlpCodec extends CoordinateMlpCodec {
  public static final String NAME = "mlp";
  public static final int ID = 20;
  static final MlpSettings DEFAULT = new MlpSettings(4, 25, 20, 512, 3e-3, 12, 0, 1, 1, 3, 100, true,
      MlpSettings.defaultThreads(), false);

  public MlpCodec() {
    this(DEFAULT);
  }

  private MlpCodec(MlpSettings settings) {
    super(NAME, ID, settings, MlpCodec::new);
  }
}
