package io.vdfc.codec.vq;

import static io.vdfc.codec.CorruptRecordException.verify;

import io.vdfc.codec.CodecOptions;
import io.vdfc.codec.CorruptRecordException;
import io.vdfc.codec.LossyCodec;
import io.vdfc.codec.SharedModelCodec;
import io.vdfc.codec.VdfCodec;
import io.vdfc.codec.nn.PackedBits;
import io.vdfc.codec.nn.ResidualStage;
import io.vdfc.codec.zfpb.ZfpbCodec;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VelocityMesh;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A vector-quantised autoencoder (VQ-VAE) of Vlasiator's own 4x4x4 blocks: each block is stored as the index of one of
 * {@code K} learned codes and a scale, and a zfpb residual ({@link ResidualStage}) makes the tolerance hold; moment
 * conservation applies on top, in the record layer.
 *
 * <p>The network ({@link VqVae}, trained by {@link VqVaeTrainer}): an encoder (a ReLU MLP, 64 values of the block
 * divided by its largest magnitude, to a latent vector of {@code d} values), a codebook of {@code K} latent vectors and a
 * decoder (a ReLU MLP, latent to 64 values). A block's code is the one whose decoded block, scaled by its least-squares
 * non-negative factor, fits the block best: among the {@code search} codes nearest to the block's encoder output where
 * the codec has the encoder, else among all {@code K}. A block uses its code only where that pays: where the zfpb bits
 * of the residual plus the code's index and scale are fewer than the zfpb bits of the block itself; every other block
 * is coded by the residual stage alone.
 *
 * <p>The model is shared ({@link SharedModelCodec}): stored once per population in the file's {@code VDFC_MODEL} and
 * counted there, as the {@link VqModel} bytes decoding needs: the decoder and the latent codebook, or the {@code K}
 * decoded blocks where those are fewer bytes, never the encoder. {@code codebook=builtin} (default) uses the shipped
 * model {@code io/vdfc/codec/vq/vqvae-v2.bin} (resource version 2; version 1 was {@code codebook-v1.bin}, the k-means
 * codebook of payload format 1, no longer shipped): K 1024, d 8, hidden widths 64 and 128, 10 bits per value, trained
 * on the 103,043 blocks above 4e-16 of the ipshock restart and bulk file; {@link VqTrain} gives the command that
 * retrains it, and its SHA-256 is pinned in {@link #BUILTIN_SHA256}. A file stores its decoder and codebook, 31,724
 * bytes (the 1024 decoded blocks would take 86,025); the encoder (21,394 bytes more) stays in the build.
 * {@code codebook=file} trains a VQ-VAE on the file's own cells when compressing it (at most 64 cells, blocks above four
 * times the tolerance; 20 s to a minute on two shared cores) and searches all codes (a file's model carries no
 * encoder). On the real restart at {@code 1*minValue} with conservation, model counted once: 15.93x with the shipped
 * model, 15.56x with {@code codebook=file}, where zfpb gives 15.54x ({@code vdfc compress --codec vq}).
 *
 * <p>Options: {@code codebook=builtin|file}; {@code search=} (encoder candidates tried per block, 1..K, default 16; 0:
 * all codes); {@code residual=on|off} (off: the decoded codes alone, every non-zero block coded, no bound); for
 * {@code codebook=file} training: {@code codes=} (K, 2..4096, default 256), {@code latent=} (8), {@code layers=} (2),
 * {@code width=} (the widest hidden layer, 128; the others halve towards the latent), {@code bits=} (10),
 * {@code epochs=} (6, warm-up included), {@code warmup=} (1), {@code refine=} (3, after the epochs), {@code blocks=}
 * (training blocks at most, 60,000), {@code seed=},
 * {@code threads=}, {@code progress=on|off} (training's line per epoch on stderr, on by default: a file's training
 * takes about a minute).
 *
 * <p>Payload layout (format version 2, little-endian):
 * <pre>
 *   u8   flags         bit 0: a residual follows
 *   ceil(n / 8) bytes  bit b % 8 of byte b / 8: block b (stored order) uses a code
 *   codes              per using block, its index in ceil(log2 K) bits, least significant bit first, packed
 *                      across blocks, padded to a byte
 *   u16  scale x U     per using block, the top 16 bits of its float32 scale (bfloat16), finite and non-negative
 *   residual           {@link ResidualStage#writeUnmasked} (u32 length, zfpb blocks), if flagged
 * </pre>
 * A using block predicts {@code scale * decoded[code]}, the others zeros; the residual is added to the prediction.
 *
 * <p>Format version 1 (the earlier k-means codebook, legacy model "VQCB") is still read: {@code u8 flags}, then per
 * block {@code u8 code} (255: zeros) and, unless 255, {@code u16 scale}; then a masked {@link ResidualStage} if flagged.
 */
public final class VqCodec extends LossyCodec implements SharedModelCodec {
  public static final String NAME = "vq";
  public static final int ID = 24;
  public static final int VERSION = 2;
  static final String BUILTIN = "vqvae-v2.bin";
  /** The shipped model's resource version (the {@code v2} in its name). */
  public static final int BUILTIN_VERSION = 2;
  /** SHA-256 of the shipped model's bytes: what {@link VqTrain}'s documented command writes. */
  static final String BUILTIN_SHA256 = "678bbda727e5e74692885e75b1bc9565af9ee797e4d0a97772710dbed1a5fc6c";
  private static final int B = VqVae.BLOCK;
  private static final int V1_ZERO = 255;
  private static final ZfpbCodec ZFPB = new ZfpbCodec();

  /** Settings; see the class comment for the option names and defaults. */
  record Settings(boolean builtin, int search, boolean residual, int codes, int latent, int layers, int width, int bits,
      int epochs, int warmup, int refine, int blocks, long seed, int threads, boolean progress) {
    VqVaeTrainer.Settings training() {
      int[] w = new int[layers];
      for (int i = 0; i < layers; i++) {
        w[i] = Math.max(1, width >> (layers - 1 - i)); // widest next to the 64 block values
      }
      return new VqVaeTrainer.Settings(codes, latent, w, epochs, warmup, refine, 512, 2e-3, 0.25, 0.99, seed, threads,
          progress ? line -> System.err.println(NAME + " " + line) : null);
    }
  }

  private final Settings s;
  private final VqModel model;

  public VqCodec() {
    this(new Settings(true, 16, true, 256, 8, 2, 128, 10, 6, 1, 3, 60_000, 1,
        Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors())), true), null);
  }

  private VqCodec(Settings s, VqModel model) {
    super(NAME, ID, VERSION);
    this.s = s;
    this.model = model;
  }

  @Override
  public VdfCodec configure(CodecOptions o) {
    o.requireOnly("codebook", "search", "residual", "codes", "latent", "layers", "width", "bits", "epochs", "warmup",
        "refine", "blocks", "seed", "threads", "progress");
    String cb = o.getString("codebook", s.builtin ? "builtin" : "file");
    if (!cb.equals("builtin") && !cb.equals("file")) {
      throw new IllegalArgumentException("codec option codebook=" + cb + ": expected builtin or file");
    }
    Settings n = new Settings(cb.equals("builtin"), o.getInt("search", s.search, 0, VqModel.MAX_CODES),
        o.getBoolean("residual", s.residual), o.getInt("codes", s.codes, 2, VqModel.MAX_CODES),
        o.getInt("latent", s.latent, 1, 64), o.getInt("layers", s.layers, 0, 8), o.getInt("width", s.width, 1, 1024),
        o.getInt("bits", s.bits, 2, 16), o.getInt("epochs", s.epochs, 0, 10_000), o.getInt("warmup", s.warmup, 0, 10_000),
        o.getInt("refine", s.refine, 0, 10_000), o.getInt("blocks", s.blocks, 1, 10_000_000),
        o.getInt("seed", (int) s.seed, Integer.MIN_VALUE, Integer.MAX_VALUE),
        o.getInt("threads", s.threads, 1, 256), o.getBoolean("progress", s.progress));
    return new VqCodec(n, model);
  }

  int bits() {
    return s.bits;
  }

  @Override
  public int maxTrainingCells() {
    return 64;
  }

  /**
   * The model a file stores: the shipped one's decoding part ({@code codebook=builtin}), or a VQ-VAE trained on the
   * blocks of {@code sample} whose largest magnitude exceeds four times the tolerance.
   */
  @Override
  public byte[] trainModel(List<CellVdf> sample, double tolerance) {
    if (s.builtin) {
      return builtinDecodePart();
    }
    return VqModel.smallest(trainVae(sample, 4 * tolerance), s.bits);
  }

  /** A VQ-VAE with its encoder, trained on the blocks of {@code cells} whose largest magnitude exceeds {@code floor}. */
  VqVae trainVae(List<CellVdf> cells, double floor) {
    List<float[]> shapes = new ArrayList<>();
    for (CellVdf cell : cells) {
      float[] v = cell.values();
      for (int b = 0; b < cell.blockCount(); b++) {
        float max = maxAbs(v, B * b);
        if (max > floor) {
          float[] x = new float[B];
          for (int l = 0; l < B; l++) {
            x[l] = v[B * b + l] / max;
          }
          shapes.add(x);
        }
      }
    }
    int stride = Math.max(1, (shapes.size() + s.blocks - 1) / s.blocks); // every k-th block, deterministic
    int n = (shapes.size() + stride - 1) / stride;
    float[] x;
    if (n == 0) {
      n = 1;
      x = new float[B];
      x[0] = 1;
    } else {
      x = new float[n * B];
      for (int i = 0; i < n; i++) {
        System.arraycopy(shapes.get(i * stride), 0, x, i * B, B);
      }
    }
    if (s.progress) {
      System.err.printf("%s: training a VQ-VAE (K %d, d %d) on %d blocks%n", NAME, s.codes, s.latent, n);
    }
    return VqVaeTrainer.train(x, n, s.training());
  }

  /** The shipped model, encoder included. */
  static byte[] builtinModel() {
    try (InputStream in = VqCodec.class.getResourceAsStream(BUILTIN)) {
      Objects.requireNonNull(in, "resource io/vdfc/codec/vq/" + BUILTIN + " missing from the build");
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] builtinDecodePart() {
    byte[] all = builtinModel();
    try {
      return VqModel.read(ByteBuffer.wrap(all)).decodePart(all);
    } catch (CorruptRecordException e) {
      throw new IllegalStateException("the shipped vq model " + BUILTIN + " is corrupt: " + e.getMessage(), e);
    }
  }

  /**
   * This codec bound to {@code model}. With {@code codebook=builtin} and the shipped model's bytes, the shipped encoder
   * proposes the codes.
   */
  @Override
  public VdfCodec withModel(ByteBuffer bytes) throws CorruptRecordException {
    VqModel m = VqModel.read(bytes);
    if (s.builtin && m.vae != null && !m.hasEncoder()) {
      byte[] all = builtinModel();
      ByteBuffer given = bytes.duplicate();
      byte[] part = new byte[given.remaining()];
      given.get(part);
      VqModel shipped = VqModel.read(ByteBuffer.wrap(all));
      if (Arrays.equals(part, shipped.decodePart(all))) {
        m = shipped;
      }
    }
    return new VqCodec(s, m);
  }

  private VqModel requireModel() {
    if (model == null) {
      throw new IllegalStateException("vq needs its model: train one (trainModel) and bind it (withModel)");
    }
    if (model.payloadVersion != VERSION) {
      throw new IllegalStateException("vq writes format " + VERSION + " only; this model is a format "
          + model.payloadVersion + " k-means codebook");
    }
    return model;
  }

  static float maxAbs(float[] v, int off) {
    float max = 0;
    for (int l = 0; l < B; l++) {
      max = Math.max(max, Math.abs(v[off + l]));
    }
    return max;
  }

  @Override
  public String meshProblem(VelocityMesh mesh) {
    return VdfCodec.unless4x4x4(name(), mesh);
  }

  @Override
  public byte[] encode(CellVdf cell, double tolerance) {
    if (!(tolerance > 0) || Double.isInfinite(tolerance)) {
      throw new IllegalArgumentException(NAME + " tolerance must be a positive finite number, got " + tolerance);
    }
    requireCodable(cell);
    VqModel m = requireModel();
    float[] v = cell.values();
    int nb = cell.blockCount();
    // Blocks worth a code: above the tolerance (any non-zero block without a residual).
    int[] cand = new int[nb];
    int nc = 0;
    for (int b = 0; b < nb; b++) {
      float max = maxAbs(v, B * b);
      if (max > 0 && (max > tolerance || !s.residual)) {
        cand[nc++] = b;
      }
    }
    int[] code = new int[nb];
    float[] pred = new float[v.length];
    int[] scale = new int[nb];
    chooseCodes(m, v, cand, nc, code);
    for (int c = 0; c < nc; c++) {
      int b = cand[c], off = B * b;
      float[] t = m.table.table[code[b]];
      float dot = 0;
      for (int l = 0; l < B; l++) {
        dot += v[off + l] * t[l];
      }
      scale[b] = bf16(m.table.norm2[code[b]] > 0 ? Math.max(0, dot / m.table.norm2[code[b]]) : 0f);
      float sq = Float.intBitsToFloat(scale[b] << 16);
      for (int l = 0; l < B; l++) {
        pred[off + l] = sq * t[l];
      }
    }
    boolean[] use = new boolean[nb];
    if (s.residual) {
      int[] plain = ZFPB.blockBits(v, nb, tolerance);
      float[] r = new float[v.length];
      for (int k = 0; k < r.length; k++) {
        r[k] = (float) ((double) v[k] - pred[k]);
      }
      int[] withCode = ZFPB.blockBits(r, nb, tolerance);
      int codeBits = indexBits(m.codes) + 16;
      for (int c = 0; c < nc; c++) {
        int b = cand[c];
        use[b] = withCode[b] + codeBits < plain[b];
      }
    } else {
      for (int c = 0; c < nc; c++) {
        use[cand[c]] = true;
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(nb + 64);
    out.write(s.residual ? 1 : 0);
    byte[] mask = new byte[(nb + 7) / 8];
    int used = 0;
    for (int b = 0; b < nb; b++) {
      if (use[b]) {
        mask[b >>> 3] |= (byte) (1 << (b & 7));
        used++;
      } else {
        Arrays.fill(pred, B * b, B * b + B, 0f);
      }
    }
    out.write(mask, 0, mask.length);
    int ib = indexBits(m.codes);
    PackedBits.Writer packed = new PackedBits.Writer(out);
    for (int b = 0; b < nb; b++) {
      if (use[b]) {
        packed.write(code[b], ib);
      }
    }
    packed.finish();
    for (int b = 0; b < nb; b++) {
      if (use[b]) {
        out.write(scale[b] & 0xff);
        out.write(scale[b] >>> 8);
      }
    }
    if (s.residual) {
      ResidualStage.writeUnmasked(out, v, pred, tolerance);
    }
    return out.toByteArray();
  }

  /** Codes for the blocks {@code cand[0 .. nc)}, into {@code code[block]}. */
  private void chooseCodes(VqModel m, float[] v, int[] cand, int nc, int[] code) {
    int search = s.search == 0 ? m.codes : Math.min(s.search, m.codes);
    if (!m.hasEncoder() || search >= m.codes) {
      float[] dots = new float[m.codes];
      for (int c = 0; c < nc; c++) {
        code[cand[c]] = m.table.bestOfAll(v, B * cand[c], dots);
      }
      return;
    }
    int d = m.vae.latent;
    float[] x = new float[nc * B];
    for (int c = 0; c < nc; c++) {
      int off = B * cand[c];
      float max = maxAbs(v, off);
      for (int l = 0; l < B; l++) {
        x[c * B + l] = v[off + l] / max;
      }
    }
    float[] z = new float[nc * d];
    m.vae.encoder.predict(x, nc, z);
    int[] near = new int[search];
    float[] dist = new float[search];
    for (int c = 0; c < nc; c++) {
      m.nearestLatents(z, c * d, search, near, dist);
      code[cand[c]] = m.table.bestOf(v, B * cand[c], near, search);
    }
  }

  /** Bits of a code index for {@code k} codes: ceil(log2 k). */
  static int indexBits(int k) {
    return 32 - Integer.numberOfLeadingZeros(k - 1);
  }

  /** The top 16 bits of the float's bits, rounded to nearest. */
  static int bf16(float f) {
    int bitsF = Float.floatToRawIntBits(f);
    int r = (bitsF + 0x7fff + ((bitsF >>> 16) & 1)) >>> 16;
    return Float.isFinite(Float.intBitsToFloat(r << 16)) ? r : bitsF >>> 16;
  }

  @Override
  public float[] decode(ByteBuffer in, VelocityMesh mesh, int[] blockIds, int version) throws CorruptRecordException {
    verify(version == 1 || version == VERSION, "vq payload version %d, this build reads 1 and %d", version, VERSION);
    verify(mesh.wid() == 4, "vq codes 4x4x4 blocks, mesh %s has width %d", mesh.population(), mesh.wid());
    verify(model != null, "vq payload without its model: the file's VDFC_MODEL for %s is missing", mesh.population());
    verify(model.payloadVersion == version, "vq payload version %d with a model for version %d (%s)", version,
        model.payloadVersion, model.payloadVersion == 1 ? "a k-means codebook" : "a VQ-VAE");
    in.order(ByteOrder.LITTLE_ENDIAN);
    verify(in.remaining() >= 1, "vq payload is empty");
    int flags = in.get() & 0xff;
    verify(flags <= 1, "vq flags 0x%x at offset %d, expected 0 or 1", flags, in.position() - 1);
    float[] pred = version == 1 ? decodeV1Codes(in, blockIds.length) : decodeCodes(in, blockIds.length);
    if (flags == 1) {
      if (version == 1) {
        ResidualStage.read(in, pred);
      } else {
        ResidualStage.readUnmasked(in, pred);
      }
    }
    verify(!in.hasRemaining(), "vq payload: %d bytes left over at offset %d", in.remaining(), in.position());
    return pred;
  }

  private float[] decodeCodes(ByteBuffer in, int nb) throws CorruptRecordException {
    int maskBytes = (nb + 7) / 8;
    verify(in.remaining() >= maskBytes, "vq block mask: %d bytes left at offset %d, expected %d", in.remaining(),
        in.position(), maskBytes);
    byte[] mask = new byte[maskBytes];
    in.get(mask);
    int used = 0;
    for (int b = 0; b < nb; b++) {
      used += (mask[b >>> 3] >>> (b & 7)) & 1;
    }
    verify(nb % 8 == 0 || (mask[maskBytes - 1] & 0xff) >>> (nb % 8) == 0, "vq block mask: bits set past block %d", nb);
    int ib = indexBits(model.codes);
    long codeBytes = ((long) used * ib + 7) / 8;
    verify(in.remaining() >= codeBytes + 2L * used, "vq codes and scales of %d blocks: %d bytes left at offset %d, "
        + "expected %d", used, in.remaining(), in.position(), codeBytes + 2L * used);
    int[] codes = new int[used];
    PackedBits.Reader packed = new PackedBits.Reader(in);
    for (int u = 0; u < used; u++) {
      codes[u] = (int) packed.read(ib);
      verify(codes[u] < model.codes, "vq code %d of block %d, the model has %d", codes[u], u, model.codes);
    }
    float[] pred = new float[nb * B];
    int u = 0;
    for (int b = 0; b < nb; b++) {
      if (((mask[b >>> 3] >>> (b & 7)) & 1) == 0) {
        continue;
      }
      float scale = Float.intBitsToFloat((in.getShort() & 0xffff) << 16);
      verify(Float.isFinite(scale) && scale >= 0, "vq block %d: scale %s is not finite and non-negative", b, scale);
      float[] t = model.table.table[codes[u++]];
      for (int l = 0; l < B; l++) {
        pred[B * b + l] = scale * t[l];
      }
    }
    return pred;
  }

  /** Format 1: per block a code byte (255: zeros) and, unless 255, a bfloat16 scale. */
  private float[] decodeV1Codes(ByteBuffer in, int nb) throws CorruptRecordException {
    float[] pred = new float[nb * B];
    for (int b = 0; b < nb; b++) {
      verify(in.remaining() >= 1, "vq block %d: code missing at offset %d", b, in.position());
      int c = in.get() & 0xff;
      if (c == V1_ZERO) {
        continue;
      }
      verify(c < model.codes, "vq block %d: code %d at offset %d, the codebook has %d", b, c, in.position() - 1,
          model.codes);
      verify(in.remaining() >= 2, "vq block %d: scale missing at offset %d", b, in.position());
      float scale = Float.intBitsToFloat((in.getShort() & 0xffff) << 16);
      verify(Float.isFinite(scale) && scale >= 0, "vq block %d: scale %s is not finite and non-negative", b, scale);
      float[] t = model.table.table[c];
      for (int l = 0; l < B; l++) {
        pred[B * b + l] = scale * t[l];
      }
    }
    return pred;
  }

  @Override
  public String toString() {
    return NAME + "(codebook=" + (s.builtin ? "builtin" : "file") + ",search=" + s.search + ",residual="
        + (s.residual ? "on" : "off") + (model == null ? "" : ",K=" + model.codes) + ")";
  }
}
