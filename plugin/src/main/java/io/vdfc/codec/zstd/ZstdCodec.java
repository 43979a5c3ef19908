package io.vdfc.codec.zstd;

import io.airlift.compress.MalformedInputException;
import io.airlift.compress.zstd.ZstdCompressor;
import io.airlift.compress.zstd.ZstdDecompressor;
import io.vdfc.codec.CodecOptions;
import io.vdfc.codec.CorruptRecordException;
import io.vdfc.codec.FloatBytes;
import io.vdfc.codec.VdfCodec;
import io.vdfc.codec.deflate.ByteShuffle;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VelocityMesh;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Lossless zstd peer (aircompressor's pure-Java zstd: no native library to unpack on every rank) on byte-shuffled float32
 * values.
 *
 * <p>Payload v1: {@code [u8 flags: bit0 = shuffled][zstd frame]}. Option {@code shuffle=on|off} (default on).
 */
public final class ZstdCodec implements VdfCodec {
  private final boolean shuffle;

  public ZstdCodec() {
    this(true);
  }

  private ZstdCodec(boolean shuffle) {
    this.shuffle = shuffle;
  }

  @Override public String name() { return "zstd"; }
  @Override public int id() { return 3; }
  @Override public int version() { return 1; }
  @Override public boolean lossless() { return true; }

  @Override
  public VdfCodec configure(CodecOptions options) {
    options.requireOnly("shuffle");
    return new ZstdCodec(options.getBoolean("shuffle", true));
  }

  @Override
  public byte[] encode(CellVdf cell, double tolerance) {
    byte[] raw = FloatBytes.toBytes(cell.values());
    if (shuffle) {
      raw = ByteShuffle.shuffle(raw, 4);
    }
    ZstdCompressor c = new ZstdCompressor();
    byte[] out = new byte[1 + c.maxCompressedLength(raw.length)];
    out[0] = (byte) (shuffle ? 1 : 0);
    int n = c.compress(raw, 0, raw.length, out, 1, out.length - 1);
    return Arrays.copyOf(out, n + 1);
  }

  @Override
  public float[] decode(ByteBuffer payload, VelocityMesh mesh, int[] blockIds, int version) throws CorruptRecordException {
    int n = FloatBytes.valueCount(blockIds.length, mesh.cellsPerBlock());
    CorruptRecordException.verify(payload.remaining() >= 1, "zstd payload is empty");
    int flags = payload.get() & 0xff;
    CorruptRecordException.verify(flags <= 1, "zstd payload flags %d unknown", flags);
    byte[] in = new byte[payload.remaining()];
    payload.get(in);
    byte[] raw = new byte[n * 4];
    try {
      long size = ZstdDecompressor.getDecompressedSize(in, 0, in.length);
      CorruptRecordException.verify(size == raw.length, "zstd frame holds %d bytes, expected %d", size, raw.length);
      int got = new ZstdDecompressor().decompress(in, 0, in.length, raw, 0, raw.length);
      CorruptRecordException.verify(got == raw.length, "zstd frame gave %d bytes, expected %d", got, raw.length);
    } catch (MalformedInputException | IllegalArgumentException | IndexOutOfBoundsException e) {
      throw new CorruptRecordException("zstd frame is corrupt: " + e.getMessage(), e);
    }
    if (flags == 1) {
      raw = ByteShuffle.unshuffle(raw, 4);
    }
    return FloatBytes.fromBytes(raw, 0, n);
  }
}
