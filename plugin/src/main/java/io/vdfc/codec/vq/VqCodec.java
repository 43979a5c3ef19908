package io.vdfc.codec.vq;

import static io.vdfc.codec.CorruptRecordException.verify;

import io.vdfc.codec.CodecOptions;
import io.vdfc.codec.CorruptRecordException;
import io.vdfc.codec.SharedModelCodec;
import io.vdfc.codec.VdfCodec;
import io.vdfc.codec.nn.ResidualStage;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VelocityMesh;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Vector quantisation of Vlasiator's own 4x4x4 blocks against a learned codebook of block shapes ({@link Codebook},
 * k-means on blocks normalised to a largest value of 1), a non-negative scale per block, then a zfpb residual so the
 * tolerance holds. The "encoder" is the normalisation and nearest-code search, the "decoder" the scaled code: no neural
 * encoder or decoder network (a k-means VQ, not a VQ-VAE).
 *
 * <p>The codebook is a shared model ({@link SharedModelCodec}): stored once per population in the file and counted
 * there. {@code codebook=file} (default) trains it on the file's own cells; {@code codebook=builtin} ships the one in
 * {@code io/vdfc/codec/vq/codebook-v1.bin} (trained on the ipshock restart; {@link VqTrain} retrains it), still stored
 * in the file so that files decode without this build's resources. Other options: {@code codes=} (K, 1..255, default
 * 128), {@code bits=} (bits per codebook value, default 12), {@code iterations=} (k-means, default 12),
 * {@code seed=}, {@code residual=on|off} (off: the quantised blocks alone).
 *
 * <p>Payload layout (format version 1, little-endian):
 * <pre>
 *   u8   flags         bit 0: a residual follows
 *   per block (stored order):
 *     u8   code        0..K-1, or 255: the block predicts as zeros (no scale follows; blocks within the
 *                      tolerance, and blocks the codebook does not fit well)
 *     u16  scale       the top 16 bits of the float32 scale (bfloat16), finite and non-negative
 *   residual           {@link ResidualStage}, if flagged
 * </pre>
 */
public final class VqCodec implements SharedModelCodec {
  public static final String NAME = "vq";
  public static final int ID = 24;
  public static final int VERSION = 1;
  static final int ZERO = 255;
  /**
   * A block uses its code only where the code leaves a residual at most this fraction of the block's largest value
   * (one bit plane fewer, as {@link ResidualStage} requires to use a prediction); other blocks are coded by the residual
   * alone.
   */
  static final float GAIN = 0.5f;
  static final String BUILTIN = "codebook-v1.bin";

  private final int codes;
  private final int bits;
  private final int iterations;
  private final long seed;
  private final boolean builtin;
  private final boolean residual;
  private final Codebook codebook;

  public VqCodec() {
    this(128, 12, 12, 1, false, true, null);
  }

  private VqCodec(int codes, int bits, int iterations, long seed, boolean builtin, boolean residual, Codebook codebook) {
    this.codes = codes;
    this.bits = bits;
    this.iterations = iterations;
    this.seed = seed;
    this.builtin = builtin;
    this.residual = residual;
    this.codebook = codebook;
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
    return VERSION;
  }

  @Override
  public boolean lossless() {
    return false;
  }

  @Override
  public VdfCodec configure(CodecOptions o) {
    o.requireOnly("codes", "bits", "iterations", "seed", "codebook", "residual");
    String cb = o.getString("codebook", builtin ? "builtin" : "file");
    if (!cb.equals("builtin") && !cb.equals("file")) {
      throw new IllegalArgumentException("codec option codebook=" + cb + ": expected builtin or file");
    }
    return new VqCodec(o.getInt("codes", codes, 1, Codebook.MAX_CODES), o.getInt("bits", bits, 2, 16),
        o.getInt("iterations", iterations, 0, 1000), o.getInt("seed", (int) seed, Integer.MIN_VALUE, Integer.MAX_VALUE),
        cb.equals("builtin"), o.getBoolean("residual", residual), codebook);
  }

  @Override
  public int maxTrainingCells() {
    return 64;
  }

  /** Trains a codebook on the blocks of {@code sample} whose largest value exceeds the tolerance. */
  @Override
  public byte[] trainModel(List<CellVdf> sample, double tolerance) {
    if (builtin) {
      return builtinModel();
    }
    List<float[]> shapes = new ArrayList<>();
    for (CellVdf cell : sample) {
      float[] v = cell.values();
      for (int b = 0; b < cell.blockCount(); b++) {
        float max = 0;
        for (int l = 0; l < 64; l++) {
          max = Math.max(max, Math.abs(v[64 * b + l]));
        }
        if (max > tolerance) {
          float[] s = new float[64];
          for (int l = 0; l < 64; l++) {
            s[l] = v[64 * b + l] / max;
          }
          shapes.add(s);
        }
      }
    }
    // At most 50,000 shapes: every k-th, deterministic.
    int stride = Math.max(1, (shapes.size() + 49_999) / 50_000);
    List<float[]> used = new ArrayList<>();
    for (int i = 0; i < shapes.size(); i += stride) {
      used.add(shapes.get(i));
    }
    if (used.isEmpty()) {
      used.add(new float[64]);
      used.get(0)[0] = 1;
    }
    float[][] c = KMeans.train(used.toArray(new float[0][]), codes, iterations, seed);
    return Codebook.write(c, bits);
  }

  /** The shipped codebook's model bytes. */
  public static byte[] builtinModel() {
    try (InputStream in = VqCodec.class.getResourceAsStream(BUILTIN)) {
      Objects.requireNonNull(in, "resource io/vdfc/codec/vq/" + BUILTIN + " missing from the build");
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public VdfCodec withModel(ByteBuffer model) throws CorruptRecordException {
    Codebook cb = Codebook.read(model.duplicate());
    return new VqCodec(codes, bits, iterations, seed, builtin, residual, cb);
  }

  private Codebook requireCodebook() {
    if (codebook == null) {
      throw new IllegalStateException("vq needs its codebook: train one (trainModel) and bind it (withModel)");
    }
    return codebook;
  }

  @Override
  public byte[] encode(CellVdf cell, double tolerance) {
    if (!(tolerance > 0) || Double.isInfinite(tolerance)) {
      throw new IllegalArgumentException(NAME + " tolerance must be a positive finite number, got " + tolerance);
    }
    if (cell.mesh().wid() != 4) {
      throw new IllegalArgumentException(NAME + " codes 4x4x4 blocks, cell " + cell.cellId() + " has width " + cell.mesh().wid());
    }
    Codebook cb = requireCodebook();
    float[] v = cell.values();
    int nb = cell.blockCount();
    ByteArrayOutputStream out = new ByteArrayOutputStream(nb * 3 + 64);
    out.write(residual ? 1 : 0);
    float[] pred = new float[v.length];
    for (int b = 0; b < nb; b++) {
      int off = 64 * b;
      float max = 0;
      for (int l = 0; l < 64; l++) {
        max = Math.max(max, Math.abs(v[off + l]));
      }
      if (residual && max <= tolerance || max == 0) {
        out.write(ZERO);
        continue;
      }
      int c = cb.nearest(v, off);
      double dot = 0;
      float[] code = cb.codes[c];
      for (int l = 0; l < 64; l++) {
        dot += (double) v[off + l] * code[l];
      }
      float scale = (float) Math.max(0, dot / cb.norm2[c]);
      int sb = bf16(scale);
      float sq = Float.intBitsToFloat(sb << 16);
      float maxRes = 0;
      for (int l = 0; l < 64; l++) {
        maxRes = Math.max(maxRes, Math.abs(v[off + l] - sq * code[l]));
      }
      if (residual && maxRes > max * GAIN) {
        out.write(ZERO); // the code would save less than its 3 bytes cost in residual bit planes
        continue;
      }
      out.write(c);
      out.write(sb & 0xff);
      out.write(sb >>> 8);
      for (int l = 0; l < 64; l++) {
        pred[off + l] = sq * code[l];
      }
    }
    if (residual) {
      ResidualStage.write(out, v, pred, tolerance);
    }
    return out.toByteArray();
  }

  /** The top 16 bits of the float's bits, rounded to nearest. */
  static int bf16(float f) {
    int bitsF = Float.floatToRawIntBits(f);
    int r = (bitsF + 0x7fff + ((bitsF >>> 16) & 1)) >>> 16;
    return Float.isFinite(Float.intBitsToFloat(r << 16)) ? r : bitsF >>> 16;
  }

  @Override
  public float[] decode(ByteBuffer in, VelocityMesh mesh, int[] blockIds, int version) throws CorruptRecordException {
    verify(version == VERSION, "vq payload version %d, this build reads %d", version, VERSION);
    verify(mesh.wid() == 4, "vq codes 4x4x4 blocks, mesh %s has width %d", mesh.population(), mesh.wid());
    verify(codebook != null, "vq payload without its codebook: the file's VDFC_MODEL for %s is missing", mesh.population());
    in.order(ByteOrder.LITTLE_ENDIAN);
    verify(in.remaining() >= 1, "vq payload is empty");
    int flags = in.get() & 0xff;
    verify(flags <= 1, "vq flags 0x%x at offset %d, expected 0 or 1", flags, in.position() - 1);
    float[] pred = new float[blockIds.length * 64];
    for (int b = 0; b < blockIds.length; b++) {
      verify(in.remaining() >= 1, "vq block %d: code missing at offset %d", b, in.position());
      int c = in.get() & 0xff;
      if (c == ZERO) {
        continue;
      }
      verify(c < codebook.size(), "vq block %d: code %d at offset %d, the codebook has %d", b, c, in.position() - 1,
          codebook.size());
      verify(in.remaining() >= 2, "vq block %d: scale missing at offset %d", b, in.position());
      int sb = in.getShort() & 0xffff;
      float scale = Float.intBitsToFloat(sb << 16);
      verify(Float.isFinite(scale) && scale >= 0, "vq block %d: scale %s is not finite and non-negative", b, scale);
      float[] code = codebook.codes[c];
      for (int l = 0; l < 64; l++) {
        pred[64 * b + l] = scale * code[l];
      }
    }
    if (flags == 1) {
      ResidualStage.read(in, pred);
    }
    verify(!in.hasRemaining(), "vq payload: %d bytes left over at offset %d", in.remaining(), in.position());
    return pred;
  }

  @Override
  public String toString() {
    return NAME + "(codes=" + codes + ",bits=" + bits + ",codebook=" + (builtin ? "builtin" : "file") + ",residual="
        + (residual ? "on" : "off") + ")";
  }
}
