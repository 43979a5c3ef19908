package io.vdfc.reliab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vdfc.parallel.SingleRank;
import io.vdfc.restart.CompressedFile;
import io.vdfc.restart.CompressedVlsv;
import io.vdfc.restart.FileChecksums;
import io.vdfc.restart.VlsvDecompressor;
import io.vdfc.restart.VlsvRewrite;
import io.vdfc.testing.SharedData;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vlsv.VlsvArray;
import io.vdfc.vlsv.VlsvFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Corruption sweeps over real files compressed with zfpb: single-bit flips and truncations, each either detected (a
 * {@link io.vdfc.vlsv.VlsvFormatException} naming file and offset, from the integrity check and from the decode) or
 * harmless with a proven identical result. On the small real file (vlsvrs/fullf, 2 populations, 1 cell each): every
 * bit of the header and of the cell index (VDFC_INDEX, CELLSWITHBLOCKS, BLOCKSPERCELL, the format version), random
 * bits of the footer, checksums, mesh/parameters, variables and records, truncation at every array boundary and 20
 * more points. On the real restart (ipshock, 60 cells, 141,275 blocks): every header bit, random bits of the index
 * arrays, footer, records and variables, truncations. Counts are printed ("[sweep]" lines); the sample sizes scale with
 * {@code -Dvdfc.sweep.scale=N} (default 1) for a longer run.
 */
class CorruptionSweepTest {
  static final int SCALE = Integer.getInteger("vdfc.sweep.scale", 1);
  @TempDir Path tmp;

  @Test
  void everyHeaderFooterAndIndexBitOfASmallRealFileIsDetectedOrHarmless() throws Exception {
    Path z = CompressedSamples.fullfZfpb();
    Path reference = tmp.resolve("reference.vlsv");
    new VlsvDecompressor(true).decompress(z, reference, SingleRank.INSTANCE);
    Path work = tmp.resolve("work.vlsv");
    Files.copy(z, work);
    Path back = tmp.resolve("back.vlsv");
    Corruptions sweep = new Corruptions(work, p -> {
      Files.deleteIfExists(back);
      new VlsvDecompressor(true).decompress(p, back, SingleRank.INSTANCE);
      return Files.mismatch(back, reference) == -1; // every cell, every block ID and every other array, byte for byte
    });
    List<Corruptions.Counts> all = new ArrayList<>();
    try (VlsvFile f = VlsvFile.open(z)) {
      all.add(sweep.flips("fullf header (every bit)", bitsOf(0, 16)));
      all.add(sweep.flips("fullf cell index: VDFC_INDEX, CELLSWITHBLOCKS, BLOCKSPERCELL, format version (every bit)",
          arrayBits(f, CorruptionSweepTest::indexArray)));
      all.add(sweep.flips("fullf footer (random bits)", sample(bitsOf(f.footerOffset(), f.size() - f.footerOffset()),
          300 * SCALE, 11)));
      all.add(sweep.flips("fullf file checksums (random bits)", sample(arrayBits(f, a -> a.tag().equals(FileChecksums.TAG)),
          100 * SCALE, 12)));
      all.add(sweep.flips("fullf mesh, parameters, config, settings (random bits)", sample(arrayBits(f, a -> !indexArray(a)
          && !a.tag().equals(CompressedVlsv.RECORDS) && !a.tag().equals("VARIABLE") && !a.tag().equals(FileChecksums.TAG)),
          200 * SCALE, 13)));
      all.add(sweep.flips("fullf variables (random bits)", sample(arrayBits(f, a -> a.tag().equals("VARIABLE")),
          100 * SCALE, 14)));
      all.add(sweep.flips("fullf records (random bits)",
          sample(arrayBits(f, a -> a.tag().equals(CompressedVlsv.RECORDS)), 400 * SCALE, 15)));
      all.add(sweep.truncations("fullf truncations", truncationPoints(f, 20), tmp.resolve("cut.vlsv")));
    }
    report(all);
  }

  @Test
  void sampledFlipsAndTruncationsOfTheRealRestartAreDetectedOrHarmless() throws Exception {
    Path z = CompressedSamples.restartZfpb();
    Path work = tmp.resolve("work.vlsv");
    Files.copy(z, work);
    Reference ref = new Reference(z);
    Corruptions sweep = new Corruptions(work, ref::identical);
    List<Corruptions.Counts> all = new ArrayList<>();
    try (VlsvFile f = VlsvFile.open(z)) {
      all.add(sweep.flips("restart header (every bit)", bitsOf(0, 16)));
      all.add(sweep.flips("restart cell index (random bits)", sample(arrayBits(f, CorruptionSweepTest::indexArray),
          200 * SCALE, 2)));
      all.add(sweep.flips("restart footer (random bits)", sample(bitsOf(f.footerOffset(), f.size() - f.footerOffset()),
          100 * SCALE, 3)));
      all.add(sweep.flips("restart records (random bits)",
          sample(arrayBits(f, a -> a.tag().equals(CompressedVlsv.RECORDS)), 300 * SCALE, 4)));
      all.add(sweep.flips("restart variables (random bits)", sample(arrayBits(f, a -> a.tag().equals("VARIABLE")),
          50 * SCALE, 5)));
      all.add(sweep.truncations("restart truncations", truncationPoints(f, 10), tmp.resolve("cut.vlsv")));
    }
    report(all);
  }

  /**
   * The parsers behind the file checksum: the same file with its VDFC_CHECKSUMS dropped (as written before it existed),
   * every bit of header and cell index and random footer bits flipped. No file checksum means a flipped cell ID or
   * block count can decode to a well-formed, different file: those are counted, not failed; what must never happen is
   * an uncaught exception, a hang or an out-of-memory error, and a flipped record is always caught by its own CRC.
   */
  @Test
  void withoutFileChecksumsTheParsersStillNeverCrashOrHang() throws Exception {
    Path old = CompressedSamples.asVersionOneWithoutChecksums(CompressedSamples.fullfZfpb(), tmp.resolve("old.vlsv"));
    Path reference = tmp.resolve("reference.vlsv");
    new VlsvDecompressor(true).decompress(old, reference, SingleRank.INSTANCE);
    Path work = tmp.resolve("work.vlsv");
    Files.copy(old, work);
    Path back = tmp.resolve("back.vlsv");
    Corruptions sweep = new Corruptions(work, p -> {
      Files.deleteIfExists(back);
      new VlsvDecompressor(true).decompress(p, back, SingleRank.INSTANCE);
      return Files.mismatch(back, reference) == -1;
    }).withoutFileChecksums();
    List<Corruptions.Counts> all = new ArrayList<>();
    try (VlsvFile f = VlsvFile.open(old)) {
      all.add(sweep.flips("no-checksum fullf header (every bit)", bitsOf(0, 16)));
      all.add(sweep.flips("no-checksum fullf cell index (every bit)", arrayBits(f, CorruptionSweepTest::indexArray)));
      all.add(sweep.flips("no-checksum fullf footer (random bits)", sample(bitsOf(f.footerOffset(),
          f.size() - f.footerOffset()), 400 * SCALE, 21)));
      Corruptions.Counts rec = sweep.flips("no-checksum fullf records (random bits)",
          sample(arrayBits(f, a -> a.tag().equals(CompressedVlsv.RECORDS)), 200 * SCALE, 22));
      assertEquals(0, rec.undetectable, "a record's own CRC32C catches every flip in it");
      all.add(rec);
    }
    report(all);
  }

  /**
   * The decode of the real restart, and the proof that a corrupted copy decodes identically: the copy must open (index,
   * mesh and parameters checked), pass the checks the decompressor makes before copying the variables, have the same
   * footer and non-record arrays byte for byte, and decode every cell whose record bytes differ to exactly the
   * reference cell (a cell whose record bytes, index entry, mesh and model are unchanged decodes identically: decoding
   * is a function of those alone).
   */
  static final class Reference {
    final Path clean;
    final byte[] bytes;

    Reference(Path clean) throws IOException {
      this.clean = clean;
      this.bytes = Files.readAllBytes(clean);
    }

    boolean identical(Path p) throws Exception {
      try (CompressedFile cf = CompressedFile.open(p); CompressedFile ref = CompressedFile.open(clean)) {
        FileChecksums.require(cf.file(), a -> a.tag().equals("VARIABLE"));
        byte[] now = Files.readAllBytes(p);
        VlsvFile f = cf.file();
        if (f.footerOffset() != ref.file().footerOffset() || !f.footerText().equals(ref.file().footerText())) {
          return false;
        }
        for (VlsvArray a : f.arrays()) {
          if (!a.tag().equals(CompressedVlsv.RECORDS) && !a.tag().equals(FileChecksums.TAG)
              && !Arrays.equals(now, (int) a.offset(), (int) (a.offset() + a.byteSize()), bytes, (int) a.offset(),
              (int) (a.offset() + a.byteSize()))) {
            return false;
          }
        }
        for (String pop : cf.populations()) {
          CompressedFile.Population q = cf.population(pop);
          for (int i = 0; i < q.cellIds().length; i++) {
            ByteBuffer a = cf.record(pop, i);
            ByteBuffer b = ref.record(pop, i);
            if (!a.equals(b)) {
              CellVdf x = cf.cellAt(pop, i);
              CellVdf y = ref.cellAt(pop, i);
              if (!Arrays.equals(x.blockIds(), y.blockIds()) || !Arrays.equals(x.values(), y.values())) {
                return false;
              }
            }
          }
        }
        return true;
      }
    }
  }

  private static void report(List<Corruptions.Counts> all) {
    long tried = 0, detected = 0, harmless = 0;
    List<String> failures = new ArrayList<>();
    for (Corruptions.Counts c : all) {
      tried += c.tried;
      detected += c.detected;
      harmless += c.harmless;
      c.failures.forEach(m -> failures.add(c.name + ": " + m));
    }
    System.out.printf("[sweep] total: %d tried, %d detected, %d harmless, %d different without a file checksum, "
        + "%d failures%n", tried, detected, harmless, all.stream().mapToLong(c -> c.undetectable).sum(), failures.size());
    assertTrue(failures.isEmpty(), String.join("\n", failures));
    long undetectable = all.stream().mapToLong(c -> c.undetectable).sum();
    assertEquals(tried, detected + harmless + undetectable);
  }

  /** The arrays that locate the cells: their records' lengths, IDs and block counts, and the format version. */
  static boolean indexArray(VlsvArray a) {
    return a.tag().equals(CompressedVlsv.INDEX) || a.tag().equals(CompressedVlsv.CELLSWITHBLOCKS)
        || a.tag().equals(CompressedVlsv.BLOCKSPERCELL) || a.name().equals(CompressedVlsv.VERSION_PARAMETER);
  }

  static long[] bitsOf(long offset, long bytes) {
    return LongStream.range(8 * offset, 8 * (offset + bytes)).toArray();
  }

  static long[] arrayBits(VlsvFile f, Predicate<VlsvArray> which) {
    LongStream s = LongStream.empty();
    for (VlsvArray a : f.arrays()) {
      if (which.test(a)) {
        s = LongStream.concat(s, LongStream.range(8 * a.offset(), 8 * (a.offset() + a.byteSize())));
      }
    }
    return s.toArray();
  }

  static long[] sample(long[] bits, int n, long seed) {
    if (bits.length <= n) {
      return bits;
    }
    Random r = new Random(seed);
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      out[i] = bits[r.nextInt(bits.length)];
    }
    return out;
  }

  /** Every array start and end, the footer offset +-1, 0, 15, 16, size-1, and {@code extra} evenly spaced points. */
  static long[] truncationPoints(VlsvFile f, int extra) {
    LongStream.Builder b = LongStream.builder();
    b.add(0).add(1).add(8).add(15).add(16).add(f.footerOffset() - 1).add(f.footerOffset()).add(f.footerOffset() + 1)
        .add(f.size() - 1);
    for (VlsvArray a : f.arrays()) {
      b.add(a.offset()).add(a.offset() + a.byteSize() - 1);
    }
    for (int i = 1; i <= extra; i++) {
      b.add(f.size() * i / (extra + 1));
    }
    return b.build().filter(x -> x >= 0 && x < f.size()).distinct().sorted().toArray();
  }
}
