package io.vdfc.codec.vq;

import static io.vdfc.codec.CorruptRecordException.verify;

import io.vdfc.codec.CorruptRecordException;
import io.vdfc.codec.nn.Quantiser;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The learned codebook: {@code K} block shapes of 64 values (4x4x4, x fastest), each normalised to a largest magnitude
 * of about 1. Model layout (the bytes stored once per population in {@code VDFC_MODEL}):
 * <pre>
 *   4 bytes  "VQCB"
 *   u8       model version (1)
 *   u16 LE   K, 1..255
 *   u8       bits per codebook value, 2..16
 *   K x      codeword as a {@link Quantiser} tensor of 64 values
 * </pre>
 */
final class Codebook {
  static final int MODEL_VERSION = 1;
  static final int MAX_CODES = 255;
  private static final byte[] MAGIC = {'V', 'Q', 'C', 'B'};

  final float[][] codes;
  /** Squared norms of the codes. */
  final double[] norm2;

  Codebook(float[][] codes) {
    this.codes = codes;
    this.norm2 = new double[codes.length];
    for (int c = 0; c < codes.length; c++) {
      double s = 0;
      for (float v : codes[c]) {
        s += (double) v * v;
      }
      norm2[c] = s;
    }
  }

  int size() {
    return codes.length;
  }

  /** The model bytes; the codes are rounded to their stored values (so build the codebook from {@link #read}). */
  static byte[] write(float[][] codes, int bits) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(MAGIC, 0, 4);
    out.write(MODEL_VERSION);
    out.write(codes.length & 0xff);
    out.write(codes.length >>> 8);
    out.write(bits);
    for (float[] c : codes) {
      Quantiser.write(out, c.clone(), bits);
    }
    return out.toByteArray();
  }

  static Codebook read(ByteBuffer in) throws CorruptRecordException {
    in.order(ByteOrder.LITTLE_ENDIAN);
    verify(in.remaining() >= 8, "vq model: %d bytes, expected at least 8", in.remaining());
    byte[] magic = new byte[4];
    in.get(magic);
    verify(magic[0] == 'V' && magic[1] == 'Q' && magic[2] == 'C' && magic[3] == 'B', "vq model does not start with VQCB");
    int version = in.get() & 0xff;
    verify(version == MODEL_VERSION, "vq model version %d, this build reads %d", version, MODEL_VERSION);
    int k = in.getShort() & 0xffff;
    int bits = in.get() & 0xff;
    verify(k >= 1 && k <= MAX_CODES, "vq model with %d codes, expected 1..%d", k, MAX_CODES);
    verify(bits >= 2 && bits <= 16, "vq model with %d bits per value, expected 2..16", bits);
    verify(in.remaining() >= (long) k * Quantiser.size(64, bits), "vq model: %d codes need %d bytes, %d left", k,
        k * Quantiser.size(64, bits), in.remaining());
    float[][] codes = new float[k][64];
    for (int c = 0; c < k; c++) {
      Quantiser.read(in, codes[c], bits, "vq code " + c);
    }
    return new Codebook(codes);
  }

  /** The code nearest to {@code shape} (64 values from {@code off}) in the least-squares-scaled sense. */
  int nearest(float[] block, int off) {
    double bb = 0;
    for (int l = 0; l < 64; l++) {
      bb += (double) block[off + l] * block[off + l];
    }
    int best = 0;
    double bestErr = Double.MAX_VALUE;
    for (int c = 0; c < codes.length; c++) {
      if (norm2[c] <= 0) {
        continue;
      }
      float[] code = codes[c];
      double dot = 0;
      for (int l = 0; l < 64; l++) {
        dot += (double) block[off + l] * code[l];
      }
      double err = bb - (dot > 0 ? dot * dot / norm2[c] : 0); // residual energy after the best non-negative scale
      if (err < bestErr) {
        bestErr = err;
        best = c;
      }
    }
    return best;
  }
}
