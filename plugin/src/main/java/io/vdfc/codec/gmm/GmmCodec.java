package io.vdfc.codec.gmm;

import io.vdfc.codec.CodecOptions;
import io.vdfc.codec.CorruptRecordException;
import io.vdfc.codec.VdfCodec;
import io.vdfc.codec.model.ModelCodec;
import io.vdfc.codec.model.ModelSettings;
import io.vdfc.codec.model.PayloadReader;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VelocityMesh;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Gaussian mixture: {@code f(v) ~ sum_k a_k exp(-|M_k (u - mu_k)|^2 / 2)} with {@code u = v / dv} (mesh-cell units),
 * means and covariances by EM on the cell's values as weights (k-means++ initialisation with a fixed seed; at most
 * 10,000 points, every s-th positive value, for the fit), amplitudes by least squares on every value; then zfpb on
 * the residual (see {@link io.vdfc.codec.model.ModelPayload}).
 *
 * <p>Model section, format version 1:
 *
 * <pre>
 * K:u8 (1..64), then per component: a:f32  mu:3 x f32  M:6 x f32 (m00 m10 m11 m20 m21 m22, lower triangular)
 * </pre>
 *
 * <p>Options: {@code residual=on|off} and {@code model=auto|always} ({@link ModelSettings}), {@code components=K}
 * (fixed; default: chosen per cell, with the residual the K of the smallest payload among 1, 2, 4, 8, without it the
 * first K of 1..8 whose largest error is within the tolerance).
 *
 * @since 0.1
 */
public final class GmmCodec extends ModelCodec {
  public static final String NAME = "gmm";
  public static final int ID = 15;
  public static final int VERSION = 1;

  private final int components;

  public GmmCodec() {
    this(ModelSettings.DEFAULT, -1);
  }

  private GmmCodec(ModelSettings frame, int components) {
    super(NAME, ID, VERSION, frame);
    this.components = components;
  }

  @Override
  public VdfCodec configure(CodecOptions o) {
    o.requireOnly(ModelSettings.keys("components"));
    if (o.isEmpty()) {
      return this;
    }
    return new GmmCodec(ModelSettings.parse(o, frame), o.getInt("components", components, 1, GmmModel.MAX_COMPONENTS));
  }

  @Override
  protected List<Supplier<byte[]>> candidates(CellVdf cell, double tolerance) {
    List<Supplier<byte[]>> c = new ArrayList<>();
    int[] ks = components > 0 ? new int[] {components} : residual ? new int[] {1, 2, 4, 8}
        : new int[] {1, 2, 3, 4, 5, 6, 7, 8};
    for (int k : ks) {
      c.add(() -> GmmModel.fit(cell, k));
    }
    return c;
  }

  @Override
  protected float[] decodeModel(PayloadReader in, VelocityMesh mesh, int[] blockIds) throws CorruptRecordException {
    return GmmModel.decode(in, mesh, blockIds);
  }

  @Override
  public String toString() {
    return NAME + "(" + frame + ",components=" + (components < 0 ? "auto" : components) + ")";
  }
}
