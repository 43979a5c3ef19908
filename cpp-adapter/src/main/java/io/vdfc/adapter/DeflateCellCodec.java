package io.vdfc.adapter;

import static io.vdfc.codec.CorruptRecordException.verify;

import io.vdfc.codec.CorruptRecordException;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VelocityMesh;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Lossless stand-in for the real pipeline: zlib over the raw block IDs and values, so that the native path (views,
 * handles, round trips, restarts) is real and testable before the codecs are wired in.
 *
 * <p>Record layout, little-endian: {@code [magic u32 = 0x31464456 "VDF1"][nBlocks i32][cellsPerBlock i32]
 * [zlib stream of nBlocks*i32 block IDs followed by nBlocks*cellsPerBlock*f32 values]}.
 */
public final class DeflateCellCodec implements CellCodec {
  static final int MAGIC = 0x31464456;
  private static final int HEADER = 12;
  private final int level;

  /** @param level zlib level 0..9 (1 is fast and already removes most of the zero bytes of a sparse VDF) */
  public DeflateCellCodec(int level) {
    if (level < 0 || level > 9) {
      throw new IllegalArgumentException("deflate level must be 0..9, got " + level);
    }
    this.level = level;
  }

  @Override
  public byte[] encode(CellVdf cell) {
    int n = cell.blockCount();
    ByteBuffer raw = ByteBuffer.allocate(4 * n + 4 * cell.values().length).order(ByteOrder.LITTLE_ENDIAN);
    raw.asIntBuffer().put(cell.blockIds());
    raw.position(4 * n);
    raw.asFloatBuffer().put(cell.values());
    raw.position(0);
    Deflater deflater = new Deflater(level);
    try {
      deflater.setInput(raw);
      deflater.finish();
      ByteBuffer out = ByteBuffer.allocate(HEADER + raw.capacity() + raw.capacity() / 1000 + 64)
          .order(ByteOrder.LITTLE_ENDIAN);
      out.putInt(MAGIC).putInt(n).putInt(cell.mesh().cellsPerBlock());
      while (!deflater.finished()) {
        if (!out.hasRemaining()) {
          out = grow(out);
        }
        deflater.deflate(out);
      }
      byte[] record = new byte[out.position()];
      out.flip().get(record);
      return record;
    } finally {
      deflater.end();
    }
  }

  @Override
  public CellVdf decode(byte[] record, VelocityMesh mesh, long cellId) throws CorruptRecordException {
    verify(record.length >= HEADER, "cell %d: record of %d bytes is shorter than its %d-byte header",
        cellId, record.length, HEADER);
    ByteBuffer in = ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN);
    int magic = in.getInt();
    verify(magic == MAGIC, "cell %d: record magic 0x%08x, expected 0x%08x", cellId, magic, MAGIC);
    int n = in.getInt();
    int perBlock = in.getInt();
    verify(perBlock == mesh.cellsPerBlock(), "cell %d: record has %d cells per block, mesh of %s has %d",
        cellId, perBlock, mesh.population(), mesh.cellsPerBlock());
    verify(n >= 0 && n <= mesh.blockCount(), "cell %d: record claims %d blocks, mesh of %s has %d",
        cellId, n, mesh.population(), mesh.blockCount());
    long rawBytes = 4L * n * (1 + perBlock);
    verify(rawBytes <= Integer.MAX_VALUE - 16, "cell %d: %d blocks are too many for one record", cellId, n);
    ByteBuffer raw = ByteBuffer.allocate((int) rawBytes).order(ByteOrder.LITTLE_ENDIAN);
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(in);
      while (raw.hasRemaining() && !inflater.finished()) {
        int got = inflater.inflate(raw);
        verify(got > 0 || !inflater.needsInput(), "cell %d: zlib stream ends after %d of %d bytes",
            cellId, raw.position(), rawBytes);
        verify(!inflater.needsDictionary(), "cell %d: zlib stream asks for a dictionary", cellId);
      }
      verify(!raw.hasRemaining() && inflater.finished(), "cell %d: zlib stream holds %s than %d bytes",
          cellId, raw.hasRemaining() ? "fewer" : "more", rawBytes);
    } catch (DataFormatException e) {
      throw new CorruptRecordException("cell " + cellId + ": damaged zlib stream: " + e.getMessage(), e);
    } finally {
      inflater.end();
    }
    raw.flip();
    int[] ids = new int[n];
    float[] values = new float[n * perBlock];
    raw.asIntBuffer().get(ids);
    raw.position(4 * n);
    raw.asFloatBuffer().get(values);
    for (int id : ids) {
      verify(mesh.contains(id), "cell %d: block ID %d outside the %s mesh", cellId, id, mesh.population());
    }
    return new CellVdf(cellId, mesh, ids, values);
  }

  private static ByteBuffer grow(ByteBuffer out) {
    ByteBuffer bigger = ByteBuffer.allocate(out.capacity() * 2).order(ByteOrder.LITTLE_ENDIAN);
    out.flip();
    return bigger.put(out);
  }
}
