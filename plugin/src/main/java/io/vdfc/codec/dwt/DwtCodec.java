package io.vdfc.codec.dwt;

import static io.vdfc.codec.CorruptRecordException.verify;

import io.vdfc.codec.CodecOptions;
import io.vdfc.codec.CorruptRecordException;
import io.vdfc.codec.FloatBytes;
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
 * Options: {@code wavelet=haar|db4|cdf97} (default cdf97), {@code levels=L} (default 3), {@code step=S} (default 2),
 * {@code deadzone=D} (default 0.5).
 *
 * @since 0.1
 */
public final class DwtCodec implements VdfCodec {
  public static final String NAME = "dwt";
  public static final int ID = 11;
  static final int VERSION = 1;
  static final double MAX_Q = 1 << 29;

  private final Wavelet wavelet;
  private final int levels;
  private final double step;
  private final double deadzone;

  public DwtCodec() {
    this(Wavelet.CDF97, 3, 2.0, 0.5);
  }

  private DwtCodec(Wavelet wavelet, int levels, double step, double deadzone) {
    this.wavelet = wavelet;
    this.levels = levels;
    this.step = step;
    this.deadzone = deadzone;
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
  public VdfCodec configure(CodecOptions options) {
    options.requireOnly("wavelet", "levels", "step", "deadzone");
    Wavelet w = Wavelet.byLabel(options.getString("wavelet", wavelet.label));
    int l = options.getInt("levels", levels, 1, 6);
    double s = options.getDouble("step", step);
    double d = options.getDouble("deadzone", deadzone);
    if (!(s > 0 && s < 1e6)) {
      throw new IllegalArgumentException("codec option step=" + s + ": expected a positive number of tolerances");
    }
    if (!(d >= 0.5 && d <= 10)) {
      throw new IllegalArgumentException("codec option deadzone=" + d + ": expected 0.5..10 steps");
    }
    return new DwtCodec(w, l, s, d);
  }

  @Override
  public byte[] encode(CellVdf cell, double tolerance) {
    if (!(tolerance > 0) || Double.isInfinite(tolerance)) {
      throw new IllegalArgumentException("dwt tolerance must be a positive finite number, got " + tolerance);
    }
    DenseBox box = DenseBox.of(cell);
    Grid g = new Grid(box, levels);
    double[] coef = g.pad(box.toDense(cell.values()));
    g.transform(coef, wavelet, false);
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
    byte[] stream = g.code(quant);
    float[] model = box.toBlocks(g.model(quant, q, wavelet));
    byte[] residual = Residual.encode(cell.values(), model, tolerance);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] plain = Residual.encode(cell.values(), new float[cell.values().length], tolerance);
    if (plain.length <= 10 + stream.length + residual.length) {
      out.write(0);
      out.writeBytes(plain);
      return out.toByteArray();
    }
    out.write(wavelet.code);
    out.write(levels);
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
    int l = in.get() & 0xFF;
    verify(l >= 1 && l <= 6, "dwt levels %d, expected 1..6", l);
    double q = in.getDouble();
    verify(q > 0 && Double.isFinite(q), "dwt quantisation step %s is not positive", q);
    int n = Varint.read(in, in.remaining(), "dwt coefficient stream length");
    DenseBox box;
    try {
      box = DenseBox.of(mesh, blockIds);
    } catch (IllegalArgumentException e) {
      throw new CorruptRecordException("dwt: " + e.getMessage());
    }
    Grid g = new Grid(box, l);
    verify((long) g.size() <= 64L * 1024 * 1024, "dwt grid of %d values is too large", g.size());
    ByteBuffer coefBytes = in.slice().limit(n);
    in.position(in.position() + n);
    int[] quant = g.decodeStream(coefBytes);
    float[] out = Residual.apply(in, box.toBlocks(g.model(quant, q, w)));
    payload.position(payload.limit());
    return out;
  }

  @Override
  public String toString() {
    return NAME + "(wavelet=" + wavelet.label + ",levels=" + levels + ",step=" + step + ",deadzone=" + deadzone + ")";
  }

  /** The padded dense grid and its multilevel transform. */
  static final class Grid {
    final DenseBox box;
    final int levels, px, py, pz;

    Grid(DenseBox box, int levels) {
      this.box = box;
      this.levels = levels;
      int m = 1 << levels;
      this.px = (box.nx + m - 1) / m * m;
      this.py = (box.ny + m - 1) / m * m;
      this.pz = (box.nz + m - 1) / m * m;
    }

    int size() {
      return px * py * pz;
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

    int contexts() {
      return 1 + 3 * levels;
    }

    byte[] code(int[] quant) {
      RangeEncoder rc = new RangeEncoder();
      IntCoder ic = new IntCoder(contexts());
      int idx = 0;
      for (int k = 0; k < pz; k++) {
        for (int j = 0; j < py; j++) {
          for (int i = 0; i < px; i++, idx++) {
            ic.encode(rc, context(i, j, k), quant[idx]);
          }
        }
      }
      return rc.finish();
    }

    int[] decodeStream(ByteBuffer in) throws CorruptRecordException {
      RangeDecoder rd = new RangeDecoder(in);
      IntCoder ic = new IntCoder(contexts());
      int[] quant = new int[size()];
      int idx = 0;
      for (int k = 0; k < pz; k++) {
        for (int j = 0; j < py; j++) {
          for (int i = 0; i < px; i++, idx++) {
            quant[idx] = ic.decode(rd, context(i, j, k));
          }
        }
        verify(!rd.overran(), "dwt coefficient stream ends early (plane %d)", k);
      }
      rd.finish("dwt coefficients");
      return quant;
    }
  }
}
