package io.vdfc.codec.grid;

import io.vdfc.codec.CorruptRecordException;
import io.vdfc.codec.zfpb.ZfpbCodec;
import java.nio.ByteBuffer;

/**
 * The residual stage that makes a model codec (transform, fit, basis) error-bounded: {@code f - model} on the cell's
 * blocks coded by zfpb in accuracy mode with the codec's tolerance, so {@code model + residual} is within the bound on
 * every value. Blocks where the model already meets the bound cost zfpb's one bit. The residual is the last part of a
 * payload: it runs to the payload's limit.
 */
public final class Residual {
  /** Share of the tolerance given to zfpb; the rest absorbs float32 rounding of {@code model + residual}. */
  static final double SHARE = 0.999;
  private static final ZfpbCodec ZFPB = new ZfpbCodec();

  private Residual() {
    throw new AssertionError("no instances");
  }

  /** zfpb bytes of {@code values - model} ({@code 64 * nBlocks} each). */
  public static byte[] encode(float[] values, float[] model, double tolerance) {
    float[] r = new float[values.length];
    for (int i = 0; i < r.length; i++) {
      r[i] = (float) ((double) values[i] - model[i]);
    }
    return ZFPB.encodeBlocks(r, values.length / 64, tolerance * SHARE);
  }

  /** Adds the residual read from the rest of {@code payload} (to its limit) to {@code model}, in place. */
  public static float[] apply(ByteBuffer payload, float[] model) throws CorruptRecordException {
    float[] r = ZFPB.decodeBlocks(payload, model.length / 64);
    CorruptRecordException.verify(r.length == model.length, "residual holds %d values, expected %d", r.length, model.length);
    for (int i = 0; i < r.length; i++) {
      model[i] = (float) ((double) model[i] + r[i]);
    }
    return model;
  }
}
