package io.vdfc.reliab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vdfc.codec.CodecRegistry;
import io.vdfc.codec.Tolerance;
import io.vdfc.compress.CompressionSettings;
import io.vdfc.parallel.SingleRank;
import io.vdfc.restart.CellPartition;
import io.vdfc.restart.VlsvCompressor;
import io.vdfc.testing.SharedData;
import io.vdfc.vdf.VlsvVdfSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ranks share the real restart's cells by their measured speed ({@code VlsvCompressor.encodeSharing}): whichever way
 * the cells end up split, every cell is encoded by exactly one rank and the file is the one a single rank writes.
 */
class RankSharingTest {
  @TempDir Path tmp;

  @Test
  void everyCellOnceAndTheSameFileOnAnyNumberOfRanks() throws Exception {
    Path in = SharedData.realRestart();
    CompressionSettings zfpb = new CompressionSettings(CodecRegistry.get().byName("zfpb"),
        Tolerance.parse("1*minValue"), true);
    long total;
    try (VlsvVdfSource src = VlsvVdfSource.open(in)) {
      long[] w = CellPartition.weights(src.index("proton").blocksPerCell());
      total = CellPartition.weight(w, 0, w.length);
    }
    Path one = tmp.resolve("one.vlsv");
    VlsvCompressor single = new VlsvCompressor(pop -> zfpb, Double.NaN, 1, true);
    single.compress(in, one, SingleRank.INSTANCE);
    assertEquals(total, single.heldWeight());
    for (int ranks : new int[] {2, 4}) {
      Path many = tmp.resolve(ranks + ".vlsv");
      List<Long> held = ThreadRanks.run(ranks, c -> {
        VlsvCompressor v = new VlsvCompressor(pop -> zfpb, Double.NaN, 1, true);
        v.compress(in, many, c);
        return v.heldWeight();
      });
      assertEquals(total, held.stream().mapToLong(Long::longValue).sum(), ranks + " ranks: " + held);
      assertTrue(held.stream().allMatch(h -> h > 0), ranks + " ranks: " + held);
      assertEquals(-1L, Files.mismatch(one, many), "the same file on " + ranks + " ranks (held " + held + ")");
    }
  }
}
