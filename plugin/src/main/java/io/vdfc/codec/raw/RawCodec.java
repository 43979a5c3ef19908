package io.vdfc.codec.raw;

import io.vdfc.codec.CorruptRecordException;
import io.vdfc.codec.FloatBytes;
import io.vdfc.codec.VdfCodec;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VelocityMesh;
import java.nio.ByteBuffer;

/**
 * Lossless reference codec: the float32 values as stored by Vlasiator.
 *
 * <p>Payload v1: {@code blocks*cellsPerBlock} little-endian float32 values, nothing else.
 */
public final class RawCodec implements VdfCodec {
  @Override public String name() { return "raw"; }
  @Override public int id() { return 1; }
  @Override public int version() { return 1; }
  @Override public boolean lossless() { return true; }

  @Override
  public byte[] encode(CellVdf cell, double tolerance) {
    return FloatBytes.toBytes(cell.values());
  }

  @Override
  public float[] decode(ByteBuffer payload, VelocityMesh mesh, int[] blockIds, int version) throws CorruptRecordException {
    int n = FloatBytes.valueCount(blockIds.length, mesh.cellsPerBlock());
    CorruptRecordException.verify(payload.remaining() == n * 4, "raw payload has %d bytes, expected %d", payload.remaining(), n * 4);
    float[] out = new float[n];
    payload.slice().order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
    payload.position(payload.limit());
    return out;
  }
}
