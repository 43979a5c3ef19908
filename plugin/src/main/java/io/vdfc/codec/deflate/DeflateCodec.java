package io.vdfc.codec.deflate;

import io.vdfc.codec.CodecOptions;
import io.vdfc.codec.CorruptRecordException;
import io.vdfc.codec.FloatBytes;
import io.vdfc.codec.VdfCodec;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VelocityMesh;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Lossless zlib (the method study's "zlib" row) on the float32 bytes, optionally byte-shuffled first.
 *
 * <p>Payload v1: {@code [u8 flags: bit0 = shuffled][zlib stream]}. Shuffling puts byte k of every float together (all
 * exponents, then mantissa bytes), which zlib compresses better; option {@code shuffle=on|off} (default off: the study's
 * plain zlib), {@code level=0..9} (default 6).
 */
public final class DeflateCodec implements VdfCodec {
  private final int level;
  private final boolean shuffle;

  public DeflateCodec() {
    this(6, false);
  }

  private DeflateCodec(int level, boolean shuffle) {
    this.level = level;
    this.shuffle = shuffle;
  }

  @Override public String name() { return "deflate"; }
  @Override public int id() { return 2; }
  @Override public int version() { return 1; }
  @Override public boolean lossless() { return true; }

  @Override
  public VdfCodec configure(CodecOptions options) {
    options.requireOnly("level", "shuffle");
    return new DeflateCodec(options.getInt("level", 6, 0, 9), options.getBoolean("shuffle", false));
  }

  @Override
  public byte[] encode(CellVdf cell, double tolerance) {
    byte[] raw = FloatBytes.toBytes(cell.values());
    if (shuffle) {
      raw = ByteShuffle.shuffle(raw, 4);
    }
    Deflater d = new Deflater(level);
    try {
      d.setInput(raw);
      d.finish();
      ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 2 + 16);
      out.write(shuffle ? 1 : 0);
      byte[] buf = new byte[64 * 1024];
      while (!d.finished()) {
        int n = d.deflate(buf);
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    } finally {
      d.end();
    }
  }

  @Override
  public float[] decode(ByteBuffer payload, VelocityMesh mesh, int[] blockIds, int version) throws CorruptRecordException {
    int n = FloatBytes.valueCount(blockIds.length, mesh.cellsPerBlock());
    CorruptRecordException.verify(payload.remaining() >= 1, "deflate payload is empty");
    int flags = payload.get() & 0xff;
    CorruptRecordException.verify(flags <= 1, "deflate payload flags %d unknown", flags);
    byte[] in = new byte[payload.remaining()];
    payload.get(in);
    byte[] raw = new byte[n * 4];
    Inflater inf = new Inflater();
    try {
      inf.setInput(in);
      int got = 0;
      while (got < raw.length) {
        int k = inf.inflate(raw, got, raw.length - got);
        CorruptRecordException.verify(k > 0, "deflate stream ends after %d of %d bytes", got, raw.length);
        got += k;
      }
      if (!inf.finished()) {
        CorruptRecordException.verify(inf.inflate(new byte[1]) == 0 && inf.finished(),
            "deflate stream does not end after the %d bytes of the cell", raw.length);
      }
      CorruptRecordException.verify(inf.getRemaining() == 0, "%d bytes after the deflate stream", inf.getRemaining());
    } catch (DataFormatException e) {
      throw new CorruptRecordException("deflate stream is corrupt: " + e.getMessage(), e);
    } finally {
      inf.end();
    }
    if (flags == 1) {
      raw = ByteShuffle.unshuffle(raw, 4);
    }
    return FloatBytes.fromBytes(raw, 0, n);
  }
}
