package io.vdfc.codec.mlpmulti;

import static io.vdfc.codec.CorruptRecordException.verify;

import io.vdfc.codec.CodecOptions;
import io.vdfc.codec.CorruptRecordException;
import io.vdfc.codec.LossyCodec;
import io.vdfc.codec.SharedModelCodec;
import io.vdfc.codec.VdfCodec;
import io.vdfc.codec.nn.Coordinates;
import io.vdfc.codec.nn.DenseNet;
import io.vdfc.codec.nn.LogScale;
import io.vdfc.codec.nn.Quantiser;
import io.vdfc.codec.nn.ResidualStage;
import io.vdfc.codec.nn.Trainer;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VelocityMesh;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One coordinate MLP for all cells of a population (the form upstream Vlasiator uses): the network maps a cell's
 * velocity, normalised by the cell's own bulk velocity and thermal speed, with Fourier features, plus a per-cell latent
 * vector, to the log-scaled density. The network is a shared model (stored once per population in {@code VDFC_MODEL},
 * trained with the latents of the sample cells as an auto-decoder); encoding a cell fits only its latent vector with the
 * network frozen, then a zfpb residual makes the tolerance hold.
 *
 * <p>Options: {@code layers=} (3), {@code width=} (32), {@code latent=} (8), {@code order=} (8), {@code sigma=} (0.3),
 * {@code bits=} (12, per shared weight), {@code epochs=} (training, 15), {@code fit=} (latent fit epochs per cell, 4),
 * {@code points=} (training points per sample cell, and latent-fit points per cell, 2048), {@code decades=} (6), {@code peakweight=} (30),
 * {@code seed=}, {@code threads=}, {@code residual=on|off}, {@code progress=on|off}.
 *
 * <p>Model layout: "MLPM", u8 version (1), u8 layers, u16 width, u8 latent, u8 order, f32 sigma, i64 seed, u8 bits,
 * then the tensors (per layer weights input-major, then biases) as {@link Quantiser} tensors.
 *
 * <p>Payload layout (format version 1, little-endian):
 * <pre>
 *   u8   flags        bit 0: the model part follows; bit 1: a residual follows
 *   -- model part --
 *   f32  cx, cy, cz   normalisation centre (the cell's bulk velocity)
 *   f32  s            normalisation scale (4 thermal speeds)
 *   f32  lo, hi       the log scaling ({@link LogScale})
 *   f32  z[latent]    the cell's latent vector
 *   -- residual --    {@link ResidualStage}
 * </pre>
 */
public final class MlpMultiCodec extends LossyCodec implements SharedModelCodec {
  public static final String NAME = "mlpmulti";
  public static final int ID = 22;
  public static final int VERSION = 1;
  static final int MODEL_VERSION = 1;
  private static final int HAS_MODEL = 1, HAS_RESIDUAL = 2;

  /** Settings; see the class comment for the option names and defaults. */
  record Settings(int layers, int width, int latent, int order, double sigma, int bits, int epochs, int fit, int points,
      double decades, double peakWeight, long seed, int threads, boolean residual, boolean progress) {}

  /** A decoded shared model. */
  record Model(DenseNet net, int latent, int order, float sigma, long seed) {}

  private final Settings s;
  private final Model model;

  public MlpMultiCodec() {
    this(new Settings(3, 32, 8, 8, 0.3, 12, 15, 4, 2048, 6, 30, 1,
        Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors())), true, false), null);
  }

  private MlpMultiCodec(Settings s, Model model) {
    super(NAME, ID, VERSION);
    this.s = s;
    this.model = model;
  }

  @Override
  public int maxTrainingCells() {
    return 64;
  }

  @Override
  public VdfCodec configure(CodecOptions o) {
    o.requireOnly("layers", "width", "latent", "order", "sigma", "bits", "epochs", "fit", "points", "decades",
        "peakweight", "seed", "threads", "residual", "progress");
    Settings n = new Settings(o.getInt("layers", s.layers, 1, 16), o.getInt("width", s.width, 1, 1024),
        o.getInt("latent", s.latent, 0, 64), o.getInt("order", s.order, 0, 255), o.getDouble("sigma", s.sigma),
        o.getInt("bits", s.bits, 2, 16), o.getInt("epochs", s.epochs, 0, 100000), o.getInt("fit", s.fit, 0, 10000),
        o.getInt("points", s.points, 64, 1 << 20), o.getDouble("decades", s.decades),
        o.getDouble("peakweight", s.peakWeight), o.getInt("seed", (int) s.seed, Integer.MIN_VALUE, Integer.MAX_VALUE),
        o.getInt("threads", s.threads, 1, 256), o.getBoolean("residual", s.residual), o.getBoolean("progress", s.progress));
    if (!(n.sigma > 0 && n.sigma < 1000) || !(n.decades >= 1 && n.decades <= 30) || !(n.peakWeight >= 0)) {
      throw new IllegalArgumentException("codec options sigma, decades or peakweight out of range: " + o);
    }
    return new MlpMultiCodec(n, model);
  }

  /** The per-cell normalisation: centre, scale, log scaling. */
  private record Norm(float cx, float cy, float cz, float scale, LogScale log) {
    double[] centre() {
      return new double[] {cx, cy, cz};
    }

    double[] half() {
      return new double[] {scale, scale, scale};
    }
  }

  private Norm norm(CellVdf cell, double tolerance) {
    VelocityMesh m = cell.mesh();
    float[] f = cell.values();
    int[] ids = cell.blockIds();
    double n = 0, sx = 0, sy = 0, sz = 0;
    for (int b = 0; b < ids.length; b++) {
      for (int l = 0; l < 64; l++) {
        double v = Math.max(0, f[64 * b + l]);
        n += v;
        sx += v * m.vx(ids[b], l);
        sy += v * m.vy(ids[b], l);
        sz += v * m.vz(ids[b], l);
      }
    }
    double cx = sx / n, cy = sy / n, cz = sz / n, var = 0;
    for (int b = 0; b < ids.length; b++) {
      for (int l = 0; l < 64; l++) {
        double v = Math.max(0, f[64 * b + l]);
        double dx = m.vx(ids[b], l) - cx, dy = m.vy(ids[b], l) - cy, dz = m.vz(ids[b], l) - cz;
        var += v * (dx * dx + dy * dy + dz * dz);
      }
    }
    double vth = Math.sqrt(var / (3 * n));
    double scale = 4 * Math.max(vth, 2 * Math.max(m.dvx(), Math.max(m.dvy(), m.dvz())));
    double peak = cell.peak();
    double floor = Math.max(peak * StrictMath.pow(10, -s.decades), s.residual ? tolerance / 4 : 0);
    return new Norm((float) cx, (float) cy, (float) cz, (float) scale, LogScale.of(peak, floor));
  }

  private float[] features(CellVdf cell, Norm nm, Model md) {
    return Coordinates.features(cell.mesh(), cell.blockIds(), nm.centre(), nm.half(), md.order(), md.sigma(), md.seed());
  }

  /** Trains the network and the sample cells' latents on up to {@code points} velocity cells per sample cell. */
  @Override
  public byte[] trainModel(List<CellVdf> sample, double tolerance) {
    int fw = Coordinates.width(s.order);
    Model md = new Model(DenseNet.initialised(s.seed, sizes(fw + s.latent, s.layers, s.width)), s.latent, s.order,
        (float) s.sigma, s.seed);
    SplittableRandom rnd = new SplittableRandom(s.seed ^ 0x5eed);
    int total = 0;
    for (CellVdf c : sample) {
      total += Math.min(s.points, c.values().length);
    }
    float[] x = new float[total * fw];
    float[] y = new float[total];
    float[] w = new float[total];
    int[] group = new int[total];
    int row = 0;
    for (int g = 0; g < sample.size(); g++) {
      CellVdf c = sample.get(g);
      if (c.blockCount() == 0 || !(c.peak() > 0)) {
        continue;
      }
      Norm nm = norm(c, tolerance);
      float[] fx = features(c, nm, md);
      float[] f = c.values();
      int n = f.length, take = Math.min(s.points, n);
      double peak = c.peak();
      for (int t = 0; t < take; t++) {
        int k = take == n ? t : rnd.nextInt(n);
        System.arraycopy(fx, k * fw, x, row * fw, fw);
        y[row] = nm.log().target(f[k]);
        w[row] = (float) (1 + s.peakWeight * Math.max(0, f[k]) / peak);
        group[row] = g;
        row++;
      }
    }
    float[] latents = new float[sample.size() * s.latent];
    for (int k = 0; k < latents.length; k++) {
      latents[k] = (float) (0.01 * (2 * rnd.nextDouble() - 1));
    }
    Trainer.train(md.net(), x, fw, y, w, row, s.latent > 0 ? new Trainer.Latents(latents, s.latent, group) : null, true,
        new Trainer.Settings(s.epochs, 512, 3e-3, 0.05, s.seed, s.threads,
            s.progress ? line -> System.err.println(NAME + " model " + line) : null));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
    h.put(new byte[] {'M', 'L', 'P', 'M'}).put((byte) MODEL_VERSION).put((byte) s.layers).putShort((short) s.width)
        .put((byte) s.latent).put((byte) s.order).putFloat((float) s.sigma).putLong(s.seed).put((byte) s.bits);
    out.write(h.array(), 0, h.position());
    for (float[] t : md.net().tensors()) {
      Quantiser.write(out, t, s.bits);
    }
    return out.toByteArray();
  }

  @Override
  public VdfCodec withModel(ByteBuffer buf) throws CorruptRecordException {
    ByteBuffer in = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    verify(in.remaining() >= 23, "mlpmulti model: %d bytes, expected at least 23", in.remaining());
    verify(in.get() == 'M' && in.get() == 'L' && in.get() == 'P' && in.get() == 'M', "mlpmulti model does not start with MLPM");
    int version = in.get() & 0xff;
    verify(version == MODEL_VERSION, "mlpmulti model version %d, this build reads %d", version, MODEL_VERSION);
    int layers = in.get() & 0xff, width = in.getShort() & 0xffff, latent = in.get() & 0xff, order = in.get() & 0xff;
    float sigma = in.getFloat();
    long seed = in.getLong();
    int bits = in.get() & 0xff;
    verify(layers >= 1 && layers <= 16 && width >= 1 && width <= 1024 && latent <= 64,
        "mlpmulti model: %d layers of width %d, latent %d out of range", layers, width, latent);
    verify(Float.isFinite(sigma) && sigma > 0, "mlpmulti model: sigma %s", sigma);
    verify(bits >= 2 && bits <= 16, "mlpmulti model: %d bits per weight", bits);
    int[] sz = sizes(Coordinates.width(order) + latent, layers, width);
    long need = 0;
    for (int l = 0; l + 1 < sz.length; l++) {
      need += Quantiser.size(sz[l] * sz[l + 1], bits) + Quantiser.size(sz[l + 1], bits);
    }
    verify(need <= in.remaining(), "mlpmulti model: weights need %d bytes, %d left", need, in.remaining());
    DenseNet net = new DenseNet(sz);
    for (float[] t : net.tensors()) {
      Quantiser.read(in, t, bits, "mlpmulti weights");
    }
    return new MlpMultiCodec(s, new Model(net, latent, order, sigma, seed));
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
    if (model == null) {
      throw new IllegalStateException("mlpmulti needs its shared network: train one (trainModel) and bind it (withModel)");
    }
    requireCodable(cell);
    float[] f = cell.values();
    double peak = cell.peak();
    boolean useModel = peak > tolerance || (!s.residual && peak > 0);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write((useModel ? HAS_MODEL : 0) | (s.residual ? HAS_RESIDUAL : 0));
    float[] pred = new float[f.length];
    if (useModel) {
      Norm nm = norm(cell, tolerance);
      float[] x = features(cell, nm, model);
      int fw = Coordinates.width(model.order());
      int n = f.length;
      float[] z = new float[model.latent()];
      if (model.latent() > 0 && s.fit > 0) {
        // Fit the latent on at most `points` velocity cells (a seeded choice, so encoding is deterministic).
        int m = Math.min(n, s.points);
        SplittableRandom rnd = new SplittableRandom(s.seed ^ cell.cellId());
        float[] xs = m == n ? x : new float[m * fw];
        float[] y = new float[m];
        float[] w = new float[m];
        for (int r = 0; r < m; r++) {
          int k = m == n ? r : rnd.nextInt(n);
          if (m != n) {
            System.arraycopy(x, k * fw, xs, r * fw, fw);
          }
          y[r] = nm.log().target(f[k]);
          w[r] = (float) (1 + s.peakWeight * Math.max(0, f[k]) / peak);
        }
        Trainer.train(model.net(), xs, fw, y, w, m, new Trainer.Latents(z, model.latent(), new int[m]), false,
            new Trainer.Settings(s.fit, 256, 1e-2, 0.1, s.seed, 1, null));
      }
      ByteBuffer h = ByteBuffer.allocate(24 + 4 * z.length).order(ByteOrder.LITTLE_ENDIAN);
      h.putFloat(nm.cx()).putFloat(nm.cy()).putFloat(nm.cz()).putFloat(nm.scale()).putFloat(nm.log().lo())
          .putFloat(nm.log().hi());
      for (float v : z) {
        h.putFloat(v);
      }
      out.write(h.array(), 0, h.position());
      predict(x, fw, n, z, nm.log(), pred);
    }
    if (s.residual) {
      ResidualStage.write(out, f, pred, tolerance);
    }
    return out.toByteArray();
  }

  private void predict(float[] x, int fw, int n, float[] z, LogScale log, float[] pred) {
    int in = fw + z.length;
    float[] xi = new float[n * in];
    for (int k = 0; k < n; k++) {
      System.arraycopy(x, k * fw, xi, k * in, fw);
      System.arraycopy(z, 0, xi, k * in + fw, z.length);
    }
    float[] t = new float[n];
    model.net().predict(xi, n, t);
    for (int k = 0; k < n; k++) {
      pred[k] = log.value(t[k]);
    }
  }

  @Override
  public float[] decode(ByteBuffer in, VelocityMesh mesh, int[] blockIds, int version) throws CorruptRecordException {
    verify(version == VERSION, "mlpmulti payload version %d, this build reads %d", version, VERSION);
    verify(mesh.wid() == 4, "mlpmulti codes 4x4x4 blocks, mesh %s has width %d", mesh.population(), mesh.wid());
    verify(model != null, "mlpmulti payload without its network: the file's VDFC_MODEL for %s is missing", mesh.population());
    in.order(ByteOrder.LITTLE_ENDIAN);
    verify(in.remaining() >= 1, "mlpmulti payload is empty");
    int flags = in.get() & 0xff;
    verify((flags & ~3) == 0, "mlpmulti flags 0x%x at offset %d", flags, in.position() - 1);
    int n = blockIds.length * 64;
    float[] pred = new float[n];
    if ((flags & HAS_MODEL) != 0) {
      verify(in.remaining() >= 24 + 4 * model.latent(), "mlpmulti cell header: %d bytes left at offset %d, expected %d",
          in.remaining(), in.position(), 24 + 4 * model.latent());
      float cx = in.getFloat(), cy = in.getFloat(), cz = in.getFloat(), scale = in.getFloat();
      LogScale log = new LogScale(in.getFloat(), in.getFloat());
      float[] z = new float[model.latent()];
      for (int k = 0; k < z.length; k++) {
        z[k] = in.getFloat();
      }
      verify(Float.isFinite(cx) && Float.isFinite(cy) && Float.isFinite(cz) && Float.isFinite(scale) && scale > 0,
          "mlpmulti cell normalisation (%s, %s, %s) / %s invalid", cx, cy, cz, scale);
      verify(log.valid(), "mlpmulti log scale [%s, %s] invalid", log.lo(), log.hi());
      for (float v : z) {
        verify(Float.isFinite(v), "mlpmulti latent value %s is not finite", v);
      }
      Norm nm = new Norm(cx, cy, cz, scale, log);
      float[] x = Coordinates.features(mesh, blockIds, nm.centre(), nm.half(), model.order(), model.sigma(), model.seed());
      predict(x, Coordinates.width(model.order()), n, z, log, pred);
    }
    if ((flags & HAS_RESIDUAL) != 0) {
      ResidualStage.read(in, pred);
    }
    verify(!in.hasRemaining(), "mlpmulti payload: %d bytes left over at offset %d", in.remaining(), in.position());
    return pred;
  }

  static int[] sizes(int inputs, int layers, int width) {
    int[] sz = new int[layers + 2];
    sz[0] = inputs;
    for (int l = 1; l <= layers; l++) {
      sz[l] = width;
    }
    sz[layers + 1] = 1;
    return sz;
  }

  @Override
  public String toString() {
    return NAME + s;
  }
}
