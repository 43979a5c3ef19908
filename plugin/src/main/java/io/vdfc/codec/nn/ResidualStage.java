package io.vdfc.codec.nn;

import static io.vdfc.codec.CorruptRecordException.verify;

import io.vdfc.codec.CorruptRecordException;
import io.vdfc.codec.zfpb.ZfpbCodec;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The stage that makes a model-based codec meet a pointwise bound: the difference between the cell and the model's
 * prediction coded by zfpb (error-bounded), so that {@code |prediction + residual' - f| <= tolerance} on every value.
 *
 * <p>Per block, the prediction is used only where it leaves a residual of at most half the block's largest value (at
 * least one zfpb bit plane saved); elsewhere the block's values are coded as they are. A wild prediction so never costs
 * more than one bit per block.
 *
 * <p>Layout: {@code ceil(nBlocks / 8)} bytes of the per-block mask (bit {@code b % 8} of byte {@code b / 8}: block
 * {@code b} uses the prediction), u32 LE length {@code L}, then {@code L} bytes of zfpb blocks (64 values per block, the
 * cell's blocks in stored order).
 */
public final class ResidualStage {
  private static final ZfpbCodec ZFPB = new ZfpbCodec();

  private ResidualStage() {
    throw new AssertionError("no instances");
  }

  /**
   * Appends the residual of {@code values} against {@code prediction} to {@code out}, tightened until the decoded sum
   * meets {@code tolerance} on every value (float rounding of the sum is accounted for). Blocks whose prediction is not
   * used are zeroed in {@code prediction}.
   */
  public static void write(ByteArrayOutputStream out, float[] values, float[] prediction, double tolerance) {
    int nBlocks = values.length / 64;
    byte[] mask = new byte[(nBlocks + 7) / 8];
    for (int b = 0; b < nBlocks; b++) {
      float fMax = 0, rMax = 0;
      for (int l = 64 * b; l < 64 * b + 64; l++) {
        fMax = Math.max(fMax, Math.abs(values[l]));
        rMax = Math.max(rMax, Math.abs(values[l] - prediction[l]));
      }
      if (rMax <= 0.5f * fMax) {
        mask[b >>> 3] |= (byte) (1 << (b & 7));
      } else {
        java.util.Arrays.fill(prediction, 64 * b, 64 * b + 64, 0f);
      }
    }
    out.write(mask, 0, mask.length);
    writeUnmasked(out, values, prediction, tolerance);
  }

  /**
   * {@link #write} without the block mask, for a codec that records itself which blocks use a prediction: the
   * prediction is taken as it is (zeros where none is used). Layout: u32 LE length {@code L}, then {@code L} bytes of
   * zfpb blocks.
   */
  public static void writeUnmasked(ByteArrayOutputStream out, float[] values, float[] prediction, double tolerance) {
    int nBlocks = values.length / 64;
    float[] r = new float[values.length];
    for (int k = 0; k < r.length; k++) {
      r[k] = (float) ((double) values[k] - prediction[k]);
    }
    double tol = tolerance;
    for (int attempt = 0; ; attempt++) {
      byte[] z = ZFPB.encodeBlocks(r, nBlocks, tol);
      float[] back;
      try {
        back = ZFPB.decodeBlocks(ByteBuffer.wrap(z), nBlocks);
      } catch (CorruptRecordException e) {
        throw new IllegalStateException("zfpb cannot decode its own residual", e);
      }
      boolean ok = true;
      for (int k = 0; k < r.length && ok; k++) {
        ok = Math.abs((double) (prediction[k] + back[k]) - values[k]) <= tolerance;
      }
      if (ok || attempt >= 40) {
        ByteBuffer len = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(z.length);
        out.write(len.array(), 0, 4);
        out.write(z, 0, z.length);
        return;
      }
      tol /= 2;
    }
  }

  /** Adds the residual read from {@code in} to {@code prediction} (in place) and returns it. */
  public static float[] read(ByteBuffer in, float[] prediction) throws CorruptRecordException {
    int nBlocks = prediction.length / 64;
    int maskBytes = (nBlocks + 7) / 8;
    verify(in.remaining() >= maskBytes, "residual block mask: %d bytes left at offset %d, expected %d", in.remaining(),
        in.position(), maskBytes);
    for (int b = 0; b < nBlocks; b++) {
      if ((in.get(in.position() + (b >>> 3)) & (1 << (b & 7))) == 0) {
        java.util.Arrays.fill(prediction, 64 * b, 64 * b + 64, 0f);
      }
    }
    in.position(in.position() + maskBytes);
    return readUnmasked(in, prediction);
  }

  /** Adds a residual written by {@link #writeUnmasked} to {@code prediction} (in place) and returns it. */
  public static float[] readUnmasked(ByteBuffer in, float[] prediction) throws CorruptRecordException {
    verify(in.remaining() >= 4, "residual length: %d bytes left at offset %d, expected 4", in.remaining(), in.position());
    int len = in.order(ByteOrder.LITTLE_ENDIAN).getInt();
    verify(len >= 0 && len <= in.remaining(), "residual of %d bytes at offset %d, %d bytes left", len, in.position(),
        in.remaining());
    ByteBuffer z = in.slice();
    z.limit(len);
    float[] back = ZFPB.decodeBlocks(z, prediction.length / 64);
    in.position(in.position() + len);
    for (int k = 0; k < prediction.length; k++) {
      prediction[k] += back[k];
    }
    return prediction;
  }
}
