package io.vdfc.restart;

import io.vdfc.vlsv.VlsvArray;
import io.vdfc.vlsv.VlsvDataType;
import io.vdfc.vlsv.VlsvFile;
import io.vdfc.vlsv.VlsvFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.zip.CRC32C;

/**
 * The file-level checksums of a compressed VLSV file: the {@code VDFC_CHECKSUMS} array ({@link CompressedVlsv}).
 *
 * <pre>
 *   VDFC_CHECKSUMS name="crc32c" (uint, 4), vectorsize 1, arraysize = the number of arrays in the footer (itself included)
 *     element i (i = the array's position in footer order) = CRC32C of that array's data bytes;
 *     the element at the checksum array's own position   = CRC32C of the 16 header bytes followed by the whole footer
 *                                                          (its offset to the end of the file).
 * </pre>
 *
 * Every byte of the file is thus covered once: header, every array's data, footer. The footer does not depend on the
 * checksum values (they sit in the data section), so the writer finishes the file first, then fills the array in place
 * ({@link #fill}) after every rank has synced its parts and before the file is renamed into place. The array is optional:
 * files written before it existed read as before ({@link #find} is empty); readers need no format version bump.
 */
public final class FileChecksums {
  public static final String TAG = "VDFC_CHECKSUMS";
  public static final String NAME = "crc32c";

  /** The result of checking one array (or, with {@code array} null, the header and footer). */
  public record Entry(VlsvArray array, long offset, long bytes, int stored, int actual) {
    public boolean ok() {
      return stored == actual;
    }

    public String what() {
      return array == null ? "header+footer" : array.describe();
    }
  }

  private FileChecksums() {
    throw new AssertionError("no instances");
  }

  /** The footer entry of the checksum array, to append last: one u32 per array of a file of {@code arrayCount} arrays. */
  public static VlsvRewrite.NewArray newArray(int arrayCount) {
    return new VlsvRewrite.NewArray(TAG, new LinkedHashMap<>(Map.of("name", NAME)), VlsvDataType.UINT, 4, 1, arrayCount);
  }

  /** The checksum array of a file, if it has one. */
  public static Optional<VlsvArray> find(VlsvFile f) {
    return f.find(TAG, Map.of("name", NAME));
  }

  /** Computes and writes the checksums of a finished file that has a checksum array, then forces it to disk. */
  public static void fill(Path path) throws IOException {
    ByteBuffer values;
    long at;
    try (VlsvFile f = VlsvFile.open(path)) {
      VlsvArray sums = find(f).orElseThrow(() -> new VlsvFormatException(path, f.footerOffset(), "no " + TAG + " array to fill"));
      checkShape(f, sums);
      values = ByteBuffer.allocate(4 * f.arrays().size()).order(ByteOrder.LITTLE_ENDIAN);
      for (VlsvArray a : f.arrays()) {
        values.putInt(a.index() == sums.index() ? headerAndFooter(f) : crc(f, a));
      }
      at = sums.offset();
    }
    values.flip();
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
      long pos = at;
      while (values.hasRemaining()) {
        pos += ch.write(values, pos);
      }
      ch.force(true);
    }
  }

  /**
   * Checks the header, footer and the arrays {@code which} selects against the stored checksums, streaming (memory
   * bounded by the read window), in file order.
   *
   * @return one entry per checked item, header+footer first; empty if the file has no checksum array
   * @throws VlsvFormatException if the checksum array itself is malformed
   */
  public static List<Entry> check(VlsvFile f, Predicate<VlsvArray> which) throws IOException {
    Optional<VlsvArray> s = find(f);
    if (s.isEmpty()) {
      return List.of();
    }
    VlsvArray sums = s.get();
    checkShape(f, sums);
    long[] stored = f.readLongs(sums);
    List<Entry> out = new ArrayList<>();
    out.add(new Entry(null, 0, 16 + f.size() - f.footerOffset(), (int) stored[sums.index()], headerAndFooter(f)));
    List<VlsvArray> inFileOrder = new ArrayList<>(f.arrays());
    inFileOrder.sort(java.util.Comparator.comparingLong(VlsvArray::offset));
    for (VlsvArray a : inFileOrder) {
      if (a.index() != sums.index() && which.test(a)) {
        out.add(new Entry(a, a.offset(), a.byteSize(), (int) stored[a.index()], crc(f, a)));
      }
    }
    return out;
  }

  /**
   * Throws naming the first mismatch among the arrays {@code which} selects (and the header and footer), if the file
   * has checksums; does nothing for a file without them.
   */
  public static void require(VlsvFile f, Predicate<VlsvArray> which) throws IOException {
    for (Entry e : check(f, which)) {
      if (!e.ok()) {
        throw new VlsvFormatException(f.path(), e.offset(), String.format(
            "checksum mismatch in %s (%d bytes): CRC32C %08x, stored %08x; the file is corrupt", e.what(), e.bytes(),
            e.actual(), e.stored()));
      }
    }
  }

  private static void checkShape(VlsvFile f, VlsvArray sums) throws VlsvFormatException {
    VlsvFormatException.verify(sums.dataType() == VlsvDataType.UINT && sums.dataSize() == 4 && sums.vectorSize() == 1
        && sums.arraySize() == f.arrays().size(), f.path(), sums.offset(), sums.describe()
        + " should be uint of 4 bytes, vectorsize 1, one element per footer array (" + f.arrays().size() + ")");
  }

  private static int crc(VlsvFile f, VlsvArray a) throws IOException {
    CRC32C c = new CRC32C();
    f.update(c, a.offset(), a.byteSize());
    return (int) c.getValue();
  }

  private static int headerAndFooter(VlsvFile f) throws IOException {
    CRC32C c = new CRC32C();
    f.update(c, 0, 16);
    f.update(c, f.footerOffset(), f.size() - f.footerOffset());
    return (int) c.getValue();
  }
}
