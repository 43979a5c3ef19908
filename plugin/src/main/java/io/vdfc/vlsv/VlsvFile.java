package io.vdfc.vlsv;

import static io.vdfc.vlsv.VlsvFormatException.verify;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A VLSV file open for reading: the header and footer are parsed and checked on {@link #open}, array data is read on
 * demand with positional reads (safe to call from several threads).
 *
 * <p>Layout (fmihpc/vlsv): bytes 0..7 hold the writer's endianness in byte 0 (0 = little, the only one accepted here);
 * bytes 8..15 the u64 byte offset of the XML footer; arrays follow from byte 16, back to back and unaligned; the footer
 * runs from its offset to the end of the file. Offsets and sizes are 64-bit; a single array may exceed 2 GiB, so reads
 * go through {@code FileChannel} in windows and large arrays are read by element range.
 */
public final class VlsvFile implements Closeable {
  static final int HEADER_BYTES = 16;
  /** Largest footer accepted (a footer has a few hundred bytes per array). */
  private static final long MAX_FOOTER_BYTES = 256L << 20;
  /** Positional reads and writes go through windows of this size (the JDK copies heap buffers through direct ones). */
  static final int WINDOW = 8 << 20;
  /** Bytes of float32 values read at a time by {@link #readFloats}: well inside a core's L2 cache. */
  static final int FLOAT_WINDOW = 64 << 10;

  private final Path path;
  private final FileChannel channel;
  private final long size;
  private final long footerOffset;
  private final List<VlsvArray> arrays;
  /** {@link #dataOrder()}, made on first use. */
  private volatile List<VlsvArray> dataOrder;

  private VlsvFile(Path path, FileChannel channel, long size, long footerOffset, List<VlsvArray> arrays) {
    this.path = path;
    this.channel = channel;
    this.size = size;
    this.footerOffset = footerOffset;
    this.arrays = List.copyOf(arrays);
  }

  /** Opens and checks a file: header, footer offset, footer XML, and that every array lies inside the data section. */
  public static VlsvFile open(Path path) throws IOException {
    if (Files.isDirectory(path)) { // Linux opens a directory for reading; its first read fails naming no path
      throw new java.nio.file.FileSystemException(path.toString(), null, "is a directory, not a VLSV file");
    }
    FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
    try {
      long size = ch.size();
      verify(size >= HEADER_BYTES, path, 0, "file is " + size + " bytes, shorter than the 16-byte VLSV header");
      ByteBuffer head = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
      readFully(ch, path, head, 0);
      int endian = head.get(0) & 0xff;
      verify(endian != 1, path, 0,
          "byte 0 is 1: written by a big-endian writer; only little-endian VLSV files are supported");
      verify(endian == 0, path, 0, "byte 0 is " + endian + ", not a VLSV endianness flag (0 or 1); not a VLSV file?");
      long footer = head.getLong(8);
      verify(footer < 0 || footer >= HEADER_BYTES, path, 8,
          "footer offset " + footer + " is inside the 16-byte header; the writer did not finish?");
      verify(footer >= 0 && footer <= size, path, 8, "footer offset "
          + Long.toUnsignedString(footer) + " is beyond the end of the file (" + size + " bytes); truncated?");
      verify(size - footer <= MAX_FOOTER_BYTES, path, footer, "footer of " + (size - footer) + " bytes is implausibly large");
      ByteBuffer xml = ByteBuffer.allocate((int) (size - footer));
      readFully(ch, path, xml, footer);
      List<VlsvArray> arrays = VlsvFooter.parse(path, footer, xml.array(), footer);
      return new VlsvFile(path, ch, size, footer, arrays);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  public Path path() {
    return path;
  }

  /** File size in bytes. */
  public long size() {
    return size;
  }

  /** Byte offset of the XML footer (bytes 8..15 of the header), also the end of the data section. */
  public long footerOffset() {
    return footerOffset;
  }

  /** All arrays in footer order. */
  public List<VlsvArray> arrays() {
    return arrays;
  }

  /**
   * All arrays in the order their bytes lie in the file ({@link VlsvCopy#dataOrder}), sorted once per file: a writer
   * that copies this file asks for it more than once.
   */
  public List<VlsvArray> dataOrder() {
    List<VlsvArray> order = dataOrder;
    if (order == null) {
      order = List.copyOf(VlsvCopy.dataOrder(arrays));
      dataOrder = order;
    }
    return order;
  }

  /** The raw footer text (for checking the writer's canonical form). */
  public String footerText() throws IOException {
    ByteBuffer xml = ByteBuffer.allocate((int) (size - footerOffset));
    readFully(channel, path, xml, footerOffset);
    return new String(xml.array(), StandardCharsets.UTF_8);
  }

  /** The first array, in footer order, with this tag whose attributes include all given pairs (muxml's rule). */
  public Optional<VlsvArray> find(String tag, Map<String, String> attrs) {
    for (VlsvArray a : arrays) {
      if (a.matches(tag, attrs)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  /** Like {@link #find(String, Map)} with attribute pairs given inline: {@code find("VARIABLE", "name", "CellID")}. */
  public Optional<VlsvArray> find(String tag, String... keyValues) {
    return find(tag, pairs(keyValues));
  }

  /** Every array with this tag whose attributes include all given pairs, in footer order. */
  public List<VlsvArray> findAll(String tag, Map<String, String> attrs) {
    List<VlsvArray> out = new ArrayList<>();
    for (VlsvArray a : arrays) {
      if (a.matches(tag, attrs)) {
        out.add(a);
      }
    }
    return out;
  }

  /** Like {@link #find(String, Map)} but fails with the file's name and what was looked for. */
  public VlsvArray require(String tag, Map<String, String> attrs) throws VlsvFormatException {
    return find(tag, attrs).orElseThrow(() ->
        new VlsvFormatException(path, footerOffset, "footer has no <" + tag + "> with " + attrs));
  }

  /** The whole array, little-endian, position 0. Arrays over 2 GiB must be read by range. */
  public ByteBuffer read(VlsvArray a) throws IOException {
    if (a.byteSize() > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException(
          path.getFileName() + ": " + a.describe() + " has " + a.byteSize() + " bytes; read it by element range");
    }
    return read(a, 0, a.byteSize() == 0 ? 0 : (int) a.arraySize());
  }

  /** Elements {@code [firstElement, firstElement + elementCount)} of an array, little-endian, position 0. */
  public ByteBuffer read(VlsvArray a, long firstElement, int elementCount) throws IOException {
    checkRange(a, firstElement, elementCount);
    long bytes = (long) elementCount * a.elementBytes();
    if (bytes > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException(path.getFileName() + ": " + elementCount + " elements of " + a.describe()
          + " are " + bytes + " bytes, more than one buffer holds");
    }
    ByteBuffer buf = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
    readFully(channel, path, buf, a.offset() + firstElement * a.elementBytes());
    buf.clear();
    return buf;
  }

  /** All components of an integer array as longs: int sign-extended, uint zero-extended (uint64 keeps its bits). */
  public long[] readLongs(VlsvArray a) throws IOException {
    return readLongs(a, 0, elementsFitting(a));
  }

  /** Components of elements {@code [firstElement, firstElement + elementCount)} of an integer array as longs. */
  public long[] readLongs(VlsvArray a, long firstElement, int elementCount) throws IOException {
    if (a.dataType() != VlsvDataType.INT && a.dataType() != VlsvDataType.UINT) {
      throw new VlsvFormatException(path, a.offset(), a.describe() + " is " + a.dataType().footerName()
          + ", expected an integer array");
    }
    ByteBuffer b = read(a, firstElement, elementCount);
    long[] out = new long[checkedCount(a, elementCount)];
    boolean unsigned = a.dataType() == VlsvDataType.UINT;
    for (int i = 0; i < out.length; i++) {
      out[i] = switch (a.dataSize()) {
        case 1 -> unsigned ? Byte.toUnsignedLong(b.get(i)) : b.get(i);
        case 2 -> unsigned ? Short.toUnsignedLong(b.getShort(2 * i)) : b.getShort(2 * i);
        case 4 -> unsigned ? Integer.toUnsignedLong(b.getInt(4 * i)) : b.getInt(4 * i);
        default -> b.getLong(8 * i);
      };
    }
    return out;
  }

  /** All components as doubles: float32/64 exactly, integers converted (uint64 as unsigned). */
  public double[] readDoubles(VlsvArray a) throws IOException {
    return readDoubles(a, 0, elementsFitting(a));
  }

  /** Components of an element range as doubles. */
  public double[] readDoubles(VlsvArray a, long firstElement, int elementCount) throws IOException {
    if (a.dataType() == VlsvDataType.FLOAT) {
      if (a.dataSize() != 4 && a.dataSize() != 8) {
        throw new VlsvFormatException(path, a.offset(), a.describe() + " is float of " + a.dataSize()
            + " bytes, expected 4 or 8");
      }
      ByteBuffer b = read(a, firstElement, elementCount);
      double[] out = new double[checkedCount(a, elementCount)];
      for (int i = 0; i < out.length; i++) {
        out[i] = a.dataSize() == 4 ? b.getFloat(4 * i) : b.getDouble(8 * i);
      }
      return out;
    }
    long[] l = readLongs(a, firstElement, elementCount);
    double[] out = new double[l.length];
    boolean u64 = a.dataType() == VlsvDataType.UINT && a.dataSize() == 8;
    for (int i = 0; i < l.length; i++) {
      out[i] = u64 && l[i] < 0 ? Double.parseDouble(Long.toUnsignedString(l[i])) : l[i];
    }
    return out;
  }

  /** All components as floats (float64 and integers are rounded to float). */
  public float[] readFloats(VlsvArray a) throws IOException {
    return readFloats(a, 0, elementsFitting(a));
  }

  /** Components of an element range as floats: float32 exactly, anything else rounded to the nearest float. */
  public float[] readFloats(VlsvArray a, long firstElement, int elementCount) throws IOException {
    if (a.dataType() == VlsvDataType.FLOAT && a.dataSize() == 4) {
      checkRange(a, firstElement, elementCount);
      float[] out = new float[checkedCount(a, elementCount)];
      // Through a small window rather than one buffer of the whole range: the window stays in the core's cache, and
      // only the array is fresh memory. Reading the real restart's cells (36.2 MB of values) allocated 75.9 MB with
      // one buffer, 43.7 MB with the window (block IDs included).
      inWindows(a.offset() + firstElement * a.elementBytes(), 4L * out.length, FLOAT_WINDOW,
          (w, done) -> w.asFloatBuffer().get(out, (int) (done / 4), w.limit() / 4)); // FLOAT_WINDOW: whole floats
      return out;
    }
    double[] d = readDoubles(a, firstElement, elementCount);
    float[] out = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      out[i] = (float) d[i];
    }
    return out;
  }

  /** A (uint,1) or (int,1) array as text (CONFIG, VERSION), decoded as UTF-8. */
  public String readText(VlsvArray a) throws IOException {
    if (a.dataSize() != 1) {
      throw new VlsvFormatException(path, a.offset(), a.describe() + " has datasize " + a.dataSize()
          + ", expected 1 for text");
    }
    ByteBuffer b = read(a);
    return new String(b.array(), 0, b.remaining(), StandardCharsets.UTF_8);
  }

  /**
   * A scalar PARAMETER ({@code <PARAMETER name="time">}; the 2013 form {@code <PARAMETERS name="t">} too), converted
   * to double; empty if the file has no such parameter or it has no data.
   */
  public OptionalDouble parameter(String name) throws IOException {
    Optional<VlsvArray> a = find("PARAMETER", Map.of("name", name));
    if (a.isEmpty()) {
      a = find("PARAMETERS", Map.of("name", name));
    }
    if (a.isEmpty() || a.get().componentCount() < 1) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(readDoubles(a.get(), 0, 1)[0]);
  }

  /** Reads the CONFIG text ({@code <CONFIG name="config_file">}), if the file has one. */
  public Optional<String> configText() throws IOException {
    Optional<VlsvArray> a = find("CONFIG", Map.of());
    return a.isEmpty() ? Optional.empty() : Optional.of(readText(a.get()));
  }

  /**
   * Feeds {@code length} raw bytes from {@code offset} into {@code sum}, in windows of bounded size (the range is checked
   * against the file first, so a bad offset read from the file fails with its name instead of reading past the end).
   */
  public void update(java.util.zip.Checksum sum, long offset, long length) throws IOException {
    if (offset < 0 || length < 0 || offset > size - length) {
      throw pastTheEnd(length, offset);
    }
    inWindows(offset, length, WINDOW, (w, done) -> sum.update(w));
  }

  /**
   * The error for a read past the end. The checks before every read build their message only when they fail: a message
   * built for every read cost more than many a read while the JIT had not compiled the caller.
   */
  private VlsvFormatException pastTheEnd(long length, long offset) {
    return new VlsvFormatException(path, offset, length + " bytes from byte " + offset + " run past the end of the "
        + size + "-byte file");
  }

  /** Fills {@code buf} (position to limit) with the file's bytes from {@code offset}. */
  void readAt(ByteBuffer buf, long offset) throws IOException {
    if (offset < 0 || offset > size - buf.remaining()) {
      throw pastTheEnd(buf.remaining(), offset);
    }
    readFully(channel, path, buf, offset);
  }

  /** Copies {@code byteCount} raw bytes from {@code srcOffset} into {@code dst} at {@code dstOffset}, in windows. */
  void copyBytes(long srcOffset, long byteCount, FileChannel dst, long dstOffset) throws IOException {
    inWindows(srcOffset, byteCount, WINDOW, (w, done) -> VlsvWriter.writeFully(dst, w, dstOffset + done));
  }

  /** What a windowed read does with each window: its bytes from 0 to its limit, which it may consume but not move. */
  private interface WindowUse {
    void accept(ByteBuffer window, long bytesBefore) throws IOException;
  }

  /**
   * Reads {@code length} bytes from {@code offset} through one little-endian buffer of at most {@code maxWindow} bytes,
   * handing each window to {@code use}.
   */
  private void inWindows(long offset, long length, int maxWindow, WindowUse use) throws IOException {
    ByteBuffer w = ByteBuffer.allocate((int) Math.min(maxWindow, Math.max(1, length))).order(ByteOrder.LITTLE_ENDIAN);
    for (long done = 0; done < length; done += w.limit()) {
      w.clear().limit((int) Math.min(w.capacity(), length - done));
      readFully(channel, path, w, offset + done);
      w.flip();
      use.accept(w, done);
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  @Override
  public String toString() {
    return "VlsvFile[" + path + ", " + arrays.size() + " arrays, footer at " + footerOffset + "]";
  }

  private void checkRange(VlsvArray a, long firstElement, int elementCount) throws VlsvFormatException {
    // identity first: a record's equals runs through method handles, slow while the JIT has not compiled it
    if (a.index() < 0 || a.index() >= arrays.size() || arrays.get(a.index()) != a && !arrays.get(a.index()).equals(a)) {
      throw new VlsvFormatException(path, a.offset(), a.describe() + " is not an array of this file");
    }
    if (firstElement < 0 || elementCount < 0 || firstElement > a.arraySize() - elementCount) {
      throw new IndexOutOfBoundsException(path.getFileName() + ": elements [" + firstElement + ", "
          + (firstElement + elementCount) + ") of " + a.describe() + " with " + a.arraySize() + " elements");
    }
  }

  private int elementsFitting(VlsvArray a) {
    if (a.vectorSize() == 0) {
      return 0; // no components, whatever arraysize says
    }
    if (a.componentCount() > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException(path.getFileName() + ": " + a.describe() + " has " + a.componentCount()
          + " components, more than one Java array holds; read it by element range");
    }
    return (int) a.arraySize();
  }

  private int checkedCount(VlsvArray a, int elementCount) {
    long n = (long) elementCount * a.vectorSize();
    if (n > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException(path.getFileName() + ": " + n + " components of " + a.describe()
          + " are more than one Java array holds");
    }
    return (int) n;
  }

  /** Fills {@code buf} from its position to its limit, reading from {@code offset}, in windows. */
  static void readFully(FileChannel ch, Path path, ByteBuffer buf, long offset) throws IOException {
    int start = buf.position();
    int end = buf.limit();
    long pos = offset;
    while (buf.position() < end) {
      buf.limit(Math.min(end, buf.position() + WINDOW));
      int n = ch.read(buf, pos);
      if (n < 0) {
        throw new VlsvFormatException(path, pos, "unexpected end of file while reading " + (end - start)
            + " bytes from byte " + offset);
      }
      pos += n;
    }
    buf.limit(end);
  }

  private static Map<String, String> pairs(String... keyValues) {
    if (keyValues.length % 2 != 0) {
      throw new IllegalArgumentException("attribute pairs must come as key, value, ...");
    }
    var m = new java.util.LinkedHashMap<String, String>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put(keyValues[i], keyValues[i + 1]);
    }
    return m;
  }
}
