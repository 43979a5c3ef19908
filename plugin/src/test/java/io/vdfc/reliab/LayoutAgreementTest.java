package io.vdfc.reliab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vdfc.restart.FileChecksums;
import io.vdfc.restart.VlsvRewrite;
import io.vdfc.testing.ChecksummedPlan;
import io.vdfc.vlsv.VlsvArray;
import io.vdfc.vlsv.VlsvDataType;
import io.vdfc.vlsv.VlsvFile;
import io.vdfc.vlsv.VlsvWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every rank lays a collectively written file out itself from the write plan (no offsets are exchanged), so the plan
 * must be the same on every rank: a rank whose plan differs is caught before the file is made visible.
 */
class LayoutAgreementTest {
  @TempDir Path tmp;

  /** Replaces "a" by an array of {@code firstBytes} and "R" by the 1000 bytes the ranks write, checksummed. */
  private record Plan(long firstBytes, int arrays) implements ChecksummedPlan {
    @Override
    public List<VlsvRewrite.NewArray> replace(VlsvArray a) {
      return switch (a.name()) {
        case "a" -> List.of(new VlsvRewrite.NewArray("FIRST", attrs("f"), VlsvDataType.UINT, 1, 1, firstBytes));
        case "R" -> List.of(new VlsvRewrite.NewArray("NEW", attrs("n"), VlsvDataType.UINT, 1, 1, 1000));
        default -> null;
      };
    }

    private static Map<String, String> attrs(String name) {
      return new LinkedHashMap<>(Map.of("name", name));
    }
  }

  private Path input() throws Exception {
    Path in = tmp.resolve("in.vlsv");
    try (VlsvWriter w = VlsvWriter.create(in)) {
      for (String name : new String[] {"a", "b", "R", "c"}) {
        byte[] b = new byte[100 + name.charAt(0)];
        Arrays.fill(b, (byte) name.charAt(0));
        w.writeArray("VARIABLE", Map.of("name", name), VlsvDataType.UINT, 1, 1, b.length, ByteBuffer.wrap(b));
      }
      w.finish();
    }
    return in;
  }

  /** Each rank writes its half of "NEW" and, rank 0, all of "FIRST"; @return per rank "ok" or its error */
  private List<String> write(Path in, Path out, boolean samePlan) throws Exception {
    return ThreadRanks.run(2, c -> {
      long firstBytes = 64 + (samePlan ? 0 : 8 * c.rank()); // rank 1 lays out a longer first array when they differ
      byte[] half = new byte[500];
      Arrays.fill(half, (byte) (c.rank() + 1));
      List<VlsvRewrite.Part> parts = new java.util.ArrayList<>(List.of(new VlsvRewrite.Part(1, 500L * c.rank(),
          ByteBuffer.wrap(half))));
      if (c.rank() == 0) {
        parts.add(new VlsvRewrite.Part(0, 0, ByteBuffer.wrap(new byte[64])));
      }
      try (VlsvFile f = VlsvFile.open(in)) {
        VlsvRewrite.write(f, out, new Plan(firstBytes, f.arrays().size() + 1), parts, c);
        return "ok";
      } catch (Exception e) {
        return e.getMessage();
      }
    });
  }

  @Test
  void ranksWithTheSamePlanWriteOneFileWhoseChecksumsHold() throws Exception {
    Path in = input();
    Path out = tmp.resolve("same.vlsv");
    assertEquals(List.of("ok", "ok"), write(in, out, true));
    try (VlsvFile f = VlsvFile.open(out)) {
      for (FileChecksums.Entry e : FileChecksums.check(f, a -> true)) {
        assertTrue(e.ok(), e.what());
      }
      ByteBuffer n = f.read(f.require("NEW", Map.of("name", "n")));
      byte[] got = new byte[n.remaining()];
      n.get(got);
      byte[] want = new byte[1000];
      Arrays.fill(want, 0, 500, (byte) 1);
      Arrays.fill(want, 500, 1000, (byte) 2);
      assertArrayEquals(want, got);
    }
  }

  @Test
  void aRankWhosePlanDiffersMakesEveryRankFailAndLeavesNoFile() throws Exception {
    Path in = input();
    Path out = tmp.resolve("differ.vlsv");
    List<String> errors = write(in, out, false);
    for (int r = 0; r < 2; r++) {
      assertTrue(errors.get(r).contains("ranks [1] laid the file out differently from rank 0"), "rank " + r + ": "
          + errors.get(r));
    }
    assertFalse(Files.exists(out));
    assertFalse(Files.exists(VlsvRewrite.partialName(out)));
  }
}
