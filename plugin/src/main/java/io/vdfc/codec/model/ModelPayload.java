package io.vdfc.codec.model;

import static io.vdfc.codec.CorruptRecordException.verify;

import io.vdfc.codec.CorruptRecordException;
import io.vdfc.codec.zfpb.ZfpbCodec;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VelocityMesh;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Supplier;

/**
 * The payload shared by the model codecs (hermite, sph, gmm, octree): a fitted model of the cell's VDF, and an
 * optional residual stage (zfpb on {@code f - model} at the tolerance) so that the pointwise bound holds on every
 * value.
 *
 * <pre>
 * payload  = flags:u8  [model]  [residual]
 * flags    = bit 0: a model section follows (the codec's own layout, see its class)
 *            bit 1: a residual follows, to the end of the payload: zfpb (id 4, version 1) of the cell's blocks
 *                   holding float32(f - model); decoded value = float32(model + residual)
 *            other bits 0
 * </pre>
 *
 * <p>Encoding tries the codec's candidate models (degrees, component counts, leaf tolerances) and keeps: with the
 * residual, the smallest payload, the cell without a model (residual alone) being one candidate, so a model that does
 * not pay for itself is dropped; without it, the first candidate whose largest error is within the tolerance, else the
 * last (the most detailed). Every candidate is decoded by the codec's own decoder while encoding, so the encoder's
 * model values are the decoder's, bit for bit, and the residual's bound is checked on the final float values.
 */
public final class ModelPayload {
  static final int HAS_MODEL = 1;
  static final int HAS_RESIDUAL = 2;

  private ModelPayload() {
    throw new AssertionError("no instances");
  }

  /** A codec's model section reader: reads exactly its section and returns the model at the cell's block values. */
  @FunctionalInterface
  public interface ModelDecoder {
    float[] decode(PayloadReader in, VelocityMesh mesh, int[] blockIds) throws CorruptRecordException;
  }

  /**
   * Encodes a cell with the best of the candidate model sections.
   *
   * @param candidates model sections, in increasing detail; computed lazily, {@code null} results skipped
   * @param residual add the residual stage (the bound then holds); off gives the model alone
   * @param alwaysModel never drop the model, even where the residual alone would be smaller
   */
  public static byte[] encode(CellVdf cell, double tolerance, boolean residual, boolean alwaysModel,
      List<Supplier<byte[]>> candidates, ModelDecoder decoder, String codec) {
    int nBlocks = cell.blockCount();
    if (nBlocks == 0) {
      return new byte[] {0};
    }
    byte[] best = residual && !alwaysModel ? withResidual(cell, tolerance, null, null) : null;
    for (Supplier<byte[]> s : candidates) {
      byte[] model = s.get();
      if (model == null) {
        continue;
      }
      float[] m = selfDecode(model, cell, decoder, codec);
      if (residual) {
        byte[] p = withResidual(cell, tolerance, model, m);
        if (p != null && (best == null || p.length < best.length)) {
          best = p;
        }
      } else {
        best = new PayloadWriter().u8(HAS_MODEL).bytes(model).toByteArray();
        if (maxAbs(cell.values(), m) <= tolerance) {
          break;
        }
      }
    }
    if (best == null && residual) {
      best = withResidual(cell, tolerance, null, null); // no candidate could be coded: the residual alone
    }
    if (best == null) {
      throw new IllegalStateException(codec + ": no model candidate for cell " + cell.cellId());
    }
    return best;
  }

  /** Decodes a payload written by {@link #encode}. */
  public static float[] decode(ByteBuffer payload, VelocityMesh mesh, int[] blockIds, ModelDecoder decoder,
      String codec) throws CorruptRecordException {
    PayloadReader in = new PayloadReader(payload, codec);
    int flags = in.u8("flags");
    verify((flags & ~(HAS_MODEL | HAS_RESIDUAL)) == 0, "%s payload: flags %d, expected 0..3", codec, flags);
    int count = blockIds.length * mesh.cellsPerBlock();
    float[] out = (flags & HAS_MODEL) != 0 ? decoder.decode(in, mesh, blockIds) : new float[count];
    verify(out.length == count, "%s payload: model gave %d values for %d", codec, out.length, count);
    if ((flags & HAS_RESIDUAL) != 0) {
      verify(mesh.wid() == 4, "%s payload: residual stage needs 4x4x4 blocks, mesh has width %d", codec, mesh.wid());
      float[] r = new ZfpbCodec().decodeBlocks(in.rest(), blockIds.length);
      for (int i = 0; i < count; i++) {
        out[i] = (float) ((double) out[i] + r[i]);
      }
    }
    verify(in.remaining() == 0, "%s payload: %d bytes after the model at offset %d", codec, in.remaining(),
        in.position());
    payload.position(payload.limit());
    return out;
  }

  private static float[] selfDecode(byte[] model, CellVdf cell, ModelDecoder decoder, String codec) {
    try {
      PayloadReader in = new PayloadReader(ByteBuffer.wrap(model), codec);
      float[] m = decoder.decode(in, cell.mesh(), cell.blockIds());
      if (in.remaining() != 0) {
        throw new IllegalStateException(codec + ": model section not consumed exactly");
      }
      return m;
    } catch (CorruptRecordException e) {
      throw new IllegalStateException(codec + " cannot decode its own model for cell " + cell.cellId(), e);
    }
  }

  /** Flags, model and the residual meeting the bound on every final value; null when no residual tolerance does. */
  private static byte[] withResidual(CellVdf cell, double tol, byte[] model, float[] m) {
    float[] f = cell.values();
    int n = f.length;
    float[] r = new float[n];
    for (int i = 0; i < n; i++) {
      r[i] = m == null ? f[i] : (float) ((double) f[i] - m[i]);
      if (!Float.isFinite(r[i])) {
        return null;
      }
    }
    ZfpbCodec zfpb = new ZfpbCodec();
    double t = tol;
    for (int attempt = 0; attempt < 4; attempt++, t /= 2) {
      byte[] res = zfpb.encodeBlocks(r, cell.blockCount(), t);
      if (m == null) {
        return new PayloadWriter().u8(HAS_RESIDUAL).bytes(res).toByteArray();
      }
      float[] back;
      try {
        back = zfpb.decodeBlocks(ByteBuffer.wrap(res), cell.blockCount());
      } catch (CorruptRecordException e) {
        throw new IllegalStateException("zfpb cannot decode its own residual", e);
      }
      boolean ok = true;
      for (int i = 0; i < n && ok; i++) {
        ok = Math.abs((double) (float) ((double) m[i] + back[i]) - f[i]) <= tol;
      }
      if (ok) {
        return new PayloadWriter().u8(HAS_MODEL | HAS_RESIDUAL).bytes(model).bytes(res).toByteArray();
      }
    }
    return null;
  }

  /** Largest {@code |a - b|}. */
  public static double maxAbs(float[] a, float[] b) {
    double mx = 0;
    for (int i = 0; i < a.length; i++) {
      mx = Math.max(mx, Math.abs((double) a[i] - b[i]));
    }
    return mx;
  }
}
