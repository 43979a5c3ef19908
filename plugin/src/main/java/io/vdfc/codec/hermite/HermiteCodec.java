package io.vdfc.codec.hermite;

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
 * Hermite-function expansion around a fitted bi-Maxwellian: {@code f(v) ~ sum c_abc psi_a(xi_x) psi_b(xi_y)
 * psi_c(xi_z)} over {@code a + b + c <= degree}, {@code xi = (v - V) / sigma} per axis, with V and sigma the cell's bulk
 * velocity and per-axis thermal spread; coefficients by least squares (EJML Cholesky on the tensor-product normal
 * equations) over the dense box of the cell's blocks; then zfpb on the residual (see {@link io.vdfc.codec.model.ModelPayload}).
 *
 * <p>Model section, format version 1:
 *
 * <pre>
 * degree:u8 (0..40)  bits:u8 (16, 24, 32)  V:3 x f32  sigma:3 x f32 (> 0)
 * coefficients: (degree+1)(degree+2)(degree+3)/6 values of `bits` bits ({@link Quantized}), a outer, then b, then c
 * </pre>
 *
 * <p>Options: {@code residual=on|off} and {@code model=auto|always} ({@link ModelSettings}), {@code degree=N} (fixed;
 * default: chosen per cell, with the residual the degree of the smallest payload among 0, 2, 4, 6, 8, without it the
 * first of 0, 2, .., 14 whose largest error is within the tolerance), {@code bits=16|24|32} (default 16).
 *
 * @since 0.1
 */
public final class HermiteCodec extends ModelCodec {
  public static final String NAME = "hermite";
  public static final int ID = 13;
  public static final int VERSION = 1;

  private final int degree;
  private final int bits;

  public HermiteCodec() {
    this(ModelSettings.DEFAULT, -1, 16);
  }

  private HermiteCodec(ModelSettings frame, int degree, int bits) {
    super(NAME, ID, VERSION, frame);
    this.degree = degree;
    this.bits = bits;
  }

  @Override
  public VdfCodec configure(CodecOptions o) {
    o.requireOnly(ModelSettings.keys("degree", "bits"));
    if (o.isEmpty()) {
      return this;
    }
    return new HermiteCodec(ModelSettings.parse(o, frame), o.getInt("degree", degree, -1, HermiteModel.MAX_DEGREE),
        Quantized.checkBits(o.getInt("bits", bits, 16, 32)));
  }

  @Override
  protected List<Supplier<byte[]>> candidates(CellVdf cell, double tolerance) {
    List<Supplier<byte[]>> c = new ArrayList<>();
    if (degree >= 0) {
      c.add(() -> HermiteModel.fit(cell, degree, bits));
    } else {
      for (int d = 0; d <= (residual ? 8 : 14); d += 2) {
        int dd = d;
        c.add(() -> HermiteModel.fit(cell, dd, bits));
      }
    }
    return c;
  }

  @Override
  protected float[] decodeModel(PayloadReader in, VelocityMesh mesh, int[] blockIds) throws CorruptRecordException {
    return HermiteModel.decode(in, mesh, blockIds);
  }

  @Override
  public String toString() {
    return NAME + "(" + frame + ",degree=" + (degree < 0 ? "auto" : degree) + ",bits=" + bits + ")";
  }
}
