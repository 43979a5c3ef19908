package io.vdfc.vlsv;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A VLSV file that does not follow the format: truncated, a bad header, an unparsable footer, an array outside the
 * data section. The message is one line naming the file and the byte offset where the problem was found, e.g.
 * {@code restart.vlsv: byte 740541: footer offset 9999999 is beyond the end of the file (749829 bytes); truncated?}.
 */
public final class VlsvFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final long offset;
  private final String reason;

  public VlsvFormatException(Path file, long offset, String reason) {
    this(file, offset, reason, null);
  }

  public VlsvFormatException(Path file, long offset, String reason, Throwable cause) {
    super(fileName(file) + ": byte " + offset + ": " + oneLine(reason), cause);
    this.file = file;
    this.offset = offset;
    this.reason = oneLine(reason);
  }

  /** The file, as given to {@link VlsvFile#open}. */
  public Path file() {
    return file;
  }

  /** Byte offset in the file where the problem was found. */
  public long offset() {
    return offset;
  }

  /** The message without the file and offset prefix. */
  public String reason() {
    return reason;
  }

  /** Throws a {@code VlsvFormatException} unless {@code condition} holds: the one-line guard before every read. */
  public static void verify(boolean condition, Path file, long offset, String reason) throws VlsvFormatException {
    if (!condition) {
      throw new VlsvFormatException(file, offset, reason);
    }
  }

  private static String fileName(Path file) {
    if (file == null) {
      return "<unnamed>";
    }
    Path name = file.getFileName();
    return name == null ? file.toString() : name.toString();
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replace('\n', ' ').replace('\r', ' ');
  }
}
