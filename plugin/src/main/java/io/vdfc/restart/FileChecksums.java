package io.vdfc.restart;

import io.vdfc.vlsv.VlsvArray;
import io.vdfc.vlsv.VlsvDataType;
import io.vdfc.vlsv.VlsvFile;
import io.vdfc.vlsv.VlsvFormatException;
import io.vdfc.vlsv.VlsvWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
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
 * ({@link #fill}) after every rank has written its parts and before the file is synced and renamed into place. The
 * ranks checksum what they write as they write it (cell records carry the checksum taken when they were made:
 * {@link io.vdfc.compress.EncodedCell}), so the file is not read back. The array is optional: files written
 * before it existed read as before ({@link #find} is empty); readers need no format version bump.
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

    /**
     * Where a mismatch lies: in the checked bytes, or in the stored checksum itself (the checksum array's own bytes
     * carry no checksum), e.g. {@code in those bytes or in their stored CRC32C at byte 98949}.
     */
    public String where(VlsvArray sums) {
      long slot = sums.offset() + 4L * (array == null ? sums.index() : array.index());
      return "in those bytes or in their stored CRC32C at byte " + slot;
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

  /**
   * Fills the checksum array of a file just written through {@code w} ({@code w} finished; {@code ch} open on the file
   * for reading and writing). {@code known} holds the CRC32C of the arrays whose writers checksummed their bytes as they
   * wrote them, by writer entry index ({@link VlsvArray#index()} of {@link VlsvWriter#entries()}); any other array is
   * read back. The header and footer come from the writer. Nothing is forced to disk: the caller syncs the whole file
   * once, before making it visible ({@link VlsvRewrite} syncs it, then renames it).
   */
  static void fill(FileChannel ch, VlsvWriter w, Map<Integer, Integer> known) throws IOException {
    List<VlsvArray> order = w.footerEntries();
    VlsvArray sums = null;
    for (VlsvArray a : order) {
      if (a.tag().equals(TAG) && NAME.equals(a.name())) {
        sums = a;
      }
    }
    if (sums == null || sums.dataType() != VlsvDataType.UINT || sums.dataSize() != 4 || sums.vectorSize() != 1
        || sums.arraySize() != order.size()) {
      throw new IllegalStateException(w.path() + ": no " + TAG + " array of one uint32 per footer entry to fill");
    }
    ByteBuffer values = ByteBuffer.allocate(4 * order.size()).order(ByteOrder.LITTLE_ENDIAN);
    for (VlsvArray a : order) {
      Integer crc = a == sums ? null : known.get(a.index());
      if (a == sums) {
        CRC32C c = new CRC32C();
        w.updateWithHeaderAndFooter(c);
        crc = (int) c.getValue();
      } else if (crc == null) {
        crc = readBack(ch, a.offset(), a.byteSize());
      }
      values.putInt(crc);
    }
    values.flip();
    long pos = sums.offset();
    while (values.hasRemaining()) {
      pos += ch.write(values, pos);
    }
  }

  private static int readBack(FileChannel ch, long offset, long length) throws IOException {
    CRC32C c = new CRC32C();
    ByteBuffer buf = ByteBuffer.allocateDirect((int) Math.min(1 << 20, Math.max(1, length)));
    for (long done = 0; done < length; ) {
      buf.clear().limit((int) Math.min(buf.capacity(), length - done));
      while (buf.hasRemaining()) {
        if (ch.read(buf, offset + done + buf.position()) < 0) {
          throw new IOException("unexpected end of file at byte " + (offset + done + buf.position()));
        }
      }
      buf.flip();
      c.update(buf);
      done += buf.limit();
    }
    return (int) c.getValue();
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
    for (VlsvArray a : f.dataOrder()) {
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
            "checksum mismatch in %s (%d bytes): CRC32C %08x, stored %08x; the file is corrupt (%s)", e.what(),
            e.bytes(), e.actual(), e.stored(), e.where(find(f).orElseThrow())));
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
