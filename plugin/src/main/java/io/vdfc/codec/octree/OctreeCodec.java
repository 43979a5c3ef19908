package io.vdfc.codec.octree;

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
 * Adaptive octree with a tensor Legendre polynomial of degree p per leaf ({@code (p+1)^3} coefficients, 27 for the
 * default p = 2), least-squares fitted (EJML pseudo-inverse per axis) over the dense box of the cell's blocks and
 * refined until every leaf is within the leaf tolerance on the stored values (or has the minimum side, 4 cells by
 * default); then zfpb on the residual (see {@link io.vdfc.codec.model.ModelPayload}).
 *
 * <p>Model section, format version 1:
 *
 * <pre>
 * p:u8 (0..2)  bits:u8 (16, 24, 32)  minLog2:u8 (leaf side >= 2^minLog2)  root:u8 (cube side 2^root, the smallest
 *     power of two >= 2^minLog2 covering the box)
 * tree: 2 bits per node, pre-order, octants x fastest, 4 codes per byte from the high bits, last byte zero-padded;
 *     0 zero leaf, 1 polynomial leaf, 2 split; nodes holding no velocity cell of the blocks are not coded
 * coefficients: per polynomial leaf in tree order, (p+1)^3 values of `bits` bits, index a + (p+1)(b + (p+1)c)
 * </pre>
 *
 * <p>Options: {@code residual=on|off} and {@code model=auto|always} ({@link ModelSettings}), {@code leaftol=x} (leaf
 * tolerance as a fraction of the cell's peak; default: with the residual the one of the smallest payload among
 * tolerance x 8 and x 64, without it the codec's tolerance itself), {@code leaferr=max|rms} (the leaf error refined
 * on: its largest or its RMS error on the stored values; default max, encoder only), {@code degree=0..2} (default 2),
 * {@code minleaf=2|4|8} (default 4), {@code bits=16|24|32} (default 16).
 *
 * @since 0.1
 */
public final class OctreeCodec extends ModelCodec {
  public static final String NAME = "octree";
  public static final int ID = 16;
  public static final int VERSION = 1;

  private final double leafTol;
  private final int degree;
  private final int minLog2;
  private final int bits;
  private final boolean rms;

  public OctreeCodec() {
    this(ModelSettings.DEFAULT, -1, 2, 2, 16, false);
  }

  private OctreeCodec(ModelSettings frame, double leafTol, int degree, int minLog2, int bits, boolean rms) {
    super(NAME, ID, VERSION, frame);
    this.leafTol = leafTol;
    this.degree = degree;
    this.minLog2 = minLog2;
    this.bits = bits;
    this.rms = rms;
  }

  @Override
  public VdfCodec configure(CodecOptions o) {
    o.requireOnly(ModelSettings.keys("leaftol", "leaferr", "degree", "minleaf", "bits"));
    if (o.isEmpty()) {
      return this;
    }
    double lt = o.getDouble("leaftol", leafTol);
    if (o.asMap().containsKey("leaftol") && !(lt > 0 && lt < 1e6)) {
      throw new IllegalArgumentException("codec option leaftol=" + lt + " must be a positive fraction of the peak");
    }
    int minLeaf = o.getInt("minleaf", 1 << minLog2, 2, 8);
    if (Integer.bitCount(minLeaf) != 1) {
      throw new IllegalArgumentException("codec option minleaf=" + minLeaf + " must be 2, 4 or 8");
    }
    return new OctreeCodec(ModelSettings.parse(o, frame), lt, o.getInt("degree", degree, 0, 2),
        Integer.numberOfTrailingZeros(minLeaf), Quantized.checkBits(o.getInt("bits", bits, 16, 32)), leafErr(o, rms));
  }

  private static boolean leafErr(CodecOptions o, boolean current) {
    String e = o.getString("leaferr", current ? "rms" : "max");
    if (!e.equals("max") && !e.equals("rms")) {
      throw new IllegalArgumentException("codec option leaferr=" + e + " must be max or rms");
    }
    return e.equals("rms");
  }

  @Override
  protected List<Supplier<byte[]>> candidates(CellVdf cell, double tolerance) {
    List<Supplier<byte[]>> c = new ArrayList<>();
    if (leafTol > 0) {
      double t = leafTol * Math.abs(cell.peak());
      c.add(() -> OctreeModel.fit(cell, degree, bits, minLog2, t, rms));
    } else if (residual) {
      for (double f : new double[] {8, 64}) {
        c.add(() -> OctreeModel.fit(cell, degree, bits, minLog2, f * tolerance, rms));
      }
    } else {
      c.add(() -> OctreeModel.fit(cell, degree, bits, minLog2, tolerance, rms));
    }
    return c;
  }

  @Override
  protected float[] decodeModel(PayloadReader in, VelocityMesh mesh, int[] blockIds) throws CorruptRecordException {
    return OctreeModel.decode(in, mesh, blockIds);
  }

  @Override
  public String toString() {
    return NAME + "(" + frame + ",leaftol=" + (leafTol < 0 ? "auto" : leafTol) + ",degree="
        + degree + ",minleaf=" + (1 << minLog2) + ",bits=" + bits + ",leaferr=" + (rms ? "rms" : "max") + ")";
  }
}
