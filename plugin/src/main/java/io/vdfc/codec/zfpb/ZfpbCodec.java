package io.vdfc.codec.zfpb;

import static io.vdfc.codec.CorruptRecordException.verify;

import io.vdfc.codec.CodecOptions;
import io.vdfc.codec.CorruptRecordException;
import io.vdfc.codec.LossyCodec;
import io.vdfc.codec.VdfCodec;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VelocityMesh;
import java.nio.ByteBuffer;

/**
 * zfp's block transform codec, written for Vlasiator's 4x4x4 velocity blocks: every block of a cell is one zfp 3-D
 * block (values {@code 64b .. 64b+63}, x fastest). Per block: a common exponent (block floating point), zfp's
 * decorrelating lifting transform along x, y and z, coefficients reordered by sequency and mapped to negabinary, and
 * zfp's embedded bit-plane coder with group tests (Lindstrom 2014; zfp docs, "algorithm"). Our own implementation; the
 * payload is not zfp's stream (see {@link ZfpbFormat} for the layout).
 *
 * <p>Options ({@link #configure}): {@code mode=accuracy} (default: planes down to {@code floor(log2(tolerance))} as
 * zfp's fixed-accuracy mode), {@code mode=precision,precision=N} (N planes per block), {@code mode=rate,rate=R}
 * (R bits per value, zfp's fixed rate). In every mode the tolerance passed to {@link #encode} holds for every value:
 * each block is decoded while encoding and re-coded with more planes, or stored raw, when it would miss the bound.
 * Blocks whose largest magnitude is at most the tolerance are stored as zeros (1 bit) in accuracy mode, unless
 * {@code small=code} asks for libzfp's behaviour: such blocks coded with the planes their exponent gives.
 *
 * <p>Extension, on by default in accuracy mode ({@code trim=off} gives zfp's plain accuracy mode): {@code trim=on} (accuracy or precision mode) lets each block drop up to 7 of the planes
 * its mode gives, as many as the tolerance allows (3 bits per coded block). zfp's accuracy mode keeps planes well below
 * the tolerance; on the study VDF trim shrinks the payload by 40-70 % at the same bound.
 *
 * @since 0.1
 */
public final class ZfpbCodec extends LossyCodec {
  public static final String NAME = "zfpb";
  public static final int ID = 4;

  private final ZfpbSettings settings;

  /** The default: {@code mode=accuracy}. */
  public ZfpbCodec() {
    this(ZfpbSettings.DEFAULT);
  }

  private ZfpbCodec(ZfpbSettings settings) {
    super(NAME, ID, ZfpbFormat.VERSION);
    this.settings = settings;
  }

  @Override
  public VdfCodec configure(CodecOptions options) {
    ZfpbSettings s = ZfpbSettings.parse(options);
    return s.equals(settings) ? this : new ZfpbCodec(s);
  }

  @Override
  public String meshProblem(VelocityMesh mesh) {
    return VdfCodec.unless4x4x4(name(), mesh);
  }

  /**
   * @throws IllegalArgumentException when the mesh's blocks are not 4x4x4, the tolerance is not a positive finite
   *     number, or a value is NaN or infinite (the message names the block index)
   */
  @Override
  public byte[] encode(CellVdf cell, double tolerance) {
    checkArguments(cell, tolerance);
    try {
      return new ZfpbEncoder(settings, tolerance, cell.blockCount()).encode(cell.values(), cell.blockCount());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("cell " + cell.cellId() + " of " + cell.mesh().population() + ": " + e.getMessage(), e);
    }
  }

  /** Keeps each block's accepted reconstruction while encoding: no second pass over the bit planes. */
  @Override
  public Reconstructed encodeReconstructing(CellVdf cell, double tolerance) {
    checkArguments(cell, tolerance);
    float[] values = new float[cell.values().length];
    try {
      byte[] payload = new ZfpbEncoder(settings, tolerance, cell.blockCount()).encode(cell.values(), cell.blockCount(), values);
      return new Reconstructed(payload, values);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("cell " + cell.cellId() + " of " + cell.mesh().population() + ": " + e.getMessage(), e);
    }
  }

  private void checkArguments(CellVdf cell, double tolerance) {
    requireCodable(cell);
    if (!(tolerance > 0) || Double.isInfinite(tolerance)) {
      throw new IllegalArgumentException("zfpb tolerance must be a positive finite number, got " + tolerance);
    }
  }

  /** Encodes raw block values ({@code 64 * nBlocks}), as {@link #encode(CellVdf, double)} does a cell's. */
  public byte[] encodeBlocks(float[] values, int nBlocks, double tolerance) {
    checkBlocks(values, nBlocks, tolerance);
    return new ZfpbEncoder(settings, tolerance, nBlocks).encode(values, nBlocks);
  }

  private static void checkBlocks(float[] values, int nBlocks, double tolerance) {
    if ((long) nBlocks * 64 != values.length) {
      throw new IllegalArgumentException(values.length + " values for " + nBlocks + " blocks of 64");
    }
    if (!(tolerance > 0) || Double.isInfinite(tolerance)) {
      throw new IllegalArgumentException("zfpb tolerance must be a positive finite number, got " + tolerance);
    }
  }

  /**
   * The bits each block would take in {@link #encodeBlocks}'s payload (header and padding not counted; with
   * {@code entropy=on}, before range coding), for a caller choosing per block what to code.
   */
  public int[] blockBits(float[] values, int nBlocks, double tolerance) {
    checkBlocks(values, nBlocks, tolerance);
    return new ZfpbEncoder(settings, tolerance, nBlocks).blockBits(values, nBlocks);
  }

  @Override
  public float[] decode(ByteBuffer payload, VelocityMesh mesh, int[] blockIds, int version)
      throws CorruptRecordException {
    verify(version >= 1 && version <= ZfpbFormat.VERSION, "zfpb payload version %d, this build reads 1..%d", version,
        ZfpbFormat.VERSION);
    verify(mesh.wid() == 4, "zfpb payload for mesh %s with blocks of width %d; zfpb codes only width 4",
        mesh.population(), mesh.wid());
    return decodeBlocks(payload, blockIds.length, version);
  }

  /** Decodes {@code nBlocks} blocks of a payload of this build's format version; the buffer is consumed to its limit. */
  public float[] decodeBlocks(ByteBuffer payload, int nBlocks) throws CorruptRecordException {
    return decodeBlocks(payload, nBlocks, ZfpbFormat.VERSION);
  }

  private float[] decodeBlocks(ByteBuffer payload, int nBlocks, int version) throws CorruptRecordException {
    byte[] buf;
    int start;
    int end;
    if (payload.hasArray()) {
      buf = payload.array();
      start = payload.arrayOffset() + payload.position();
      end = payload.arrayOffset() + payload.limit();
    } else {
      buf = new byte[payload.remaining()];
      payload.duplicate().get(buf);
      start = 0;
      end = buf.length;
    }
    float[] values = new ZfpbDecoder().decode(buf, start, end, nBlocks, version);
    payload.position(payload.limit());
    return values;
  }

  @Override
  public String toString() {
    return NAME + "(" + settings + ")";
  }
}
