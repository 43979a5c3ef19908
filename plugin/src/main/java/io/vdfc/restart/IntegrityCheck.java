package io.vdfc.restart;

import io.vdfc.codec.CorruptRecordException;
import io.vdfc.record.CellRecord;
import io.vdfc.vlsv.VlsvFile;
import io.vdfc.vlsv.VlsvFormatException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Checks a compressed file without decoding it and without holding more than one read window or one record in memory:
 * the VLSV header and footer, every {@link FileChecksums file checksum} (when the file has them), the cell index, and
 * every record's own CRC32C and structure ({@link CellRecord#read}). Reports each item and the first problem in file
 * order (the lowest byte offset), naming the array or the population and cell.
 */
public final class IntegrityCheck {
  /** The outcome: {@code firstProblem} is null for an intact file. */
  public record Result(boolean ok, long checkedArrays, long checkedRecords, String firstProblem, long firstOffset) {}

  /** Bad records listed one by one per population; the rest are counted. */
  private static final int MAX_LISTED = 20;

  private final PrintStream out;
  private String first;
  private long firstOffset = Long.MAX_VALUE;
  /** Records arrays whose file checksum failed: offset and message, reported only if no record names the cell. */
  private final java.util.Map<String, Object[]> badRecordArrays = new java.util.LinkedHashMap<>();

  private IntegrityCheck(PrintStream out) {
    this.out = out;
  }

  /**
   * Checks {@code path}, printing one line per item to {@code out} (null: silent).
   *
   * @throws IllegalArgumentException if it is a plain VLSV file: nothing of vdfc's to check
   */
  public static Result run(Path path, PrintStream out) throws IOException {
    return new IntegrityCheck(out).check(path);
  }

  private Result check(Path path) throws IOException {
    long arrays = 0, records = 0;
    try (VlsvFile f = VlsvFile.open(path)) {
      if (!CompressedFile.isCompressed(f)) {
        if (f.arrays().stream().anyMatch(a -> a.tag().startsWith("VDFC_"))) { // a bit flip in the parameter's name
          problem(f.footerOffset(), path + ": byte " + f.footerOffset() + ": it has vdfc arrays but no PARAMETER "
              + CompressedVlsv.VERSION_PARAMETER + ": the footer is damaged");
          return result(0, 0);
        }
        // nothing corrupt about it: there is nothing of vdfc's to check
        throw new IllegalArgumentException(path + " is a plain VLSV file (no PARAMETER " + CompressedVlsv.VERSION_PARAMETER
            + "), not vdfc-compressed: --integrity checks the checksums and records vdfc writes; to compare a file "
            + "with its original, give both: vdfc verify ORIGINAL CANDIDATE");
      }
      print("header and footer: parsed, " + f.arrays().size() + " arrays, footer at byte " + f.footerOffset());
      var sums = FileChecksums.check(f, a -> true);
      if (sums.isEmpty()) {
        String unchecked = CompressedFile.missingChecksums(f);
        if (unchecked != null) {
          problem(f.footerOffset(), path + ": byte " + f.footerOffset() + ": " + unchecked);
          return result(0, 0);
        }
        print("file checksums: none (" + FileChecksums.TAG + " absent: format version 1, written before vdfc wrote "
            + "them); records only");
      }
      for (FileChecksums.Entry e : sums) {
        arrays++;
        print(String.format("  %-4s %s at byte %d, %d bytes, CRC32C %08x%s", e.ok() ? "ok" : "BAD", e.what(), e.offset(),
            e.bytes(), e.actual(), e.ok() ? "" : String.format(" (stored %08x)", e.stored())));
        if (!e.ok()) {
          String m = String.format("%s: byte %d: checksum mismatch in %s (%s)", path, e.offset(), e.what(),
              e.where(FileChecksums.find(f).orElseThrow()));
          if (e.array() != null && e.array().tag().equals(CompressedVlsv.RECORDS)) {
            badRecordArrays.put(e.array().name(), new Object[] {e.offset(), m}); // the record walk names the cell
          } else {
            problem(e.offset(), m);
          }
        }
      }
    } catch (VlsvFormatException e) {
      problem(e.offset(), e.getMessage());
      return result(arrays, records);
    }
    try (CompressedFile cf = CompressedFile.open(path, false)) {
      for (String pop : cf.populations()) {
        CompressedFile.Population p = cf.population(pop);
        long bad = 0;
        for (int i = 0; i < p.cellIds().length; i++) {
          long offset = p.records().offset() + p.recordStart()[i];
          records++;
          try {
            ByteBuffer rec = cf.record(pop, i);
            CellRecord r = CellRecord.read(rec, p.mesh().blockCount(), p.blocksPerCell()[i]);
            CorruptRecordException.verify(r.blockIds().length == p.blocksPerCell()[i],
                "record holds %d blocks, BLOCKSPERCELL says %d", r.blockIds().length, p.blocksPerCell()[i]);
          } catch (CorruptRecordException e) {
            if (++bad <= MAX_LISTED) {
              print(String.format("  BAD  %s cell %d (record %d) at byte %d: %s", pop, p.cellIds()[i], i, offset,
                  e.getMessage()));
            }
            problem(offset, String.format("%s: byte %d: %s cell %d (record %d of %d): %s", path, offset, pop,
                p.cellIds()[i], i, p.cellIds().length, e.getMessage()));
          }
        }
        print(String.format("  %-4s %s: %d records, %d bad", bad == 0 ? "ok" : "BAD", pop, p.cellIds().length, bad));
        Object[] arrayLevel = badRecordArrays.remove(pop);
        if (bad == 0 && arrayLevel != null) {
          problem((long) arrayLevel[0], arrayLevel[1] + " (every record's own CRC32C passes)");
        }
      }
    } catch (VlsvFormatException e) {
      problem(e.offset(), e.getMessage());
    }
    for (Object[] arrayLevel : badRecordArrays.values()) {
      problem((long) arrayLevel[0], (String) arrayLevel[1]);
    }
    return result(arrays, records);
  }

  private Result result(long arrays, long records) {
    if (first == null) {
      print("integrity: ok");
    } else {
      print("integrity: CORRUPT; first problem: " + first);
    }
    return new Result(first == null, arrays, records, first, first == null ? -1 : firstOffset);
  }

  private void problem(long offset, String message) {
    if (first == null || offset < firstOffset) {
      first = message;
      firstOffset = offset;
    }
  }

  private void print(String line) {
    if (out != null) {
      out.println(line);
    }
  }
}
