package io.vdfc.codec;

/** A record or payload that cannot be decoded: what was read, where, and what was expected. */
public class CorruptRecordException extends Exception {
  public CorruptRecordException(String message) {
    super(message);
  }

  public CorruptRecordException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Throws unless {@code condition} holds: the one-line guard in front of every decoder read. */
  public static void verify(boolean condition, String format, Object... args) throws CorruptRecordException {
    if (!condition) {
      throw new CorruptRecordException(String.format(format, args));
    }
  }
}
