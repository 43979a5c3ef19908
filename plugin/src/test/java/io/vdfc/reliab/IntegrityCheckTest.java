package io.vdfc.reliab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vdfc.cli.Vdfc;
import io.vdfc.codec.CodecRegistry;
import io.vdfc.codec.Tolerance;
import io.vdfc.compress.CompressionSettings;
import io.vdfc.restart.VlsvCompressor;
import io.vdfc.testing.SharedData;
import io.vdfc.parallel.SingleRank;
import io.vdfc.restart.CompressedFile;
import io.vdfc.restart.CompressedVlsv;
import io.vdfc.restart.FileChecksums;
import io.vdfc.restart.IntegrityCheck;
import io.vdfc.restart.VlsvDecompressor;
import io.vdfc.vlsv.VlsvArray;
import io.vdfc.vlsv.VlsvFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vdfc verify --integrity} and the file checksums on the real restart compressed with zfpb. */
class IntegrityCheckTest {
  @TempDir Path tmp;

  /** Runs vdfc in-process; returns {exit code, stdout, stderr}. */
  static Object[] vdfc(String... args) {
    return io.vdfc.testing.InProcessVdfc.run(args);
  }

  static void flip(Path p, long byteOffset, int bit) throws Exception {
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.allocate(1);
      ch.read(b, byteOffset);
      ch.write(ByteBuffer.wrap(new byte[] {(byte) (b.get(0) ^ (1 << bit))}), byteOffset);
    }
  }

  @Test
  void anIntactFileReportsEveryArrayAndEveryRecord() throws Exception {
    Path z = CompressedSamples.restartZfpb();
    Object[] r = vdfc("verify", "--integrity", z.toString());
    String out = (String) r[1];
    assertEquals(Vdfc.EXIT_OK, r[0], out + r[2]);
    try (VlsvFile f = VlsvFile.open(z)) {
      VlsvArray sums = FileChecksums.find(f).orElseThrow();
      assertEquals(f.arrays().size(), sums.arraySize(), "one checksum per array");
      assertEquals(f.arrays().size(), out.lines().filter(l -> l.startsWith("  ok ") && l.contains(" bytes, CRC32C ")).count(),
          "a line per array plus header+footer, less the checksum array itself:\n" + out);
    }
    assertTrue(out.contains("proton: 60 records, 0 bad"), out);
    assertTrue(out.contains("integrity: ok"), out);
    IntegrityCheck.Result res = IntegrityCheck.run(z, null);
    assertTrue(res.ok());
    assertEquals(60, res.checkedRecords());
  }

  @Test
  void aFlippedRecordBitNamesTheCellAndItsOffsetAndDecodingFailsToo() throws Exception {
    Path z = tmp.resolve("z.vlsv");
    Files.copy(CompressedSamples.restartZfpb(), z);
    long recordStart;
    long cellId;
    try (CompressedFile cf = CompressedFile.open(z)) {
      CompressedFile.Population p = cf.population("proton");
      int k = 37;
      recordStart = p.records().offset() + p.recordStart()[k];
      cellId = p.cellIds()[k];
      flip(z, recordStart + p.recordLength(k) / 2, 3);
    }
    Object[] r = vdfc("verify", "--integrity", z.toString());
    String out = (String) r[1];
    assertEquals(Vdfc.EXIT_BAD_INPUT, r[0], out);
    assertTrue(out.contains("proton: 60 records, 1 bad"), out);
    String first = out.lines().filter(l -> l.startsWith("integrity: CORRUPT")).findFirst().orElseThrow();
    assertTrue(first.contains("z.vlsv: byte " + recordStart + ": proton cell " + cellId + " "), first);
    assertTrue(first.contains("checksum mismatch"), first);
    assertTrue(out.contains("BAD  <VDFC_RECORDS name=\"proton\""), "the array checksum fails too:\n" + out);

    Path back = tmp.resolve("back.vlsv");
    r = vdfc("decompress", z.toString(), back.toString(), "-q");
    assertEquals(Vdfc.EXIT_BAD_INPUT, r[0]);
    assertTrue(((String) r[2]).contains("z.vlsv: byte " + recordStart + ": proton cell " + cellId), (String) r[2]);
    assertFalse(Files.exists(back), "nothing written under the output name");
  }

  @Test
  void aFlippedVariableIsCaughtByTheFileChecksumBeforeAnythingIsWritten() throws Exception {
    Path z = tmp.resolve("z.vlsv");
    Files.copy(CompressedSamples.restartZfpb(), z);
    long at;
    try (VlsvFile f = VlsvFile.open(z)) {
      VlsvArray rho = f.find("VARIABLE", Map.of("name", "moments")).orElseGet(() ->
          f.findAll("VARIABLE", Map.of()).stream().filter(a -> a.byteSize() > 0).findFirst().orElseThrow());
      at = rho.offset() + rho.byteSize() / 2;
    }
    flip(z, at, 6);
    Object[] r = vdfc("verify", "--integrity", z.toString());
    assertEquals(Vdfc.EXIT_BAD_INPUT, r[0]);
    assertTrue(((String) r[1]).contains("checksum mismatch in <VARIABLE"), (String) r[1]);
    Path back = tmp.resolve("back.vlsv");
    r = vdfc("decompress", z.toString(), back.toString(), "-q");
    assertEquals(Vdfc.EXIT_BAD_INPUT, r[0], (String) r[2]);
    assertTrue(((String) r[2]).contains("z.vlsv: byte ") && ((String) r[2]).contains("checksum mismatch in <VARIABLE"),
        (String) r[2]);
    assertFalse(Files.exists(back));
  }

  /**
   * A flipped bit in the format version parameter is corruption, not "written by a newer vdfc"; a flipped bit in the
   * checksum array (whose own bytes carry no checksum) shows as a mismatch of the array it covers, and the message says
   * that the damage may lie in the stored CRC32C, at its byte.
   */
  @Test
  void aDamagedVersionIsCorruptAndADamagedChecksumIsNamedAsAPlace() throws Exception {
    Path z = tmp.resolve("z.vlsv");
    Files.copy(CompressedSamples.fullfZfpb(), z);
    long version;
    long slot;
    try (VlsvFile f = VlsvFile.open(z)) {
      version = f.require("PARAMETER", Map.of("name", io.vdfc.restart.CompressedVlsv.VERSION_PARAMETER)).offset();
      VlsvArray sums = io.vdfc.restart.FileChecksums.find(f).orElseThrow();
      slot = sums.offset() + 4L * f.require("BLOCKSPERCELL", Map.of("name", "proton")).index();
    }
    Path v = Files.copy(z, tmp.resolve("v.vlsv"));
    flip(v, version + 1, 0);
    Object[] r = vdfc("decompress", v.toString(), tmp.resolve("o.vlsv").toString(), "-q");
    assertEquals(Vdfc.EXIT_BAD_INPUT, r[0], (String) r[2]);
    assertTrue(((String) r[2]).contains("checksum mismatch in <PARAMETER name=\"VDFC_FORMAT_VERSION\">")
        && !((String) r[2]).contains("newer"), (String) r[2]);
    flip(z, slot + 1, 0);
    r = vdfc("decompress", z.toString(), tmp.resolve("o.vlsv").toString(), "-q");
    assertEquals(Vdfc.EXIT_BAD_INPUT, r[0], (String) r[2]);
    assertTrue(((String) r[2]).contains("in those bytes or in their stored CRC32C at byte " + slot), (String) r[2]);
    r = vdfc("verify", "--integrity", z.toString());
    assertTrue(((String) r[1]).contains("in their stored CRC32C at byte " + slot), (String) r[1]);
  }

  /**
   * One flipped bit in the checksum array's footer entry ({@code crc32c} to {@code crc32b}) made the file read as one
   * written before checksums: integrity "ok", and a second flip in the shared vq model decoded to values 21x over their
   * bound (found by a QA sweep). From format version 2 on, a missing checksum array is a damaged footer. So is a
   * version parameter of no values (it was "Index 0 out of bounds", exit 4).
   */
  @Test
  void aFooterFlipCannotTurnTheChecksumsOff() throws Exception {
    Path z = Files.copy(CompressedSamples.fullfZfpb(), tmp.resolve("z.vlsv"));
    long footer;
    try (VlsvFile f = VlsvFile.open(z)) {
      footer = f.footerOffset();
      assertEquals(CompressedVlsv.FORMAT_VERSION, f.readLongs(
          f.find("PARAMETER", Map.of("name", CompressedVlsv.VERSION_PARAMETER)).orElseThrow())[0]);
    }
    String text = new String(Files.readAllBytes(z), StandardCharsets.ISO_8859_1);
    flip(z, text.indexOf("name=\"" + FileChecksums.NAME + "\"", (int) footer) + 11, 0);
    Object[] r = vdfc("verify", "--integrity", z.toString());
    assertEquals(Vdfc.EXIT_BAD_INPUT, r[0], (String) r[1]);
    assertTrue(((String) r[1]).contains("no VDFC_CHECKSUMS name=\"crc32c\" in the footer, which format version 2 "
        + "requires: the footer is damaged"), (String) r[1]);
    for (String cmd : new String[] {"decompress", "inspect"}) {
      r = cmd.equals("inspect") ? vdfc(cmd, z.toString()) : vdfc(cmd, z.toString(), tmp.resolve("o.vlsv").toString());
      assertEquals(Vdfc.EXIT_BAD_INPUT, r[0], cmd + ": " + r[2]);
      assertTrue(((String) r[2]).contains(z.getFileName() + ": byte " + footer + ": no VDFC_CHECKSUMS"), (String) r[2]);
    }
    Path v = Files.copy(CompressedSamples.fullfZfpb(), tmp.resolve("v.vlsv"));
    int at = text.indexOf("name=\"" + CompressedVlsv.VERSION_PARAMETER + "\"", (int) footer);
    int vs = text.indexOf("vectorsize=\"1\"", at);
    assertTrue(at > 0 && vs > at && vs < text.indexOf('>', at), "the version's entry has vectorsize 1");
    flip(v, vs + 12, 0); // "1" -> "0"
    r = vdfc("inspect", v.toString());
    assertEquals(Vdfc.EXIT_BAD_INPUT, r[0], (String) r[2]);
    assertTrue(((String) r[2]).contains(v.getFileName().toString()) && ((String) r[2]).contains("checksum mismatch"),
        (String) r[2]);
  }

  /**
   * What the file checksums guard, a version-1 file without them must still refuse cleanly: a value size that is not 4
   * or 8 (it was a BufferOverflowException, exit 4, or "capacity < 0", exit 2, naming no file) and a cell listed twice
   * (it was restored into a file vdfc itself then refused).
   */
  @Test
  void aVersionOneFileWithoutChecksumsRefusesABadValueSizeAndADuplicateCell() throws Exception {
    Path old = CompressedSamples.asVersionOneWithoutChecksums(CompressedSamples.fullfZfpb(), tmp.resolve("old.vlsv"));
    byte[] bytes = Files.readAllBytes(old);
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    Path bad = tmp.resolve("vds.vlsv");
    Files.write(bad, text.replaceFirst("value_datasize=\"4\"", "value_datasize=\"2\"")
        .getBytes(StandardCharsets.ISO_8859_1));
    Object[] r = vdfc("decompress", bad.toString(), tmp.resolve("o.vlsv").toString(), "-q");
    assertEquals(Vdfc.EXIT_BAD_INPUT, r[0], (String) r[2]);
    assertTrue(((String) r[2]).contains("vds.vlsv: byte ") && ((String) r[2]).contains("value_datasize \"2\" should be "
        + "4 or 8"), (String) r[2]);
    Path dup = CompressedSamples.asVersionOneWithoutChecksums(CompressedSamples.restartZfpb(), tmp.resolve("dup.vlsv"));
    long second = Corruptions.listCellTwice(dup, "proton", 0, 1).byteOffset();
    r = vdfc("decompress", dup.toString(), tmp.resolve("o.vlsv").toString(), "-q");
    assertEquals(Vdfc.EXIT_BAD_INPUT, r[0], (String) r[2]);
    assertTrue(((String) r[2]).contains("dup.vlsv: byte " + second + ": ") && ((String) r[2]).contains(
        "is listed twice (entries 0 and 1)"), (String) r[2]);
    assertFalse(Files.exists(tmp.resolve("o.vlsv")));
  }

  @Test
  void aVersionOneFileWithoutChecksumsStillReadsAndChecksItsRecords() throws Exception {
    Path z = CompressedSamples.fullfZfpb();
    Path old = CompressedSamples.asVersionOneWithoutChecksums(z, tmp.resolve("old.vlsv"));
    try (VlsvFile f = VlsvFile.open(old)) {
      assertTrue(FileChecksums.find(f).isEmpty());
      assertTrue(CompressedFile.isCompressed(f));
    }
    Object[] r = vdfc("verify", "--integrity", old.toString());
    assertEquals(Vdfc.EXIT_OK, r[0], (String) r[1]);
    assertTrue(((String) r[1]).contains("file checksums: none"), (String) r[1]);
    Path a = tmp.resolve("a.vlsv");
    Path b = tmp.resolve("b.vlsv");
    new VlsvDecompressor(true).decompress(z, a, SingleRank.INSTANCE);
    new VlsvDecompressor(true).decompress(old, b, SingleRank.INSTANCE);
    assertEquals(-1L, Files.mismatch(a, b), "with or without checksums, the same restored file");
    try (VlsvFile f = VlsvFile.open(a)) {
      assertTrue(FileChecksums.find(f).isEmpty(), "decompression drops the checksums with the other vdfc arrays");
      assertTrue(f.find(CompressedVlsv.BLOCKIDS, Map.of("name", "proton")).isPresent());
    }
  }

  @Test
  void threeRanksWriteTheSameChecksummedFileAsOne() throws Exception {
    Path in = SharedData.file("vlsvrs/fullf.0000001.vlsv");
    Path one = tmp.resolve("one.vlsv");
    Path three = tmp.resolve("three.vlsv");
    CompressionSettings s = new CompressionSettings(CodecRegistry.get().byName("zfpb"), Tolerance.parse("1e-16"), true);
    new VlsvCompressor(pop -> s, Double.NaN, 1, true).compress(in, one, SingleRank.INSTANCE);
    ThreadRanks.run(3, c -> new VlsvCompressor(pop -> s, Double.NaN, 1, true).compress(in, three, c));
    assertEquals(-1L, Files.mismatch(one, three), "the file, checksums included, does not depend on the ranks");
    assertTrue(IntegrityCheck.run(three, null).ok());
    assertFalse(Files.exists(tmp.resolve("three.vlsv.vdfc-partial")));
  }

  @Test
  void integrityNeedsExactlyOneFile() {
    Object[] r = vdfc("verify", "--integrity", "a.vlsv", "b.vlsv");
    assertEquals(Vdfc.EXIT_USAGE, r[0]);
    r = vdfc("verify", "--integrity", tmp.resolve("missing.vlsv").toString());
    assertTrue((int) r[0] != 0);
  }
}
