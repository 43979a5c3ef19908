package io.vdfc.restart;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vdfc.compress.EncodedCell;
import io.vdfc.parallel.SingleRank;
import io.vdfc.testing.ChecksummedPlan;
import io.vdfc.vlsv.DirectArena;
import io.vdfc.vlsv.VlsvArray;
import io.vdfc.vlsv.VlsvDataType;
import io.vdfc.vlsv.VlsvFile;
import io.vdfc.vlsv.VlsvWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer's checksums come from what the ranks wrote (joined CRCs) or, for bytes nobody wrote, from reading back;
 * either way they must equal a checksum of the finished file, and copies must stay byte for byte.
 */
class VlsvRewriteTest {
  @TempDir Path tmp;

  /** Replaces array "R" by a new array "NEW" of {@code newBytes} bytes; appends the checksum array. */
  private record Plan(long newBytes, int arrays) implements ChecksummedPlan {
    @Override
    public List<VlsvRewrite.NewArray> replace(VlsvArray a) {
      return a.name().equals("R")
          ? List.of(new VlsvRewrite.NewArray("NEW", new LinkedHashMap<>(Map.of("name", "n")), VlsvDataType.UINT, 1, 1, newBytes))
          : null;
    }
  }

  private Path input(Random rnd) throws Exception {
    Path in = tmp.resolve("in.vlsv");
    try (VlsvWriter w = VlsvWriter.create(in)) {
      // a large copied array (several copy windows), small ones around it, the replaced one between two copy runs
      for (String name : new String[] {"a", "big", "R", "c", "d"}) {
        int n = name.equals("big") ? 20_000_003 : name.equals("R") ? 1000 : 1 + rnd.nextInt(500);
        w.writeArray("VARIABLE", Map.of("name", name), VlsvDataType.UINT, 1, 1, n, ByteBuffer.wrap(random(rnd, n)));
      }
      w.finish();
    }
    return in;
  }

  private static byte[] random(Random rnd, int n) {
    byte[] b = new byte[n];
    rnd.nextBytes(b);
    return b;
  }

  private static void checkAll(Path out) throws Exception {
    try (VlsvFile f = VlsvFile.open(out)) {
      List<FileChecksums.Entry> entries = FileChecksums.check(f, a -> true);
      assertEquals(f.arrays().size(), entries.size()); // header+footer, then every array but the checksums
      for (FileChecksums.Entry e : entries) {
        assertTrue(e.ok(), e.what());
      }
    }
  }

  @Test
  void givenPartsOutOfOrderWhenWrittenThenChecksumsAndCopiesAreExact() throws Exception {
    Random rnd = new Random(7);
    Path in = input(rnd);
    byte[] data = random(rnd, 3_000_001); // spans several staging windows
    List<VlsvRewrite.Part> parts = new ArrayList<>();
    int[] cuts = {0, 17, 17, 1_500_000, 2_999_999, data.length};
    for (int i = cuts.length - 1; i > 0; i--) { // reversed, with an empty part
      parts.add(new VlsvRewrite.Part(0, cuts[i - 1], ByteBuffer.wrap(data, cuts[i - 1], cuts[i] - cuts[i - 1]).slice()));
    }
    Path out = tmp.resolve("out.vlsv");
    try (VlsvFile f = VlsvFile.open(in)) {
      VlsvRewrite.write(f, out, new Plan(data.length, f.arrays().size() + 1), parts, SingleRank.INSTANCE);
    }
    assertFalse(Files.exists(VlsvRewrite.partialName(out)));
    checkAll(out);
    try (VlsvFile src = VlsvFile.open(in); VlsvFile f = VlsvFile.open(out)) {
      assertArrayEquals(data, bytes(f, f.require("NEW", Map.of("name", "n"))));
      for (String name : new String[] {"a", "big", "c", "d"}) {
        Map<String, String> key = Map.of("name", name);
        assertArrayEquals(bytes(src, src.require("VARIABLE", key)), bytes(f, f.require("VARIABLE", key)), name);
      }
    }
  }

  @Test
  void givenAFullDiskWhenWrittenThenTheRankThrowsAnIoErrorAndAnEarlierFileStays() throws Exception {
    Path full = Path.of("/dev/full"); // every write fails with ENOSPC
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isWritable(full), "needs Linux's /dev/full");
    Random rnd = new Random(3);
    Path in = input(rnd);
    Path out = Files.writeString(tmp.resolve("out.vlsv"), "an earlier restart");
    Files.createSymbolicLink(VlsvRewrite.partialName(out), full); // the writer opens it without truncating
    List<VlsvRewrite.Part> parts = List.of(new VlsvRewrite.Part(0, 0, ByteBuffer.wrap(random(rnd, 1000))));
    java.io.IOException e;
    try (VlsvFile f = VlsvFile.open(in)) {
      e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
          () -> VlsvRewrite.write(f, out, new Plan(1000, f.arrays().size() + 1), parts, SingleRank.INSTANCE));
    }
    assertTrue(e.getMessage().contains("rank 0: writing " + VlsvRewrite.partialName(out)), e.getMessage());
    assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
    assertEquals("an earlier restart", Files.readString(out));
    assertFalse(Files.exists(VlsvRewrite.partialName(out), java.nio.file.LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void givenDirectPartsBetweenHeapPartsWhenWrittenThenTheBytesLandAsGiven() throws Exception {
    Random rnd = new Random(11);
    Path in = input(rnd);
    byte[] data = random(rnd, 2_500_000);
    // 2500 parts of 1000 bytes (more than one vectored write takes), runs of direct ones (an arena's views, as the
    // compressor gives its records) between heap ones, handed over in reverse order
    List<VlsvRewrite.Part> parts = new ArrayList<>();
    try (DirectArena arena = new DirectArena()) {
      for (int i = 2499; i >= 0; i--) {
        byte[] piece = Arrays.copyOfRange(data, 1000 * i, 1000 * (i + 1));
        ByteBuffer b = i % 700 < 600 ? arena.put(piece) : ByteBuffer.wrap(piece);
        parts.add(new VlsvRewrite.Part(0, 1000L * i, b));
      }
      writeAndCompare(in, tmp.resolve("direct.vlsv"), data, parts);
    }
  }

  @Test
  void givenAMixOfHeapAndDirectPartsOfEverySizeWhenWrittenThenTheBytesLandAsGiven() throws Exception {
    Random rnd = new Random(12);
    Path in = input(rnd);
    // one heap part larger than the writer's staging window (it goes in several windows), one large direct part, then
    // 3000 small parts of random sizes and kinds, all in random order: the writer switches between staging heap parts
    // and gathering direct ones thousands of times, and the staging window fills in the middle of a part
    List<Integer> sizes = new ArrayList<>(List.of(VlsvRewrite.WRITE_WINDOW * 5 / 2, 1_500_000));
    for (int i = 0; i < 3000; i++) {
      sizes.add(1 + rnd.nextInt(3000));
    }
    byte[] data = random(rnd, sizes.stream().mapToInt(Integer::intValue).sum());
    List<VlsvRewrite.Part> parts = new ArrayList<>();
    try (DirectArena arena = new DirectArena()) {
      int at = 0;
      for (int k = 0; k < sizes.size(); k++) {
        byte[] piece = Arrays.copyOfRange(data, at, at + sizes.get(k));
        boolean direct = k == 1 || k > 1 && rnd.nextBoolean();
        parts.add(new VlsvRewrite.Part(0, at, direct ? arena.put(piece) : ByteBuffer.wrap(piece)));
        at += piece.length;
      }
      java.util.Collections.shuffle(parts, rnd);
      writeAndCompare(in, tmp.resolve("mixed.vlsv"), data, parts);
    }
  }

  @Test
  void givenPartsWithTheirChecksumsWhenWrittenThenTheFileChecksumsUseThemAsGiven() throws Exception {
    Random rnd = new Random(9);
    Path in = input(rnd);
    byte[] data = random(rnd, 40_000);
    int[] cuts = {0, 12_345, 30_000, data.length};
    for (boolean honest : new boolean[] {true, false}) {
      List<VlsvRewrite.Part> parts = new ArrayList<>();
      for (int i = 1; i < cuts.length; i++) {
        byte[] piece = Arrays.copyOfRange(data, cuts[i - 1], cuts[i]);
        // a record's checksum as EncodedCell takes it; the second time one is off by a bit
        int crc = new EncodedCell(i, piece, null).crc32c() ^ (!honest && i == 2 ? 1 : 0);
        parts.add(new VlsvRewrite.Part(0, cuts[i - 1], ByteBuffer.wrap(piece), crc));
      }
      Path out = tmp.resolve("given-" + honest + ".vlsv");
      try (VlsvFile f = VlsvFile.open(in)) {
        VlsvRewrite.write(f, out, new Plan(data.length, f.arrays().size() + 1), parts, SingleRank.INSTANCE);
      }
      try (VlsvFile f = VlsvFile.open(out)) {
        assertArrayEquals(data, bytes(f, f.require("NEW", Map.of("name", "n"))));
        List<String> bad = FileChecksums.check(f, a -> true).stream().filter(e -> !e.ok()).map(FileChecksums.Entry::what)
            .toList();
        // the writer joined the given checksums instead of taking its own: a wrong one shows as that array's mismatch
        assertEquals(honest ? List.of() : List.of(f.require("NEW", Map.of("name", "n")).describe()), bad);
      }
    }
  }

  @Test
  void givenAGapNobodyWroteWhenWrittenThenThatArrayIsReadBackForItsChecksum() throws Exception {
    Random rnd = new Random(8);
    Path in = input(rnd);
    byte[] head = random(rnd, 1000);
    // bytes [1000, 1500) are never written: they read as zeros, and only a read-back can checksum them
    List<VlsvRewrite.Part> parts = List.of(new VlsvRewrite.Part(0, 0, ByteBuffer.wrap(head)),
        new VlsvRewrite.Part(0, 1500, ByteBuffer.allocateDirect(500)));
    Path out = tmp.resolve("gap.vlsv");
    try (VlsvFile f = VlsvFile.open(in)) {
      VlsvRewrite.write(f, out, new Plan(2000, f.arrays().size() + 1), parts, SingleRank.INSTANCE);
    }
    checkAll(out);
  }

  /** Writes {@code parts} as array "NEW" of {@code data.length} bytes; checks the file's checksums and its bytes. */
  private void writeAndCompare(Path in, Path out, byte[] data, List<VlsvRewrite.Part> parts) throws Exception {
    try (VlsvFile f = VlsvFile.open(in)) {
      VlsvRewrite.write(f, out, new Plan(data.length, f.arrays().size() + 1), parts, SingleRank.INSTANCE);
    }
    checkAll(out);
    try (VlsvFile f = VlsvFile.open(out)) {
      assertArrayEquals(data, bytes(f, f.require("NEW", Map.of("name", "n"))));
    }
  }

  private static byte[] bytes(VlsvFile f, VlsvArray a) throws Exception {
    ByteBuffer b = f.read(a);
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }
}
