package io.vdfc.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VelocityMesh;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A row measured beside a peer: every pass of the subject (warm-up and timed) right after one of the peer, so that the
 * pass-by-pass speed ratio compares the two under the same machine conditions; without a peer there is no ratio.
 */
class BenchmarkPairingTest {
  private final List<String> passes = new ArrayList<>();
  private final CellVdf cell = new CellVdf(1, new VelocityMesh("proton", 2, 2, 2, 4, 0, 0, 0, 1, 1, 1), new int[] {3},
      new float[64]);

  private BenchSubject subject(String name) {
    return new BenchSubject() {
      @Override
      public String label() {
        return name;
      }

      @Override
      public Encoded encode(CellVdf c, double minValue) {
        passes.add(name);
        return new Encoded(7, c);
      }

      @Override
      public CellVdf decode(Encoded e, CellVdf original) {
        return (CellVdf) e.data();
      }
    };
  }

  @Test
  void givenAPeer_whenARowIsMeasured_thenItsPassesAlternateWithThePeersAndTheRatioIsPassByPass() {
    Benchmark.Row row = new Benchmark(List.of(cell), 1e-15, 4).run(subject("ours"), subject("peer"));
    assertTrue(passes.size() >= 2 * (1 + 4), passes.toString());
    for (int i = 0; i < passes.size(); i++) {
      assertEquals(i % 2 == 0 ? "peer" : "ours", passes.get(i), "pass " + i + " of " + passes);
    }
    assertTrue(row.compressVsPeer() > 0 && Double.isFinite(row.compressVsPeer()), "ratio " + row.compressVsPeer());
    assertTrue(row.decompressVsPeer() > 0 && Double.isFinite(row.decompressVsPeer()), "ratio " + row.decompressVsPeer());
    assertEquals(7, row.compressedBytes());
  }

  @Test
  void givenNoPeer_whenARowIsMeasured_thenThereIsNoRatio() {
    Benchmark.Row row = new Benchmark(List.of(cell), 1e-15, 3).run(subject("ours"));
    assertTrue(passes.stream().allMatch("ours"::equals));
    assertTrue(Double.isNaN(row.compressVsPeer()) && Double.isNaN(row.decompressVsPeer()));
  }
}
