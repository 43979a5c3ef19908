package io.vdfc.reliab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vdfc.compress.CompressionSettings;
import io.vdfc.parallel.SingleRank;
import io.vdfc.restart.VlsvCompressor;
import io.vdfc.restart.VlsvDecompressor;
import io.vdfc.testing.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rank restores its cells in runs of at most {@link VlsvDecompressor#chunkBytes} of block IDs and values: one buffer
 * holds under 2 GiB, and one rank of a 6,000-cell tiling of the real restart had 3.6 GB to restore ("integer
 * overflow", exit 4, before). With runs of at most 1 MiB (the default; one cell or two a run for the real restart) the
 * file comes back byte for byte on 1 rank and on 2, whose second rank starts its runs mid-array.
 */
class RestoreInRunsTest {
  @TempDir Path tmp;

  @Test
  void theRealRestartRestoredInSmallRunsIsByteIdentical() throws Exception {
    Path in = SharedData.realRestart();
    Path z = tmp.resolve("z.vlsv");
    new VlsvCompressor(pop -> CompressionSettings.lossless("zstd"), Double.NaN, 2, true).compress(in, z,
        SingleRank.INSTANCE);
    Path one = tmp.resolve("one.vlsv");
    new VlsvDecompressor(true).chunkBytes(1 << 20).decompress(z, one, SingleRank.INSTANCE);
    assertEquals(-1L, Files.mismatch(in, one), "restored in runs on 1 rank");
    Path two = tmp.resolve("two.vlsv");
    ThreadRanks.run(2, c -> new VlsvDecompressor(true).chunkBytes(1 << 20).decompress(z, two, c));
    assertEquals(-1L, Files.mismatch(in, two), "restored in runs on 2 ranks");
  }
}
