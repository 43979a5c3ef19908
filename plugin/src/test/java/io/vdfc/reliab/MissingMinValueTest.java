package io.vdfc.reliab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vdfc.codec.CodecRegistry;
import io.vdfc.codec.Tolerance;
import io.vdfc.compress.CompressionSettings;
import io.vdfc.restart.VlsvCompressor;
import io.vdfc.testing.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tolerance in multiples of minValue on a file whose CONFIG has none (the public sample bulk.1d.vlsv): every rank
 * stops before any work with one message naming the file and the population. Before, only the ranks that met it in one
 * of their cells said so, without the file, and a rank with no cells said nothing.
 */
class MissingMinValueTest {
  @TempDir Path tmp;

  @Test
  void everyRankNamesTheFileAndThePopulationBeforeAnyWork() throws Exception {
    Path in = SharedData.file("vlsv_data/bulk.1d.vlsv"); // 2 cells: the third rank holds none
    Path out = tmp.resolve("out.vlsv");
    CompressionSettings zfpb = new CompressionSettings(CodecRegistry.get().byName("zfpb"), Tolerance.parse("minValue"),
        true);
    List<Exception> failures = ThreadRanks.run(3, c -> {
      try {
        new VlsvCompressor(pop -> zfpb, Double.NaN, 1, true).compress(in, out, c);
        return null;
      } catch (Exception e) {
        return e;
      }
    });
    for (Exception e : failures) {
      assertEquals(IllegalArgumentException.class, e == null ? null : e.getClass(), "every rank finds it: " + e);
      assertTrue(e.getMessage().startsWith(in + ": proton: tolerance 1.0*minValue needs the sparsity threshold, and the "
          + "file's CONFIG has no proton_sparse.minValue"), e.getMessage());
    }
    assertFalse(Files.exists(out));
    CompressionSettings zstd = new CompressionSettings(CodecRegistry.get().byName("zstd"), Tolerance.parse("minValue"),
        true);
    new VlsvCompressor(pop -> zstd, Double.NaN, 1, true).compress(in, out, io.vdfc.parallel.SingleRank.INSTANCE);
    assertTrue(Files.size(out) > 0, "a lossless codec needs no minValue");
  }
}
