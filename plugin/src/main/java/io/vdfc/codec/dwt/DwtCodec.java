package io.vdfc.codec.dwt;

import static io.vdfc.codec.CorruptRecordException.verify;

import io.vdfc.codec.CodecOptions;
import io.vdfc.codec.CorruptRecordException;
import io.vdfc.codec.FloatBytes;
import io.vdfc.codec.LossyCodec;
import io.vdfc.codec.VdfCodec;
import io.vdfc.codec.entropy.IntCoder;
import io.vdfc.codec.entropy.RangeDecoder;
import io.vdfc.codec.entropy.RangeEncoder;
import io.vdfc.codec.entropy.Varint;
import io.vdfc.codec.grid.DenseBox;
import io.vdfc.codec.grid.Residual;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VelocityMesh;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Multilevel 3-D discrete wavelet transform codec (the study's DWT rows), error-bounded. The cell is densified into the
 * bounding box of its blocks ({@link DenseBox}), zero-padded to a multiple of {@code 2^levels} per axis, and
 * transformed level by level (separable, Mallat layout) with Haar, Daubechies-4 or CDF 9/7 ({@link Wavelet}).
 * Coefficients are thresholded and quantised by the tolerance: uniform step {@code step * tolerance}, coefficients
 * below {@code deadzone} steps set to zero; the rest are range-coded ({@link IntCoder}, one context per level and
 * subband kind). A zfpb residual stage ({@link Residual}) guarantees {@code |f' - f| <= tolerance} on every value.
 *
 * <p>Payload, version 1:
 *
 * <pre>
 *   u8   wavelet      1 haar, 2 db4, 3 cdf97; 0: no model, the rest is a zfpb payload of the values
 *   u8   levels       1..6
 *   f64  step         quantisation step, absolute (little-endian)
 *   varint n          bytes of the coefficient stream
 *   n    coefficients range-coded over the padded grid, x fastest
 *   rest residual     zfpb payload of f - wavelet model on the cell's blocks, to the payload's end
 * </pre>
 *
 * Options: {@code wavelet=haar|db4|cdf97} (default cdf97), {@code levels=L} (default 3), {@code step=S} (default 1, best measured on the study VDF),
 * {@code deadzone=D} (default 0.5), {@code stationary=on} (the undecimated transform, {@link Stationary}: haar or db4,
 * at most 3 levels, no padding; the levels byte then has bit 0x80 set and the coefficients are its bands in order).
 *
 * @since 0.1
 */
public final class DwtCodec extends LossyCodec {
  public static final String NAME = "dwt";
  public static final int ID = 11;
  static final int VERSION = 1;
  static final double MAX_Q = 1 << 29;
  static final int MAX_STATIONARY_LEVELS = 3;
  /** Bit of the levels byte marking the stationary transform. */
  static final int STATIONARY = 0x80;

  private final Wavelet wavelet;
  private final int levels;
  private final double step;
  private final double deadzone;
  private final boolean stationary;

  public DwtCodec() {
    this(Wavelet.CDF97, 3, 1.0, 0.5, false);
  }

  private DwtCodec(Wavelet wavelet, int levels, double step, double deadzone, boolean stationary) {
    super(NAME, ID, VERSION);
    this.wavelet = wavelet;
    this.levels = levels;
    this.step = step;
    this.deadzone = deadzone;
    this.stationary = stationary;
  }

  @Override
  public VdfCodec configure(CodecOptions options) {
    options.requireOnly("wavelet", "levels", "step", "deadzone", "stationary");
    boolean st = options.getBoolean("stationary", stationary);
    Wavelet w = Wavelet.byLabel(options.getString("wavelet", st && !options.asMap().containsKey("wavelet") ? "haar"
        : wavelet.label));
    int l = options.getInt("levels", st ? Math.min(levels, MAX_STATIONARY_LEVELS) : levels, 1, st ? MAX_STATIONARY_LEVELS : 6);
    if (st && w.lowpass() == null) {
      throw new IllegalArgumentException("codec option stationary=on takes wavelet=haar or db4, not " + w.label);
    }
    double s = options.getDouble("step", step);
    double d = options.getDouble("deadzone", deadzone);
    if (!(s > 0 && s < 1e6)) {
      throw new IllegalArgumentException("codec option step=" + s + ": expected a positive number of tolerances");
    }
    if (!(d >= 0.5 && d <= 10)) {
      throw new IllegalArgumentException("codec option deadzone=" + d + ": expected 0.5..10 steps");
    }
    return new DwtCodec(w, l, s, d, st);
  }

  @Override
  public byte[] encode(CellVdf cell, double tolerance) {
    if (!(tolerance > 0) || Double.isInfinite(tolerance)) {
      throw new IllegalArgumentException("dwt tolerance must be a positive finite number, got " + tolerance);
    }
    DenseBox box = DenseBox.of(cell);
    Layout g = stationary ? new StationaryLayout(box, levels, wavelet) : new Grid(box, levels, wavelet);
    double[] coef = g.forward(box.toDense(cell.values()));
    double maxAbs = 0;
    for (double c : coef) {
      maxAbs = Math.max(maxAbs, Math.abs(c));
    }
    double q = Math.max(step * tolerance, maxAbs / MAX_Q);
    int[] quant = new int[coef.length];
    for (int i = 0; i < coef.length; i++) {
      double r = coef[i] / q;
      quant[i] = Math.abs(r) < deadzone ? 0 : (int) Math.rint(r);
    }
    byte[] stream = code(g, quant);
    float[] model = box.toBlocks(g.model(quant, q));
    byte[] residual = Residual.encode(cell.values(), model, tolerance);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] plain = Residual.encode(cell.values(), new float[cell.values().length], tolerance);
    if (plain.length <= 10 + stream.length + residual.length) {
      out.write(0);
      out.writeBytes(plain);
      return out.toByteArray();
    }
    out.write(wavelet.code);
    out.write(levels | (stationary ? STATIONARY : 0));
    out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(q).array());
    Varint.write(out, stream.length);
    out.writeBytes(stream);
    out.writeBytes(residual);
    return out.toByteArray();
  }

  @Override
  public float[] decode(ByteBuffer payload, VelocityMesh mesh, int[] blockIds, int version) throws CorruptRecordException {
    verify(version == VERSION, "dwt payload version %d, this build reads %d", version, VERSION);
    ByteBuffer in = payload.slice().order(ByteOrder.LITTLE_ENDIAN);
    verify(in.hasRemaining(), "dwt payload is empty");
    int code = in.get() & 0xFF;
    if (code == 0) {
      float[] out = Residual.apply(in, new float[FloatBytes.valueCount(blockIds.length, mesh.cellsPerBlock())]);
      payload.position(payload.limit());
      return out;
    }
    Wavelet w = Wavelet.byCode(code);
    verify(w != null, "dwt wavelet code %d, expected 1..3", code);
    verify(in.remaining() >= 9, "dwt header cut: %d bytes after the wavelet", in.remaining());
    int lb = in.get() & 0xFF;
    boolean st = (lb & STATIONARY) != 0;
    int l = lb & ~STATIONARY;
    verify(l >= 1 && l <= (st ? MAX_STATIONARY_LEVELS : 6), "dwt levels %d, expected 1..%d", l, st ? MAX_STATIONARY_LEVELS : 6);
    verify(!st || w.lowpass() != null, "dwt stationary payload with wavelet %s, expected haar or db4", w.label);
    double q = in.getDouble();
    verify(q > 0 && Double.isFinite(q), "dwt quantisation step %s is not positive", q);
    int n = Varint.read(in, in.remaining(), "dwt coefficient stream length");
    DenseBox box;
    try {
      box = DenseBox.of(mesh, blockIds);
    } catch (IllegalArgumentException e) {
      throw new CorruptRecordException("dwt: " + e.getMessage());
    }
    long size = st ? (7L * l + 1) * box.size() : new Grid(box, l, w).size();
    verify(size <= 64L * 1024 * 1024, "dwt grid of %d values is too large", size);
    Layout g = st ? new StationaryLayout(box, l, w) : new Grid(box, l, w);
    ByteBuffer coefBytes = in.slice().limit(n);
    in.position(in.position() + n);
    int[] quant = decodeStream(g, coefBytes);
    float[] out = Residual.apply(in, box.toBlocks(g.model(quant, q)));
    payload.position(payload.limit());
    return out;
  }

  @Override
  public String toString() {
    return NAME + "(wavelet=" + wavelet.label + ",levels=" + levels + ",step=" + step + ",deadzone=" + deadzone
        + (stationary ? ",stationary=on" : "") + ")";
  }

  /** Coefficients of a transformed box: their count, coding contexts, forward transform and model values. */
  interface Layout {
    int size();

    int contexts();

    int context(int index);

    double[] forward(float[] dense);

    /** The dense box values of dequantised coefficients. */
    float[] model(int[] quant, double q);
  }

  static byte[] code(Layout g, int[] quant) {
    RangeEncoder rc = new RangeEncoder();
    IntCoder ic = new IntCoder(g.contexts());
    for (int i = 0; i < quant.length; i++) {
      ic.encode(rc, g.context(i), quant[i]);
    }
    return rc.finish();
  }

  static int[] decodeStream(Layout g, ByteBuffer in) throws CorruptRecordException {
    RangeDecoder rd = new RangeDecoder(in);
    IntCoder ic = new IntCoder(g.contexts());
    int[] quant = new int[g.size()];
    for (int i = 0; i < quant.length; i++) {
      quant[i] = ic.decode(rd, g.context(i));
      if ((i & 4095) == 0) {
        verify(!rd.overran(), "dwt coefficient stream ends early (coefficient %d)", i);
      }
    }
    rd.finish("dwt coefficients");
    return quant;
  }

  /** The stationary transform of the box (no padding). */
  static final class StationaryLayout implements Layout {
    final Stationary t;

    StationaryLayout(DenseBox box, int levels, Wavelet w) {
      this.t = new Stationary(box.nx, box.ny, box.nz, levels, w);
    }

    @Override
    public int size() {
      return (int) t.size();
    }

    @Override
    public int contexts() {
      return 1 + 7 * t.levels;
    }

    @Override
    public int context(int index) {
      int band = index / t.n;
      return band >= 7 * t.levels ? 0 : 1 + band;
    }

    @Override
    public double[] forward(float[] dense) {
      double[] x = new double[dense.length];
      for (int i = 0; i < x.length; i++) {
        x[i] = dense[i];
      }
      return t.forward(x);
    }

    @Override
    public float[] model(int[] quant, double q) {
      double[] c = new double[quant.length];
      for (int i = 0; i < c.length; i++) {
        c[i] = quant[i] * q;
      }
      double[] x = t.inverse(c);
      float[] out = new float[x.length];
      for (int i = 0; i < x.length; i++) {
        out[i] = (float) x[i];
      }
      return out;
    }
  }

  /** The padded dense grid and its multilevel transform. */
  static final class Grid implements Layout {
    final DenseBox box;
    final Wavelet wavelet;
    final int levels, px, py, pz;

    Grid(DenseBox box, int levels, Wavelet wavelet) {
      this.box = box;
      this.wavelet = wavelet;
      this.levels = levels;
      int m = 1 << levels;
      this.px = (box.nx + m - 1) / m * m;
      this.py = (box.ny + m - 1) / m * m;
      this.pz = (box.nz + m - 1) / m * m;
    }

    @Override
    public int size() {
      return px * py * pz;
    }

    @Override
    public double[] forward(float[] dense) {
      double[] c = pad(dense);
      transform(c, wavelet, false);
      return c;
    }

    @Override
    public float[] model(int[] quant, double q) {
      return model(quant, q, wavelet);
    }

    @Override
    public int context(int index) {
      return context(index % px, (index / px) % py, index / (px * py));
    }

    double[] pad(float[] dense) {
      double[] out = new double[size()];
      for (int k = 0; k < box.nz; k++) {
        for (int j = 0; j < box.ny; j++) {
          for (int i = 0; i < box.nx; i++) {
            out[i + px * (j + py * k)] = dense[box.index(i, j, k)];
          }
        }
      }
      return out;
    }

    float[] model(int[] quant, double q, Wavelet w) {
      double[] c = new double[quant.length];
      for (int i = 0; i < c.length; i++) {
        c[i] = quant[i] * q;
      }
      transform(c, w, true);
      float[] dense = new float[box.size()];
      for (int k = 0; k < box.nz; k++) {
        for (int j = 0; j < box.ny; j++) {
          for (int i = 0; i < box.nx; i++) {
            dense[box.index(i, j, k)] = (float) c[i + px * (j + py * k)];
          }
        }
      }
      return dense;
    }

    void transform(double[] a, Wavelet w, boolean inverse) {
      int max = Math.max(px, Math.max(py, pz));
      double[] line = new double[max];
      double[] tmp = new double[max];
      for (int s = 0; s < levels; s++) {
        int lev = inverse ? levels - 1 - s : s;
        int sx = px >> lev, sy = py >> lev, sz = pz >> lev;
        for (int axis = 0; axis < 3; axis++) {
          int ax = inverse ? 2 - axis : axis;
          int n = ax == 0 ? sx : ax == 1 ? sy : sz;
          int stride = ax == 0 ? 1 : ax == 1 ? px : px * py;
          int n1 = ax == 0 ? sy : sx, n2 = ax == 2 ? sy : sz;
          for (int b = 0; b < n2; b++) {
            for (int c = 0; c < n1; c++) {
              int start = ax == 0 ? px * (c + py * b) : ax == 1 ? c + px * py * b : c + px * b;
              for (int t = 0; t < n; t++) {
                line[t] = a[start + t * stride];
              }
              w.apply(line, n, tmp, inverse);
              for (int t = 0; t < n; t++) {
                a[start + t * stride] = line[t];
              }
            }
          }
        }
      }
    }

    /** 0 for the coarsest approximation, else 1 + 3 (level - 1) + (high-pass axes - 1), level 1 the finest. */
    int context(int i, int j, int k) {
      for (int lev = 1; lev <= levels; lev++) {
        int hx = px >> lev, hy = py >> lev, hz = pz >> lev;
        if (i >= 2 * hx || j >= 2 * hy || k >= 2 * hz) {
          continue;
        }
        int high = (i >= hx ? 1 : 0) + (j >= hy ? 1 : 0) + (k >= hz ? 1 : 0);
        if (high > 0) {
          return 1 + 3 * (lev - 1) + high - 1;
        }
      }
      return 0;
    }

    @Override
    public int contexts() {
      return 1 + 3 * levels;
    }

  }
}
