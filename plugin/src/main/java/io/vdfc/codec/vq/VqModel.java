package io.vdfc.codec.vq;

import static io.vdfc.codec.CorruptRecordException.verify;

import io.vdfc.codec.CorruptRecordException;
import io.vdfc.codec.nn.DenseNet;
import io.vdfc.codec.nn.Quantiser;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The vq codec's shared model as stored once per population in a file's {@code VDFC_MODEL}, read into the table of its
 * {@code K} decoded blocks (what decoding uses) and, where the bytes carry one, the encoder that proposes codes.
 *
 * <p>Layout of the VQ-VAE model (model version 1, little-endian; read with payload format 2):
 * <pre>
 *   4 bytes  "VQVA"
 *   u8       model version (1)
 *   u8       form: 0 decoder and latent codebook, 1 the decoded blocks
 *   u16      K, 1..4096
 *   u8       bits per stored value, 2..16
 *   form 0:
 *     u8       d, the latent dimension, 1..64
 *     u8       h, the decoder's hidden layers, 0..8
 *     h x u16  their widths from the latent side, 1..1024
 *              the codebook: one {@link Quantiser} tensor of K x d values (code-major)
 *              the decoder (d, widths..., 64; ReLU hidden layers): per layer its weights (input-major), then its
 *              biases, as {@link Quantiser} tensors
 *     u8       encoder: 0 none (files), 1 one follows (the shipped resource only; encoding uses it, decoding never)
 *              the encoder (64, widths reversed..., d): tensors as the decoder's
 *   form 1:
 *     K x      a decoded block as a {@link Quantiser} tensor of 64 values
 * </pre>
 * The decoded blocks of form 0 are {@code decoder(codebook[k])}, computed with {@link DenseNet#predict} (strict float
 * arithmetic: the same bits on every JVM, at encoding and decoding).
 *
 * <p>Legacy k-means codebook (model version 1, read with payload format 1): "VQCB", u8 1, u16 K (1..255), u8 bits,
 * then K {@link Quantiser} tensors of 64 values.
 */
final class VqModel {
  static final int MAX_CODES = 4096;
  static final int LEGACY_MAX_CODES = 255;
  static final int FORM_NETWORK = 0, FORM_TABLE = 1;
  private static final int MODEL_VERSION = 1;
  private static final int MAX_LATENT = 64, MAX_HIDDEN = 8, MAX_WIDTH = 1024;
  private static final int B = VqVae.BLOCK;

  /** The payload format this model decodes: 1 for a legacy k-means codebook, 2 for a VQ-VAE. */
  final int payloadVersion;
  final int codes;
  /** The decoded blocks. */
  final CodeTable table;
  /** Decoder, codebook and encoder where the bytes hold them (form 0), else null. */
  final VqVae vae;
  /** Bytes of the model decoding needs: all of them but an encoder section. */
  final int decodeLength;

  private VqModel(int payloadVersion, float[][] table, VqVae vae, int decodeLength) {
    this.payloadVersion = payloadVersion;
    this.codes = table.length;
    this.table = new CodeTable(table);
    this.vae = vae;
    this.decodeLength = decodeLength;
  }

  boolean hasEncoder() {
    return vae != null && vae.encoder != null;
  }

  /** The bytes of {@code model} a file stores: the model without an encoder section. */
  byte[] decodePart(byte[] model) {
    byte[] out = Arrays.copyOf(model, decodeLength + (vae != null ? 1 : 0));
    if (vae != null) {
      out[decodeLength] = 0; // "no encoder"
    }
    return out;
  }

  // ---- writing

  /** Form 0: header, codebook, decoder and, if asked, the encoder. */
  static byte[] writeNetwork(VqVae vae, int bits, boolean withEncoder) {
    ByteArrayOutputStream out = header(FORM_NETWORK, vae.codes, bits);
    int[] w = vae.widths();
    out.write(vae.latent);
    out.write(w.length);
    for (int width : w) {
      out.write(width & 0xff);
      out.write(width >>> 8);
    }
    Quantiser.write(out, vae.codebook.clone(), bits);
    writeNet(out, vae.decoder, bits);
    out.write(withEncoder ? 1 : 0);
    if (withEncoder) {
      writeNet(out, vae.encoder, bits);
    }
    return out.toByteArray();
  }

  /** Form 1: the decoded blocks. */
  static byte[] writeTable(float[][] table, int bits) {
    ByteArrayOutputStream out = header(FORM_TABLE, table.length, bits);
    for (float[] t : table) {
      Quantiser.write(out, t.clone(), bits);
    }
    return out.toByteArray();
  }

  /**
   * The smaller honest form of a trained VQ-VAE without its encoder: the decoder and codebook, or the table of decoded
   * blocks they give (computed from the stored, quantised decoder and codebook).
   */
  static byte[] smallest(VqVae vae, int bits) {
    byte[] net = writeNetwork(vae, bits, false);
    if ((long) vae.codes * Quantiser.size(B, bits) + 9 >= net.length) {
      return net;
    }
    try {
      return writeTable(read(ByteBuffer.wrap(net)).table.table, bits);
    } catch (CorruptRecordException e) {
      throw new IllegalStateException("vq cannot read the model it wrote", e);
    }
  }

  private static ByteArrayOutputStream header(int form, int codes, int bits) {
    if (codes < 1 || codes > MAX_CODES) {
      throw new IllegalArgumentException("vq model of " + codes + " codes, expected 1.." + MAX_CODES);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(new byte[] {'V', 'Q', 'V', 'A', MODEL_VERSION, (byte) form}, 0, 6);
    out.write(codes & 0xff);
    out.write(codes >>> 8);
    out.write(bits);
    return out;
  }

  private static void writeNet(ByteArrayOutputStream out, DenseNet net, int bits) {
    for (float[] t : net.tensors()) {
      Quantiser.write(out, t.clone(), bits);
    }
  }

  // ---- reading

  static VqModel read(ByteBuffer buf) throws CorruptRecordException {
    ByteBuffer in = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    int start = in.position();
    verify(in.remaining() >= 8, "vq model: %d bytes, expected at least 8", in.remaining());
    byte[] magic = new byte[4];
    in.get(magic);
    int version = in.get() & 0xff;
    if (magic[0] == 'V' && magic[1] == 'Q' && magic[2] == 'C' && magic[3] == 'B') {
      verify(version == MODEL_VERSION, "vq k-means codebook version %d, this build reads %d", version, MODEL_VERSION);
      return readLegacy(in);
    }
    verify(magic[0] == 'V' && magic[1] == 'Q' && magic[2] == 'V' && magic[3] == 'A',
        "vq model does not start with VQVA (or the legacy VQCB)");
    verify(version == MODEL_VERSION, "vq model version %d, this build reads %d", version, MODEL_VERSION);
    verify(in.remaining() >= 4, "vq model header: %d bytes left", in.remaining());
    int form = in.get() & 0xff;
    int k = in.getShort() & 0xffff;
    int bits = in.get() & 0xff;
    verify(form <= FORM_TABLE, "vq model form %d, expected 0 or 1", form);
    verify(k >= 1 && k <= MAX_CODES, "vq model with %d codes, expected 1..%d", k, MAX_CODES);
    verify(bits >= 2 && bits <= 16, "vq model with %d bits per value, expected 2..16", bits);
    if (form == FORM_TABLE) {
      float[][] table = readTable(in, k, bits);
      return new VqModel(2, table, null, in.position() - start);
    }
    verify(in.remaining() >= 2, "vq model: latent size missing");
    int d = in.get() & 0xff;
    int h = in.get() & 0xff;
    verify(d >= 1 && d <= MAX_LATENT, "vq model latent size %d, expected 1..%d", d, MAX_LATENT);
    verify(h <= MAX_HIDDEN, "vq model with %d hidden layers, expected at most %d", h, MAX_HIDDEN);
    verify(in.remaining() >= 2L * h, "vq model: hidden widths missing");
    int[] widths = new int[h];
    for (int i = 0; i < h; i++) {
      widths[i] = in.getShort() & 0xffff;
      verify(widths[i] >= 1 && widths[i] <= MAX_WIDTH, "vq model hidden width %d, expected 1..%d", widths[i], MAX_WIDTH);
    }
    float[] codebook = new float[k * d];
    Quantiser.read(in, codebook, bits, "vq codebook");
    DenseNet dec = readNet(in, VqVae.decoderSizes(d, widths), bits, "vq decoder");
    int decodeLength = in.position() - start;
    verify(in.remaining() >= 1, "vq model: encoder flag missing at offset %d", in.position());
    int hasEncoder = in.get() & 0xff;
    verify(hasEncoder <= 1, "vq model encoder flag %d, expected 0 or 1", hasEncoder);
    DenseNet enc = hasEncoder == 1 ? readNet(in, VqVae.encoderSizes(d, widths), bits, "vq encoder") : null;
    VqVae vae = new VqVae(enc, dec, codebook, k, d);
    return new VqModel(2, vae.decodedCodes(), vae, decodeLength);
  }

  private static VqModel readLegacy(ByteBuffer in) throws CorruptRecordException {
    verify(in.remaining() >= 3, "vq k-means codebook header: %d bytes left", in.remaining());
    int k = in.getShort() & 0xffff;
    int bits = in.get() & 0xff;
    verify(k >= 1 && k <= LEGACY_MAX_CODES, "vq k-means codebook with %d codes, expected 1..%d", k, LEGACY_MAX_CODES);
    verify(bits >= 2 && bits <= 16, "vq k-means codebook with %d bits per value, expected 2..16", bits);
    return new VqModel(1, readTable(in, k, bits), null, 0);
  }

  private static float[][] readTable(ByteBuffer in, int k, int bits) throws CorruptRecordException {
    verify(in.remaining() >= (long) k * Quantiser.size(B, bits), "vq model: %d codes need %d bytes, %d left", k,
        (long) k * Quantiser.size(B, bits), in.remaining());
    float[][] table = new float[k][B];
    for (int c = 0; c < k; c++) {
      Quantiser.read(in, table[c], bits, "vq code " + c);
    }
    return table;
  }

  private static DenseNet readNet(ByteBuffer in, int[] sizes, int bits, String what) throws CorruptRecordException {
    DenseNet net = new DenseNet(sizes);
    for (float[] t : net.tensors()) {
      Quantiser.read(in, t, bits, what);
    }
    return net;
  }

  // ---- code search

  /**
   * The {@code n} codes whose latent vectors are nearest to {@code z[off .. off+d)}, written to {@code out} (nearest
   * first); needs the latent codebook (form 0).
   */
  void nearestLatents(float[] z, int off, int n, int[] out, float[] dist) {
    int d = vae.latent;
    float[] cb = vae.codebook;
    int filled = 0;
    for (int k = 0; k < codes; k++) {
      float s = 0;
      for (int j = 0; j < d; j++) {
        float e = z[off + j] - cb[k * d + j];
        s += e * e;
      }
      if (filled == n && s >= dist[n - 1]) {
        continue;
      }
      int i = filled < n ? filled++ : n - 1;
      while (i > 0 && dist[i - 1] > s) {
        dist[i] = dist[i - 1];
        out[i] = out[i - 1];
        i--;
      }
      dist[i] = s;
      out[i] = k;
    }
  }
}
