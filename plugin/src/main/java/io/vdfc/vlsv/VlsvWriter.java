package io.vdfc.vlsv;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Checksum;

/**
 * Writes a new little-endian VLSV file the way fmihpc/vlsv's writer does: a 16-byte header with a placeholder footer
 * offset (0, which readers reject, so an interrupted write is detected), arrays back to back from byte 16, and on
 * {@link #finish()} the footer in the writer's exact form (see {@link VlsvFooter}) and the real footer offset in bytes
 * 8..15.
 *
 * <p>Arrays are appended in call order. {@link #reserveArray} only allocates the range, to be filled by
 * {@link #writeAt} (one call per rank's part, from any thread: positional writes do not share a file position).
 * Footer names and values must stay inside the subset fmihpc/vlsv's muxml parser reads back: names of letters,
 * digits, {@code _ - .}; values without {@code " & < >} or control characters; every token under 1024 bytes.
 * Violations throw {@link IllegalArgumentException} before anything is written.
 */
public final class VlsvWriter implements Closeable {
  private final Path path;
  private final FileChannel channel;
  private final List<VlsvArray> entries = new ArrayList<>();
  private long position = VlsvFile.HEADER_BYTES;
  private boolean finished;
  private byte[] footer;
  private long footerOffset;

  private VlsvWriter(Path path, FileChannel channel) {
    this.path = path;
    this.channel = channel;
  }

  /** Creates (or truncates) {@code path} and writes the header with a placeholder footer offset. */
  public static VlsvWriter create(Path path) throws IOException {
    return open(path, StandardOpenOption.TRUNCATE_EXISTING);
  }

  /**
   * As {@link #create}, but an existing file is not truncated: for a file that other writers (ranks) may have created
   * and written into already, at ranges this writer lays out for them. {@link #finish} still cuts the file after the
   * footer.
   */
  public static VlsvWriter createShared(Path path) throws IOException {
    return open(path, StandardOpenOption.CREATE);
  }

  /**
   * A writer that only lays a file out: entries, offsets and the footer's place, as {@link #create} would give them for
   * the same calls, with no file; writing through it throws.
   */
  public static VlsvWriter layoutOnly(Path path) {
    return new VlsvWriter(path, null);
  }

  private static VlsvWriter open(Path path, StandardOpenOption truncateOrNot) throws IOException {
    FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, truncateOrNot, StandardOpenOption.WRITE,
        StandardOpenOption.READ);
    try {
      writeFully(ch, header(0L), 0); // placeholder footer offset, patched by finish()
      return new VlsvWriter(path, ch);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  public Path path() {
    return path;
  }

  /** Byte offset where the next array will start. */
  public synchronized long position() {
    return position;
  }

  /** The footer entries so far, in insertion order. */
  public synchronized List<VlsvArray> entries() {
    return List.copyOf(entries);
  }

  /**
   * The footer entries in the order the footer lists them (stably sorted by tag), which is the order, and {@link
   * VlsvFile#arrays()} index, a reader sees; each entry's own {@link VlsvArray#index()} stays its insertion index.
   */
  public synchronized List<VlsvArray> footerEntries() {
    return VlsvFooter.footerOrder(entries);
  }

  /**
   * Appends an array. {@code data} must hold exactly {@code arraySize*vectorSize*dataSize} bytes from its position
   * (consumed; byte order is the caller's: VLSV is little-endian). {@code attrs} are the caller's attributes
   * ({@code name}, {@code mesh}, ...); the four size/type attributes are added here.
   */
  public VlsvArray writeArray(String tag, Map<String, String> attrs, VlsvDataType type, int dataSize, int vectorSize,
      long arraySize, ByteBuffer data) throws IOException {
    long bytes = new VlsvArray(0, tag, attrs, 0, arraySize, vectorSize, type, dataSize).byteSize();
    if (data.remaining() != bytes) {
      throw new IllegalArgumentException(path.getFileName() + ": <" + tag + "> of " + arraySize + " x " + vectorSize
          + " x " + dataSize + " bytes needs " + bytes + " bytes of data, got " + data.remaining());
    }
    VlsvArray a = reserveArray(tag, attrs, type, dataSize, vectorSize, arraySize);
    writeAt(a.offset(), data);
    return a;
  }

  /** Allocates the byte range of an array and records its footer entry; fill it with {@link #writeAt}. */
  public VlsvArray reserveArray(String tag, Map<String, String> attrs, VlsvDataType type, int dataSize, int vectorSize,
      long arraySize) {
    if (dataSize != 1 && dataSize != 2 && dataSize != 4 && dataSize != 8) {
      throw new IllegalArgumentException("datasize " + dataSize + " is not 1, 2, 4 or 8");
    }
    if (vectorSize < 0 || arraySize < 0) {
      throw new IllegalArgumentException("negative size: arraysize " + arraySize + ", vectorsize " + vectorSize);
    }
    for (String k : new String[] {VlsvArray.ARRAYSIZE, VlsvArray.VECTORSIZE, VlsvArray.DATATYPE, VlsvArray.DATASIZE}) {
      if (attrs.containsKey(k)) {
        throw new IllegalArgumentException("attribute " + k + " is set by the writer, not by the caller");
      }
    }
    Map<String, String> all = new LinkedHashMap<>(attrs);
    all.put(VlsvArray.ARRAYSIZE, Long.toString(arraySize));
    all.put(VlsvArray.VECTORSIZE, Integer.toString(vectorSize));
    all.put(VlsvArray.DATATYPE, type.footerName());
    all.put(VlsvArray.DATASIZE, Integer.toString(dataSize));
    return append(tag, all, arraySize, vectorSize, type, dataSize);
  }

  /**
   * Copies an array of another file: its bytes, and its footer entry verbatim (tag, all attributes, values as
   * written); only the offset changes.
   */
  public VlsvArray copyArray(VlsvFile src, VlsvArray a) throws IOException {
    VlsvArray copy = append(a.tag(), a.attributes(), a.arraySize(), a.vectorSize(), a.dataType(), a.dataSize());
    src.copyBytes(a.offset(), a.byteSize(), file(), copy.offset());
    return copy;
  }

  /**
   * Copying arrays of another file that lie back to back there, in that order, first half: appends the same entries as
   * {@link #copyArray} would one by one, without their bytes, so that a writer can lay the whole file out before it
   * writes; {@link #writeCopies} fills them, with one read and one write per window of their bytes instead of two calls
   * per array.
   *
   * @return the new entries
   */
  public List<VlsvArray> reserveCopies(List<VlsvArray> run) {
    if (run.isEmpty()) {
      return List.of();
    }
    long end = run.get(0).offset();
    for (VlsvArray a : run) {
      if (a.offset() != end) {
        throw new IllegalArgumentException(a.describe() + " starts at byte " + a.offset() + ", not where the previous"
            + " array of the run ends (" + end + ")");
      }
      end += a.byteSize();
    }
    List<VlsvArray> copies = new ArrayList<>(run.size());
    for (VlsvArray a : run) {
      copies.add(append(a.tag(), a.attributes(), a.arraySize(), a.vectorSize(), a.dataType(), a.dataSize()));
    }
    return copies;
  }

  /**
   * The second half of copying a run ({@link #reserveCopies}): copies the bytes of {@code run} into the entries
   * {@link #reserveCopies} gave for it.
   *
   * @param sums when not null, {@code sums[i]} (if not null) is updated with the bytes of {@code run.get(i)}
   */
  public void writeCopies(VlsvFile src, List<VlsvArray> run, List<VlsvArray> copies, Checksum[] sums)
      throws IOException {
    if (run.isEmpty()) {
      return;
    }
    if (copies.size() != run.size()) {
      throw new IllegalArgumentException(copies.size() + " entries for a run of " + run.size() + " arrays");
    }
    checkOpen();
    long from = run.get(0).offset();
    VlsvArray last = run.get(run.size() - 1);
    long end = last.offset() + last.byteSize();
    long to = copies.get(0).offset();
    int window = (int) Math.min(VlsvFile.WINDOW, Math.max(1, end - from));
    ByteBuffer buf = DirectBuffers.take(window);
    int next = 0; // first array not yet wholly checksummed
    for (long done = 0; done < end - from; ) {
      buf.clear().limit((int) Math.min(window, end - from - done));
      src.readAt(buf, from + done);
      buf.flip();
      if (sums != null) {
        long windowStart = from + done, windowEnd = windowStart + buf.limit();
        for (int i = next; i < run.size() && run.get(i).offset() < windowEnd; i++) {
          VlsvArray a = run.get(i);
          long lo = Math.max(a.offset(), windowStart), hi = Math.min(a.offset() + a.byteSize(), windowEnd);
          if (sums[i] != null && hi > lo) {
            sums[i].update(buf.duplicate().position((int) (lo - windowStart)).limit((int) (hi - windowStart)));
          }
          if (a.offset() + a.byteSize() <= windowEnd) {
            next = i + 1;
          }
        }
      }
      writeFully(file(), buf, to + done);
      done += buf.limit();
    }
    DirectBuffers.give(buf);
  }

  /**
   * Updates {@code sum} with the 16 header bytes and then the footer, as written by {@link #finish}: the bytes {@code
   * VDFC_CHECKSUMS} covers with its own element.
   */
  public synchronized void updateWithHeaderAndFooter(Checksum sum) {
    if (!finished) {
      throw new IllegalStateException(path.getFileName() + ": the header and footer are final only after finish()");
    }
    sum.update(header(footerOffset));
    sum.update(footer, 0, footer.length);
  }

  /** Writes {@code data} (from its position to its limit) at an absolute offset inside an allocated array. */
  public void writeAt(long offset, ByteBuffer data) throws IOException {
    long end;
    synchronized (this) {
      checkOpen();
      end = position;
    }
    if (offset < VlsvFile.HEADER_BYTES || offset > end - data.remaining()) {
      throw new IllegalArgumentException(path.getFileName() + ": " + data.remaining() + " bytes at byte " + offset
          + " are outside the allocated data section [16, " + end + ")");
    }
    writeFully(file(), data, offset);
  }

  /**
   * Writes the footer in fmihpc/vlsv's exact form, patches the footer offset into bytes 8..15, forces the file to
   * disk and closes it.
   */
  public synchronized void finish() throws IOException {
    finishOpen();
    channel.force(true);
    channel.close();
  }

  /**
   * Writes the footer and the header's footer offset as {@link #finish()} does, without a sync, and leaves the file
   * open: the returned channel takes the caller's further positional writes into the reserved ranges (its parts,
   * checksums) and its sync, so that one open file serves the whole write (e.g. with other ranks' parts, forced once
   * before the file is made visible). {@link #close} closes it.
   */
  public synchronized FileChannel finishOpen() throws IOException {
    checkOpen();
    file();
    footer = VlsvFooter.format(entries).getBytes(StandardCharsets.UTF_8);
    footerOffset = position;
    writeFully(channel, ByteBuffer.wrap(footer), position);
    channel.truncate(position + footer.length);
    writeFully(channel, header(position), 0);
    finished = true;
    return channel;
  }

  /** Closes the file; without {@link #finish()} it keeps the placeholder offset, which readers reject. */
  @Override
  public void close() throws IOException {
    if (channel != null) {
      channel.close();
    }
  }

  /** The header: byte 0 = 0 (a little-endian writer), bytes 8..15 the footer offset. */
  private static ByteBuffer header(long footerOffset) {
    return ByteBuffer.allocate(VlsvFile.HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN).put(0, (byte) 0)
        .putLong(8, footerOffset);
  }

  private synchronized VlsvArray append(String tag, Map<String, String> attrs, long arraySize, int vectorSize,
      VlsvDataType type, int dataSize) {
    checkOpen();
    String bad = VlsvFooter.checkEntry(tag, attrs);
    if (bad != null) {
      throw new IllegalArgumentException(bad);
    }
    VlsvArray a = new VlsvArray(entries.size(), tag, attrs, position, arraySize, vectorSize, type, dataSize);
    long bytes = a.byteSize();
    if (bytes == Long.MAX_VALUE) {
      throw new IllegalArgumentException(a.describe() + ": size overflows");
    }
    entries.add(a);
    position += bytes;
    return a;
  }

  private FileChannel file() {
    if (channel == null) {
      throw new IllegalStateException(path.getFileName() + ": a layout-only writer writes nothing");
    }
    return channel;
  }

  private void checkOpen() {
    if (finished || channel != null && !channel.isOpen()) {
      throw new IllegalStateException(path.getFileName() + ": writer already finished or closed");
    }
  }

  static void writeFully(FileChannel ch, ByteBuffer buf, long offset) throws IOException {
    int end = buf.limit();
    long pos = offset;
    while (buf.position() < end) {
      buf.limit(Math.min(end, buf.position() + VlsvFile.WINDOW));
      pos += ch.write(buf, pos);
    }
    buf.limit(end);
  }
}
