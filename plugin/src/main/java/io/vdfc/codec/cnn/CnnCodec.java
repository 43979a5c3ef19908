package io.vdfc.codec.cnn;

import static io.vdfc.codec.CorruptRecordException.verify;

import io.vdfc.codec.CodecOptions;
import io.vdfc.codec.CorruptRecordException;
import io.vdfc.codec.LossyCodec;
import io.vdfc.codec.SharedModelCodec;
import io.vdfc.codec.VdfCodec;
import io.vdfc.codec.nn.LogScale;
import io.vdfc.codec.nn.Quantiser;
import io.vdfc.codec.nn.ResidualStage;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VelocityMesh;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A 3D convolutional autoencoder with a real bottleneck ({@link ConvAutoencoder}): a cell's blocks, densified into
 * their bounding box ({@link CellGrid}) and log-scaled ({@link LogScale}, floor {@code peak * 10^-decades}), are encoded
 * by {@code levels} strided convolutions to a latent grid of {@code 2^levels} times fewer cells per axis with
 * {@code latent} values each; transposed convolutions decode it back. A cell stores only its quantised latent grid and
 * its log scaling, then a zfpb residual ({@link ResidualStage}) makes the tolerance hold on every value; the pipeline
 * conserves the moments on top. A cell whose record comes out smaller without the network part (the prediction saves
 * fewer residual bytes than its latent grid costs) stores the residual alone.
 *
 * <p><b>What is stored where.</b> The network is a shared model ({@link SharedModelCodec}): trained on a sample of the
 * file's cells (crops of their grids, {@link CnnTrainer}), stored once per population in the file's model array and
 * counted there; in a single-cell figure (the study VDF) it is counted in full. The model holds the decoder, which
 * decoding needs, and also the encoder, which only encoding needs: every rank must encode its cells with the same bytes
 * rank 0 broadcast, and an encoder turns encoding into one forward pass (instead of fitting each latent through the
 * decoder). Its bytes are counted although a reader does not use them, so the ratios here are on the safe side. The
 * grid's shape is not stored: the block IDs give the bounding box.
 *
 * <p>Training is deterministic for the seed whatever the thread count, and does not depend on the tolerance (the log
 * floor follows the peak), so a tolerance search reuses one model: the last few trained models are memoised by a
 * SHA-256 of the settings and the cells.
 *
 * <p>Options: {@code channels=} (hidden channels, 8, at most 64), {@code latent=} (latent values per latent cell, 4,
 * at most 64), {@code levels=} (halvings, 3: one latent cell per 8^3 velocity cells), {@code bits=} (per weight, 8),
 * {@code zbits=} (per latent value, 8), {@code steps=} (Adam steps, 300) or {@code epochs=} (passes over the training
 * cells' grids, replaces {@code steps}), {@code batch=} (crops per step, 4), {@code crop=} (crop edge, 32), {@code lr=}
 * (0.003), {@code decades=} (6), {@code peakweight=} (loss weight {@code 1 + peakweight * f / peak}, 10), {@code seed=},
 * {@code threads=}, {@code residual=on|off}, {@code progress=on|off}.
 *
 * <p>Model layout: "CNN3", u8 version (1), u8 levels, u16 channels, u8 latent, u8 bits, u8 zbits, f32 decades, then
 * every layer's weights and biases, encoder first ({@link ConvLayer} order), as {@link Quantiser} tensors of
 * {@code bits} bits.
 *
 * <p>Payload layout (format version 1, little-endian):
 * <pre>
 *   u8   flags        bit 0: the network part follows; bit 1: a residual follows
 *   -- network part --
 *   f32  lo, hi       the log scaling ({@link LogScale})
 *   latent grid       a {@link Quantiser} tensor of zbits bits: latent x (X/2^levels) x (Y/2^levels) x (Z/2^levels)
 *                     values, channel-first, x fastest; X, Y, Z the cell's grid ({@link CellGrid}, from the block IDs)
 *   -- residual --    {@link ResidualStage}
 * </pre>
 */
public final class CnnCodec extends LossyCodec implements SharedModelCodec {
  public static final String NAME = "cnn";
  public static final int ID = 23;
  public static final int VERSION = 1;
  static final int MODEL_VERSION = 1;
  private static final int HAS_NET = 1, HAS_RESIDUAL = 2;
  private static final int HEADER = 15;
  /** Cells whose blocks fill less of their grid than this are coded by the residual alone (scattered blocks). */
  static final double MIN_FILL = 1.0 / 16;

  /** Settings; see the class comment for the option names and defaults. */
  record Settings(int levels, int channels, int latent, int bits, int zbits, int steps, int epochs, int batch, int crop,
      double lr, double decades, double peakWeight, long seed, int threads, boolean residual, boolean progress) {
    /** The settings that decide the model's bytes, as text (threads and progress do not). */
    String trainingKey() {
      return levels + "," + channels + "," + latent + "," + bits + "," + zbits + "," + steps + "," + epochs + ","
          + batch + "," + crop + "," + lr + "," + decades + "," + peakWeight + "," + seed;
    }
  }

  /** A decoded shared model. */
  record Model(ConvAutoencoder net, int zbits, float decades) {}

  private static final Map<String, byte[]> TRAINED = new LinkedHashMap<>(8, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, byte[]> e) {
      return size() > 4;
    }
  };

  private final Settings s;
  private final Model model;

  /** Forgets the memoised models (tests of training itself). */
  static void forgetTrainedModels() {
    synchronized (TRAINED) {
      TRAINED.clear();
    }
  }

  public CnnCodec() {
    this(new Settings(3, 8, 4, 8, 8, 300, 0, 4, 32, 3e-3, 6, 10, 1,
        Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors())), true, false), null);
  }

  private CnnCodec(Settings s, Model model) {
    super(NAME, ID, VERSION);
    this.s = s;
    this.model = model;
  }

  @Override
  public int maxTrainingCells() {
    return 16;
  }

  @Override
  public VdfCodec configure(CodecOptions o) {
    o.requireOnly("levels", "channels", "latent", "bits", "zbits", "steps", "epochs", "batch", "crop", "lr", "decades",
        "peakweight", "seed", "threads", "residual", "progress");
    if (o.asMap().containsKey("steps") && o.asMap().containsKey("epochs")) {
      throw new IllegalArgumentException("codec options steps and epochs both set training's length: give one");
    }
    int epochs = o.getInt("epochs", s.epochs, 0, 100000);
    int steps = o.asMap().containsKey("epochs") ? 0 : o.getInt("steps", s.steps, 0, 10_000_000);
    int levels = o.getInt("levels", s.levels, 1, 5);
    int crop = o.getInt("crop", s.crop, 1, 512);
    Settings n = new Settings(levels, o.getInt("channels", s.channels, 1, 64), o.getInt("latent", s.latent, 1, 64),
        o.getInt("bits", s.bits, 2, 16), o.getInt("zbits", s.zbits, 2, 16), steps, epochs,
        o.getInt("batch", s.batch, 1, 64), (crop + (1 << levels) - 1) >> levels << levels, o.getDouble("lr", s.lr),
        o.getDouble("decades", s.decades), o.getDouble("peakweight", s.peakWeight),
        o.getInt("seed", (int) s.seed, Integer.MIN_VALUE, Integer.MAX_VALUE), o.getInt("threads", s.threads, 1, 256),
        o.getBoolean("residual", s.residual), o.getBoolean("progress", s.progress));
    if (!(n.lr > 0 && n.lr < 1) || !(n.decades >= 1 && n.decades <= 30) || !(n.peakWeight >= 0 && n.peakWeight < 1e6)) {
      throw new IllegalArgumentException("codec options lr, decades or peakweight out of range: " + o);
    }
    return new CnnCodec(n, model);
  }

  private static LogScale logScale(double peak, double decades) {
    return LogScale.of(peak, peak * StrictMath.pow(10, -decades));
  }

  /** The cell's grid when the network codes it: blocks present, not too scattered, not too large. */
  static CellGrid gridFor(CellVdf cell, int multiple) {
    CellGrid g = CellGrid.of(cell.mesh(), cell.blockIds(), multiple);
    return g == null || g.fill(cell.blockCount(), cell.mesh().cellsPerBlock()) < MIN_FILL ? null : g;
  }

  @Override
  public byte[] trainModel(List<CellVdf> sample, double tolerance) {
    String key = s.trainingKey() + "|" + fingerprint(sample);
    synchronized (TRAINED) {
      byte[] done = TRAINED.get(key);
      if (done != null) {
        if (s.progress) {
          System.err.println(NAME + " model: the same cells and settings as a model trained before, reused");
        }
        return done.clone();
      }
    }
    ConvAutoencoder net = ConvAutoencoder.initialised(s.seed, s.levels, s.channels, s.latent);
    List<CnnTrainer.Sample> samples = new ArrayList<>();
    long cells = 0;
    for (CellVdf c : sample) {
      CellGrid g = c.mesh().wid() == 4 && c.peak() > 0 ? gridFor(c, net.multiple()) : null;
      if (g == null) {
        continue;
      }
      double peak = c.peak();
      float[] f = g.pad(g.box.toDense(c.values()));
      float[] w = new float[f.length];
      for (int i = 0; i < f.length; i++) {
        w[i] = (float) (1 + s.peakWeight * Math.max(0, f[i]) / peak);
      }
      samples.add(new CnnTrainer.Sample(g.targets(c.values(), logScale(peak, s.decades)), w, g.dims));
      cells += g.size();
    }
    long crop3 = (long) s.crop * s.crop * s.crop;
    int steps = s.epochs > 0 ? (int) Math.min(10_000_000, (s.epochs * cells + s.batch * crop3 - 1) / (s.batch * crop3))
        : s.steps;
    if (s.progress) {
      System.err.printf("%s model: %d parameters, %d training cells (%d grid cells), %d steps of %d crops of %d^3%n",
          NAME, net.parameterCount(), samples.size(), cells, steps, s.batch, s.crop);
    }
    CnnTrainer.train(net, samples, new CnnTrainer.Settings(steps, s.batch, s.crop, s.lr, s.seed, s.threads,
        s.progress ? line -> System.err.println(NAME + " model " + line) : null));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer h = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
    h.put(new byte[] {'C', 'N', 'N', '3'}).put((byte) MODEL_VERSION).put((byte) s.levels).putShort((short) s.channels)
        .put((byte) s.latent).put((byte) s.bits).put((byte) s.zbits).putFloat((float) s.decades);
    out.write(h.array(), 0, HEADER);
    for (float[] t : net.tensors()) {
      Quantiser.write(out, t, s.bits);
    }
    byte[] bytes = out.toByteArray();
    synchronized (TRAINED) {
      TRAINED.put(key, bytes.clone());
    }
    return bytes;
  }

  /** SHA-256 of the cells' IDs, meshes, block IDs and value bits. */
  private static String fingerprint(List<CellVdf> cells) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      ByteBuffer b = ByteBuffer.allocate(1 << 16);
      for (CellVdf c : cells) {
        md.update(c.mesh().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        b.clear();
        b.putLong(c.cellId()).putInt(c.blockCount());
        for (int id : c.blockIds()) {
          flushIfFull(md, b, 4).putInt(id);
        }
        for (float v : c.values()) {
          flushIfFull(md, b, 4).putInt(Float.floatToRawIntBits(v));
        }
        md.update(b.array(), 0, b.position());
      }
      return java.util.HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from this JVM", e);
    }
  }

  private static ByteBuffer flushIfFull(MessageDigest md, ByteBuffer b, int need) {
    if (b.remaining() < need) {
      md.update(b.array(), 0, b.position());
      b.clear();
    }
    return b;
  }

  @Override
  public VdfCodec withModel(ByteBuffer buf) throws CorruptRecordException {
    ByteBuffer in = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    verify(in.remaining() >= HEADER, "cnn model: %d bytes, expected at least %d", in.remaining(), HEADER);
    verify(in.get() == 'C' && in.get() == 'N' && in.get() == 'N' && in.get() == '3', "cnn model does not start with CNN3");
    int version = in.get() & 0xff;
    verify(version == MODEL_VERSION, "cnn model version %d, this build reads %d", version, MODEL_VERSION);
    int levels = in.get() & 0xff, channels = in.getShort() & 0xffff, latent = in.get() & 0xff;
    int bits = in.get() & 0xff, zbits = in.get() & 0xff;
    float decades = in.getFloat();
    verify(levels >= 1 && levels <= 5 && channels >= 1 && channels <= 64 && latent >= 1 && latent <= 64,
        "cnn model: %d levels, %d channels, latent %d out of range", levels, channels, latent);
    verify(bits >= 2 && bits <= 16 && zbits >= 2 && zbits <= 16, "cnn model: %d bits per weight, %d per latent value",
        bits, zbits);
    verify(decades >= 1 && decades <= 30, "cnn model: %s decades", decades);
    ConvAutoencoder net = new ConvAutoencoder(levels, channels, latent);
    long need = 0;
    for (float[] t : net.tensors()) {
      need += Quantiser.size(t.length, bits);
    }
    verify(need == in.remaining(), "cnn model: weights need %d bytes, %d present", need, in.remaining());
    for (float[] t : net.tensors()) {
      Quantiser.read(in, t, bits, "cnn weights");
    }
    return new CnnCodec(s, new Model(net, zbits, decades));
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
      throw new IllegalStateException("cnn needs its shared network: train one (trainModel) and bind it (withModel)");
    }
    requireCodable(cell);
    double peak = cell.peak();
    CellGrid g = peak > tolerance || (!s.residual && peak > 0) ? gridFor(cell, model.net().multiple()) : null;
    byte[] best = record(cell, g, tolerance);
    if (g != null && s.residual) {
      byte[] alone = record(cell, null, tolerance);
      if (alone.length < best.length) {
        best = alone;
      }
    }
    return best;
  }

  /** Grid cells per axis of the bound network's grids are a multiple of this. */
  int multiple() {
    return model.net().multiple();
  }

  /** The payload with the network part when {@code g} is not null, and the residual when the settings have one. */
  byte[] record(CellVdf cell, CellGrid g, double tolerance) {
    float[] f = cell.values();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write((g != null ? HAS_NET : 0) | (s.residual ? HAS_RESIDUAL : 0));
    float[] pred = new float[f.length];
    if (g != null) {
      LogScale log = logScale(cell.peak(), model.decades());
      ByteBuffer h = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(log.lo()).putFloat(log.hi());
      out.write(h.array(), 0, 8);
      float[] z = model.net().encode(g.targets(f, log), g.dims);
      Quantiser.write(out, z, model.zbits()); // z now holds the values the decoder reads
      pred = g.values(model.net().decode(z, model.net().latentDims(g.dims)), log);
    }
    if (s.residual) {
      ResidualStage.write(out, f, pred, tolerance);
    }
    return out.toByteArray();
  }

  @Override
  public float[] decode(ByteBuffer in, VelocityMesh mesh, int[] blockIds, int version) throws CorruptRecordException {
    verify(version == VERSION, "cnn payload version %d, this build reads %d", version, VERSION);
    verify(mesh.wid() == 4, "cnn codes 4x4x4 blocks, mesh %s has width %d", mesh.population(), mesh.wid());
    verify(model != null, "cnn payload without its network: the file's VDFC_MODEL for %s is missing", mesh.population());
    in.order(ByteOrder.LITTLE_ENDIAN);
    verify(in.remaining() >= 1, "cnn payload is empty");
    int flags = in.get() & 0xff;
    verify((flags & ~3) == 0, "cnn flags 0x%x at offset %d", flags, in.position() - 1);
    float[] pred = new float[blockIds.length * 64];
    if ((flags & HAS_NET) != 0) {
      CellGrid g = CellGrid.of(mesh, blockIds, model.net().multiple());
      verify(g != null, "cnn payload codes a network prediction for %d blocks whose grid is empty or too large",
          blockIds.length);
      verify(in.remaining() >= 8, "cnn log scale: %d bytes left at offset %d, expected 8", in.remaining(), in.position());
      LogScale log = new LogScale(in.getFloat(), in.getFloat());
      verify(log.valid(), "cnn log scale [%s, %s] invalid", log.lo(), log.hi());
      int[] ld = model.net().latentDims(g.dims);
      float[] z = new float[model.net().latent * ld[0] * ld[1] * ld[2]];
      Quantiser.read(in, z, model.zbits(), "cnn latent grid");
      pred = g.values(model.net().decode(z, ld), log);
    }
    if ((flags & HAS_RESIDUAL) != 0) {
      ResidualStage.read(in, pred);
    }
    verify(!in.hasRemaining(), "cnn payload: %d bytes left over at offset %d", in.remaining(), in.position());
    return pred;
  }

  @Override
  public String toString() {
    return NAME + s;
  }
}
