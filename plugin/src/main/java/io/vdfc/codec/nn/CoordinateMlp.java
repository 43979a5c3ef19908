package io.vdfc.codec.nn;

import static io.vdfc.codec.CorruptRecordException.verify;

import io.vdfc.codec.CorruptRecordException;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VelocityMesh;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The engine of the per-cell coordinate MLP codecs: a network from (normalised velocity, optional Fourier features) to
 * the log-scaled density ({@link LogScale}), trained on the cell's own values, its weights quantised into the payload,
 * then a zfpb residual ({@link ResidualStage}) so the tolerance holds.
 *
 * <p>Payload layout (format version 1, little-endian):
 * <pre>
 *   u8   flags          bit 0: a model follows; bit 1: a residual follows
 *   -- if model --
 *   u8   hidden layers  1..16
 *   u16  width          1..1024
 *   u8   order          Fourier features (0: none)
 *   f32  sigma          Fourier frequency deviation
 *   i64  seed           Fourier matrix seed
 *   u8   bits           per weight, 2..16
 *   f32  lo, hi         the log scaling
 *   tensors             per layer: weights (inputs x outputs, input-major) then biases, each as {@link Quantiser}
 *   -- if residual --
 *   residual            {@link ResidualStage}
 * </pre>
 * Without a model the prediction is 0 (cells whose values all lie within the tolerance, or empty cells).
 */
public final class CoordinateMlp {
  public static final int VERSION = 1;
  private static final int HAS_MODEL = 1, HAS_RESIDUAL = 2;

  private CoordinateMlp() {
    throw new AssertionError("no instances");
  }

  /** Encodes a cell; {@code codecName} only labels progress lines. */
  public static byte[] encode(CellVdf cell, double tolerance, MlpSettings s, String codecName) {
    float[] f = cell.values();
    double peak = cell.peak();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    boolean model = peak > tolerance || (!s.residual() && peak > 0);
    out.write((model ? HAS_MODEL : 0) | (s.residual() ? HAS_RESIDUAL : 0));
    float[] pred = new float[f.length];
    if (model) {
      double floor = peak * StrictMath.pow(10, -s.decades());
      if (s.residual()) {
        floor = Math.max(floor, tolerance / 4);
      }
      LogScale scale = LogScale.of(peak, floor);
      int n = f.length;
      // the decoder sees sigma as the stored float32: use exactly that value here too
      float[] x = Coordinates.features(cell.mesh(), cell.blockIds(), s.order(), (float) s.sigma(), s.seed());
      int fw = Coordinates.width(s.order());
      float[] y = new float[n];
      float[] wgt = s.peakWeight() > 0 ? new float[n] : null;
      for (int k = 0; k < n; k++) {
        y[k] = scale.target(f[k]);
        if (wgt != null) {
          wgt[k] = (float) (1 + s.peakWeight() * Math.max(0, f[k]) / peak);
        }
      }
      DenseNet net = DenseNet.initialised(s.seed(), sizes(fw, s));
      Trainer.train(net, x, fw, y, wgt, n, null, true,
          s.training(line -> System.err.println(codecName + " cell " + cell.cellId() + " " + line)));
      ByteBuffer h = ByteBuffer.allocate(25).order(ByteOrder.LITTLE_ENDIAN);
      h.put((byte) s.layers()).putShort((short) s.width()).put((byte) s.order()).putFloat((float) s.sigma())
          .putLong(s.seed()).put((byte) s.bits()).putFloat(scale.lo()).putFloat(scale.hi());
      out.write(h.array(), 0, h.position());
      for (float[] t : net.tensors()) {
        Quantiser.write(out, t, s.bits()); // rounds the weights to their stored values
      }
      predict(net, x, n, scale, pred);
    }
    if (s.residual()) {
      ResidualStage.write(out, f, pred, tolerance);
    }
    return out.toByteArray();
  }

  /** Decodes a payload of {@link #encode}. */
  public static float[] decode(ByteBuffer in, VelocityMesh mesh, int[] blockIds, int version, String codecName)
      throws CorruptRecordException {
    verify(version == VERSION, "%s payload version %d, this build reads %d", codecName, version, VERSION);
    verify(mesh.wid() == 4, "%s codes 4x4x4 blocks, mesh %s has width %d", codecName, mesh.population(), mesh.wid());
    in.order(ByteOrder.LITTLE_ENDIAN);
    verify(in.remaining() >= 1, "%s payload is empty", codecName);
    int flags = in.get() & 0xff;
    verify((flags & ~3) == 0, "%s flags 0x%x at offset %d, expected bits 0-1 only", codecName, flags, in.position() - 1);
    int n = blockIds.length * 64;
    float[] pred = new float[n];
    if ((flags & HAS_MODEL) != 0) {
      verify(in.remaining() >= 25, "%s model header: %d bytes left, expected 25", codecName, in.remaining());
      int layers = in.get() & 0xff;
      int width = in.getShort() & 0xffff;
      int order = in.get() & 0xff;
      float sigma = in.getFloat();
      long seed = in.getLong();
      int bits = in.get() & 0xff;
      LogScale scale = new LogScale(in.getFloat(), in.getFloat());
      verify(layers >= 1 && layers <= 16 && width >= 1 && width <= 1024, "%s: %d hidden layers of width %d, expected 1..16 x 1..1024",
          codecName, layers, width);
      verify(Float.isFinite(sigma) && sigma > 0 && sigma < 1000, "%s: Fourier sigma %s out of range", codecName, sigma);
      verify(bits >= 2 && bits <= 16, "%s: %d bits per weight, expected 2..16", codecName, bits);
      verify(scale.valid(), "%s: log scale [%s, %s] invalid", codecName, scale.lo(), scale.hi());
      int fw = Coordinates.width(order);
      int[] sz = sizes(fw, layers, width);
      long need = 0;
      for (int l = 0; l + 1 < sz.length; l++) {
        need += Quantiser.size(sz[l] * sz[l + 1], bits) + Quantiser.size(sz[l + 1], bits);
      }
      verify(need <= in.remaining(), "%s: weights need %d bytes, %d left", codecName, need, in.remaining());
      DenseNet net = new DenseNet(sz);
      for (float[] t : net.tensors()) {
        Quantiser.read(in, t, bits, codecName + " weights");
      }
      float[] x = Coordinates.features(mesh, blockIds, order, sigma, seed);
      predict(net, x, n, scale, pred);
    }
    if ((flags & HAS_RESIDUAL) != 0) {
      ResidualStage.read(in, pred);
    }
    verify(!in.hasRemaining(), "%s payload: %d bytes left over at offset %d", codecName, in.remaining(), in.position());
    return pred;
  }

  static void predict(DenseNet net, float[] x, int n, LogScale scale, float[] pred) {
    float[] t = new float[n];
    net.predict(x, n, t);
    for (int k = 0; k < n; k++) {
      pred[k] = scale.value(t[k]);
    }
  }

  private static int[] sizes(int inputs, MlpSettings s) {
    return sizes(inputs, s.layers(), s.width());
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
}
