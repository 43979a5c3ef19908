package io.vdfc.codec.vq;

import io.vdfc.codec.nn.DenseNet;

/**
 * A vector-quantised autoencoder of 4x4x4 block shapes (van den Oord et al. 2017): the encoder maps a block's 64
 * values, divided by its largest magnitude, to a latent vector of {@code d} values; the codebook holds {@code K} latent
 * vectors; the decoder maps a latent vector back to 64 values. A block is represented by the index of one code.
 *
 * <p>Encoder: 64, {@code widths[h-1]}, ..., {@code widths[0]}, {@code d} (ReLU hidden layers). Decoder: {@code d},
 * {@code widths[0]}, ..., {@code widths[h-1]}, 64. The codebook is {@code K x d}, code-major.
 */
final class VqVae {
  static final int BLOCK = 64;

  final DenseNet encoder;
  final DenseNet decoder;
  final float[] codebook;
  final int codes;
  final int latent;

  VqVae(DenseNet encoder, DenseNet decoder, float[] codebook, int codes, int latent) {
    if (codebook.length != codes * latent || decoder.inputs() != latent || decoder.outputs() != BLOCK
        || (encoder != null && (encoder.inputs() != BLOCK || encoder.outputs() != latent))) {
      throw new IllegalArgumentException("VQ-VAE parts do not fit: " + codes + " codes of " + latent + " values");
    }
    this.encoder = encoder;
    this.decoder = decoder;
    this.codebook = codebook;
    this.codes = codes;
    this.latent = latent;
  }

  /** Decoder layer sizes for latent {@code d} and hidden {@code widths}. */
  static int[] decoderSizes(int d, int[] widths) {
    int[] s = new int[widths.length + 2];
    s[0] = d;
    System.arraycopy(widths, 0, s, 1, widths.length);
    s[s.length - 1] = BLOCK;
    return s;
  }

  /** Encoder layer sizes: the decoder's, reversed. */
  static int[] encoderSizes(int d, int[] widths) {
    int[] dec = decoderSizes(d, widths);
    int[] s = new int[dec.length];
    for (int i = 0; i < dec.length; i++) {
      s[i] = dec[dec.length - 1 - i];
    }
    return s;
  }

  /** The decoder's hidden widths, from the latent side. */
  int[] widths() {
    int[] s = decoder.sizes();
    int[] w = new int[s.length - 2];
    System.arraycopy(s, 1, w, 0, w.length);
    return w;
  }

  /** The {@code K} decoded blocks, {@code table[k][l]}. */
  float[][] decodedCodes() {
    float[] flat = new float[codes * BLOCK];
    decoder.predict(codebook, codes, flat);
    float[][] t = new float[codes][BLOCK];
    for (int k = 0; k < codes; k++) {
      System.arraycopy(flat, k * BLOCK, t[k], 0, BLOCK);
    }
    return t;
  }

  /** Index of the code nearest (squared Euclidean) to the latent vector {@code z[off .. off+d)}. */
  static int nearestLatent(float[] codebook, int codes, int d, float[] z, int off) {
    int best = 0;
    float bestD = Float.MAX_VALUE;
    for (int k = 0; k < codes; k++) {
      float s = 0;
      int cb = k * d;
      for (int j = 0; j < d; j++) {
        float e = z[off + j] - codebook[cb + j];
        s += e * e;
      }
      if (s < bestD) {
        bestD = s;
        best = k;
      }
    }
    return best;
  }
}
