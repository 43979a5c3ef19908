package io.vdfc.codec.sph;

import io.vdfc.codec.CodecOptions;
import io.vdfc.codec.CorruptRecordException;
import io.vdfc.codec.VdfCodec;
import io.vdfc.codec.model.ModelCodec;
import io.vdfc.codec.model.ModelSettings;
import io.vdfc.codec.model.PayloadReader;
import io.vdfc.codec.model.Quantized;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VelocityMesh;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Spherical-harmonic expansion in shells around the bulk velocity (see {@link ShellModel}); then zfpb on the residual
 * (see {@link io.vdfc.codec.model.ModelPayload}).
 *
 * <p>Model section, format version 1:
 *
 * <pre>
 * L:u8 (0..30)  bits:u8 (16, 24, 32)  V:3 x f32  w:f32 (> 0, shell width in velocity units)  shells:u16
 * per shell s: (L_s + 1)^2 values of `bits` bits, index l^2 + l + m; L_s from the number of the cell's velocity
 *     cells with floor(|v - V| / w) = s (see ShellModel); values beyond the last shell are 0
 * </pre>
 *
 * <p>Options: {@code residual=on|off} and {@code model=auto|always} ({@link ModelSettings}), {@code degree=L} (fixed;
 * default: chosen per cell, with the residual the L of the smallest payload among 0, 2, 4, without it the first of 0,
 * 2, .., 8 whose largest error is within the tolerance), {@code shell=w} (shell width in mesh cells, default 1),
 * {@code bits=16|24|32} (default 16).
 *
 * @since 0.1
 */
public final class SphCodec extends ModelCodec {
  public static final String NAME = "sph";
  public static final int ID = 14;
  public static final int VERSION = 1;

  private final int degree;
  private final double shell;
  private final int bits;

  public SphCodec() {
    this(ModelSettings.DEFAULT, -1, 1, 16);
  }

  private SphCodec(ModelSettings frame, int degree, double shell, int bits) {
    super(NAME, ID, VERSION, frame);
    this.degree = degree;
    this.shell = shell;
    this.bits = bits;
  }

  @Override
  public VdfCodec configure(CodecOptions o) {
    o.requireOnly(ModelSettings.keys("degree", "shell", "bits"));
    if (o.isEmpty()) {
      return this;
    }
    double w = o.getDouble("shell", shell);
    if (!(w >= 0.25 && w <= 1000)) {
      throw new IllegalArgumentException("codec option shell=" + w + " must be in [0.25, 1000] mesh cells");
    }
    return new SphCodec(ModelSettings.parse(o, frame), o.getInt("degree", degree, -1, ShellModel.MAX_DEGREE), w,
        Quantized.checkBits(o.getInt("bits", bits, 16, 32)));
  }

  @Override
  protected List<Supplier<byte[]>> candidates(CellVdf cell, double tolerance) {
    List<Supplier<byte[]>> c = new ArrayList<>();
    if (degree >= 0) {
      c.add(() -> ShellModel.fit(cell, degree, shell, bits));
    } else {
      for (int d = 0; d <= (residual ? 4 : 8); d += 2) {
        int dd = d;
        c.add(() -> ShellModel.fit(cell, dd, shell, bits));
      }
    }
    return c;
  }

  @Override
  protected float[] decodeModel(PayloadReader in, VelocityMesh mesh, int[] blockIds) throws CorruptRecordException {
    return ShellModel.decode(in, mesh, blockIds);
  }

  @Override
  public String toString() {
    return NAME + "(" + frame + ",degree=" + (degree < 0 ? "auto" : degree) + ",shell=" + shell
        + ",bits=" + bits + ")";
  }
}
