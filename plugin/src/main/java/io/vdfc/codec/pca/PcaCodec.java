package io.vdfc.codec.pca;

import static io.vdfc.codec.CorruptRecordException.verify;

import io.vdfc.codec.CodecOptions;
import io.vdfc.codec.CorruptRecordException;
import io.vdfc.codec.FloatBytes;
import io.vdfc.codec.LossyCodec;
import io.vdfc.codec.SharedModelCodec;
import io.vdfc.codec.VdfCodec;
import io.vdfc.codec.entropy.IntCoder;
import io.vdfc.codec.entropy.RangeDecoder;
import io.vdfc.codec.entropy.RangeEncoder;
import io.vdfc.codec.entropy.Varint;
import io.vdfc.codec.grid.Residual;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VelocityMesh;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Principal components of log-scaled blocks (the study's "PCA on log10"), error-bounded. Each 4x4x4 block of the cell
 * is a 64-vector {@code h = log10(1 + max(f, 0) / s)} with {@code s} the tolerance (so 0 stays 0 and values far above
 * the bound are on a log scale). The vectors are projected on a PCA basis (mean + {@code k} orthonormal components);
 * the scores are quantised with a per-block step that grows where the block's values are small (the error a log-scale
 * step makes is proportional to the value), and range-coded ({@link IntCoder}, one context per component). A zfpb
 * residual stage ({@link Residual}) guarantees {@code |f' - f| <= tolerance} on every value.
 *
 * <p>Two scopes ({@code scope=cell|file}). In the cell scope the basis is trained on the cell and stored in its
 * payload, every byte counted per cell; {@code k} is chosen per cell for the smallest payload. In the file scope the
 * basis is a shared model ({@link SharedModelCodec}): trained once per population on a sample of cells, stored once
 * in the file's {@code VDFC_MODEL}, and each payload holds only scores; this is where the method can pay. In the cell
 * scope the shared model is a 1-byte marker ({@code k = 0}).
 *
 * <p>Model: {@code u8 K} then, for {@code K > 0}, {@code f32 mean[64], f32 components[K][64]} (little-endian).
 * Payload, version 1:
 *
 * <pre>
 *   u8   mode       0: no model, the rest is a zfpb payload of the values; 1: basis in the payload; 2: shared basis
 *   f64  scale      s of the log scaling
 *   f64  step       finest score step (for the cell's largest block)
 *   mode 1: basis   u8 k, f32 mean[64], f32 components[k][64]
 *   mode 2: u8 k    components of the shared model used (<= its K)
 *   varint n        bytes of the score stream
 *   n    scores     range-coded, per block: step exponent e (block step = step * 2^e), then k quantised scores
 *   rest residual   zfpb payload of f - model on the cell's blocks, to the payload's end
 * </pre>
 *
 * Options: {@code scope=cell|file} (default cell), {@code k=K} (largest number of components, default 16),
 * {@code step=S} (score step in units of the log-scale error that moves the peak by one tolerance, default 1).
 *
 * @since 0.1
 */
public final class PcaCodec extends LossyCodec implements SharedModelCodec {
  public static final String NAME = "pca";
  public static final int ID = 12;
  static final int VERSION = 1;
  static final int MAX_EXP = 40;
  private static final double LN10 = Math.log(10);
  private static final int[] KS = {2, 4, 8, 16, 32, 64};
  /** Training vectors at most (blocks of the sample, evenly thinned). */
  static final int MAX_TRAINING_BLOCKS = 60_000;

  private final boolean fileScope;
  private final int maxK;
  private final double step;
  private final PcaBasis model;

  public PcaCodec() {
    this(false, 16, 1.0, null);
  }

  private PcaCodec(boolean fileScope, int maxK, double step, PcaBasis model) {
    super(NAME, ID, VERSION);
    this.fileScope = fileScope;
    this.maxK = maxK;
    this.step = step;
    this.model = model;
  }

  /** True in the file scope (one basis shared by the population's cells). */
  public boolean fileScope() {
    return fileScope;
  }

  @Override
  public VdfCodec configure(CodecOptions options) {
    options.requireOnly("scope", "k", "step");
    String scope = options.getString("scope", fileScope ? "file" : "cell");
    if (!scope.equals("cell") && !scope.equals("file")) {
      throw new IllegalArgumentException("codec option scope=" + scope + ": expected cell or file");
    }
    int k = options.getInt("k", maxK, 1, PcaBasis.DIM);
    double s = options.getDouble("step", step);
    if (!(s > 0 && s < 1e6)) {
      throw new IllegalArgumentException("codec option step=" + s + ": expected a positive number");
    }
    return new PcaCodec(scope.equals("file"), k, s, null);
  }

  @Override
  public byte[] trainModel(List<CellVdf> sample, double tolerance) {
    if (!fileScope) {
      return new byte[] {0};
    }
    long total = 0;
    for (CellVdf c : sample) {
      total += c.blockCount();
    }
    long every = Math.max(1, (total + MAX_TRAINING_BLOCKS - 1) / MAX_TRAINING_BLOCKS);
    List<double[]> vectors = new ArrayList<>();
    long seen = 0;
    for (CellVdf c : sample) {
      for (int b = 0; b < c.blockCount(); b++, seen++) {
        if (seen % every == 0) {
          vectors.add(logBlock(c.values(), b, tolerance));
        }
      }
    }
    return PcaBasis.train(vectors, Math.min(maxK, PcaBasis.DIM)).write();
  }

  @Override
  public VdfCodec withModel(ByteBuffer modelBytes) throws CorruptRecordException {
    ByteBuffer in = modelBytes.slice();
    PcaBasis b = PcaBasis.read(in);
    verify(!in.hasRemaining(), "pca model: %d bytes after the basis", in.remaining());
    return b.k == 0 ? new PcaCodec(false, maxK, step, null) : new PcaCodec(true, b.k, step, b);
  }

  @Override
  public int maxTrainingCells() {
    return 64;
  }

  @Override
  public String meshProblem(VelocityMesh mesh) {
    return VdfCodec.unless4x4x4(name(), mesh);
  }

  @Override
  public byte[] encode(CellVdf cell, double tolerance) {
    if (!(tolerance > 0) || Double.isInfinite(tolerance)) {
      throw new IllegalArgumentException("pca tolerance must be a positive finite number, got " + tolerance);
    }
    requireCodable(cell); // the basis is of 4x4x4 = PcaBasis.DIM values
    ByteArrayOutputStream plain = new ByteArrayOutputStream();
    plain.write(0);
    plain.writeBytes(Residual.encode(cell.values(), new float[cell.values().length], tolerance));
    byte[] best = plain.toByteArray();
    if (cell.blockCount() == 0) {
      return best;
    }
    if (model != null) {
      for (int k : KS) {
        if (k < model.k) {
          best = smaller(best, encodeWith(cell, tolerance, model.first(k), true));
        }
      }
      best = smaller(best, encodeWith(cell, tolerance, model, true));
    } else {
      List<double[]> vectors = new ArrayList<>();
      for (int b = 0; b < cell.blockCount(); b++) {
        vectors.add(logBlock(cell.values(), b, tolerance));
      }
      int kMax = Math.min(maxK, Math.min(PcaBasis.DIM, cell.blockCount()));
      PcaBasis full = PcaBasis.train(vectors, kMax);
      for (int k : KS) {
        if (k <= kMax) {
          best = smaller(best, encodeWith(cell, tolerance, full.first(k), false));
        }
      }
    }
    return best;
  }

  private static byte[] smaller(byte[] a, byte[] b) {
    return b.length < a.length ? b : a;
  }

  private byte[] encodeWith(CellVdf cell, double tolerance, PcaBasis basis, boolean shared) {
    float[] f = cell.values();
    int nb = cell.blockCount();
    double peak = Math.max(0, cell.peak());
    double finest = step * tolerance / (Math.log(10) * (peak + tolerance));
    RangeEncoder rc = new RangeEncoder();
    IntCoder ic = new IntCoder(1 + basis.k);
    float[] modelValues = new float[f.length];
    int[] q = new int[basis.k];
    for (int b = 0; b < nb; b++) {
      double max = 0;
      for (int l = 0; l < PcaBasis.DIM; l++) {
        max = Math.max(max, f[b * PcaBasis.DIM + l]);
      }
      int e = (int) Math.floor(Math.log((peak + tolerance) / (max + tolerance)) / Math.log(2));
      e = Math.max(0, Math.min(MAX_EXP, e));
      double s = finest * Math.pow(2, e);
      double[] h = logBlock(f, b, tolerance);
      ic.encode(rc, 0, e);
      for (int r = 0; r < basis.k; r++) {
        double score = 0;
        for (int l = 0; l < PcaBasis.DIM; l++) {
          score += basis.rows[r][l] * (h[l] - basis.mean[l]);
        }
        q[r] = (int) Math.max(-(1 << 29), Math.min(1 << 29, Math.rint(score / s)));
        ic.encode(rc, 1 + r, q[r]);
      }
      reconstruct(basis, q, s, tolerance, modelValues, b);
    }
    byte[] stream = rc.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(shared ? 2 : 1);
    ByteBuffer hdr = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(tolerance).putDouble(finest);
    out.writeBytes(hdr.array());
    if (shared) {
      out.write(basis.k);
    } else {
      out.writeBytes(basis.write());
    }
    Varint.write(out, stream.length);
    out.writeBytes(stream);
    out.writeBytes(Residual.encode(f, modelValues, tolerance));
    return out.toByteArray();
  }

  private static void reconstruct(PcaBasis basis, int[] q, double s, double scale, float[] out, int b) {
    for (int l = 0; l < PcaBasis.DIM; l++) {
      double h = basis.mean[l];
      for (int r = 0; r < basis.k; r++) {
        h += basis.rows[r][l] * (q[r] * s);
      }
      double v = h <= 0 ? 0 : scale * Math.expm1(LN10 * Math.min(h, 300));
      out[b * PcaBasis.DIM + l] = (float) Math.min(v, Float.MAX_VALUE);
    }
  }

  static double[] logBlock(float[] f, int b, double scale) {
    double[] h = new double[PcaBasis.DIM];
    for (int l = 0; l < PcaBasis.DIM; l++) {
      h[l] = Math.log10(1 + Math.max(0, f[b * PcaBasis.DIM + l]) / scale);
    }
    return h;
  }

  @Override
  public float[] decode(ByteBuffer payload, VelocityMesh mesh, int[] blockIds, int version) throws CorruptRecordException {
    verify(version == VERSION, "pca payload version %d, this build reads %d", version, VERSION);
    verify(mesh.cellsPerBlock() == PcaBasis.DIM, "pca payload for blocks of width %d, expected 4", mesh.wid());
    ByteBuffer in = payload.slice().order(ByteOrder.LITTLE_ENDIAN);
    verify(in.hasRemaining(), "pca payload is empty");
    int mode = in.get() & 0xFF;
    float[] values = new float[FloatBytes.valueCount(blockIds.length, mesh.cellsPerBlock())];
    if (mode == 0) {
      float[] out = Residual.apply(in, values);
      payload.position(payload.limit());
      return out;
    }
    verify(mode == 1 || mode == 2, "pca mode %d, expected 0, 1 or 2", mode);
    verify(in.remaining() >= 17, "pca header cut: %d bytes", in.remaining());
    double scale = in.getDouble();
    double finest = in.getDouble();
    verify(scale > 0 && Double.isFinite(scale) && finest > 0 && Double.isFinite(finest),
        "pca scale %s or step %s is not positive", scale, finest);
    PcaBasis basis;
    if (mode == 1) {
      basis = PcaBasis.read(in);
    } else {
      verify(model != null, "pca payload uses the population's shared basis, and this codec has none bound");
      int k = in.get() & 0xFF;
      verify(k <= model.k, "pca payload uses %d components, the shared basis has %d", k, model.k);
      basis = model.first(k);
    }
    int n = Varint.read(in, in.remaining(), "pca score stream length");
    ByteBuffer scores = in.slice().limit(n);
    in.position(in.position() + n);
    RangeDecoder rd = new RangeDecoder(scores);
    IntCoder ic = new IntCoder(1 + basis.k);
    int[] q = new int[basis.k];
    for (int b = 0; b < blockIds.length; b++) {
      int e = ic.decode(rd, 0);
      verify(e >= 0 && e <= MAX_EXP, "pca block %d step exponent %d outside 0..%d", b, e, MAX_EXP);
      for (int r = 0; r < basis.k; r++) {
        q[r] = ic.decode(rd, 1 + r);
      }
      verify(!rd.overran(), "pca score stream ends early (block %d)", b);
      reconstruct(basis, q, finest * Math.pow(2, e), scale, values, b);
    }
    rd.finish("pca scores");
    float[] out = Residual.apply(in, values);
    payload.position(payload.limit());
    return out;
  }

  @Override
  public String toString() {
    return NAME + "(scope=" + (fileScope ? "file" : "cell") + ",k=" + maxK + ",step=" + step + ")";
  }
}
