package io.vdfc.adapter;

import io.vdfc.codec.CorruptRecordException;
import io.vdfc.config.ConfigException;
import io.vdfc.parallel.Collectives.CollectiveFailure;
import io.vdfc.vlsv.VlsvFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The status codes of the C API ({@code include/vdfc.h}, {@code VDFC_*}): 0 is success, every failure is a positive
 * code plus a message ({@code vdfc_last_error}). The values are part of the stable C ABI: never renumber them.
 */
public final class Status {
  public static final int OK = 0;
  /** A null pointer, negative count, unknown population or similar caller mistake. */
  public static final int ARGUMENT = 1;
  /** The configuration file is missing, unreadable or invalid. */
  public static final int CONFIG = 2;
  /** Reading or writing a file failed. */
  public static final int IO = 3;
  /** A compressed record or restart file is damaged. */
  public static final int CORRUPT = 4;
  /** A caller-provided output buffer is too small. */
  public static final int CAPACITY = 5;
  /** An unknown or already released session or cell handle. */
  public static final int HANDLE = 6;
  /** A collective over the host's communicator failed, or another rank failed. */
  public static final int COLLECTIVE = 7;
  /** The JVM ran out of heap: raise {@code -Xmx} (vdfc::Jvm's max heap). */
  public static final int MEMORY = 8;
  /** Anything else: a bug in vdfc; the message carries the Java exception. */
  public static final int INTERNAL = 9;
  /** No JVM: {@code JavaCPP_init} was not called or failed (reported by the C side only). */
  public static final int NO_JVM = 10;

  private Status() {
    throw new AssertionError("no instances");
  }

  /** The status code a Java failure is reported as. */
  public static int of(Throwable failure) {
    if (failure instanceof AdapterException e) {
      return e.status();
    }
    if (failure instanceof ConfigException) {
      return CONFIG;
    }
    if (failure instanceof CorruptRecordException || failure instanceof VlsvFormatException) {
      return CORRUPT;
    }
    if (failure instanceof CollectiveFailure) {
      return COLLECTIVE;
    }
    if (failure instanceof IOException || failure instanceof UncheckedIOException) {
      return IO;
    }
    if (failure instanceof OutOfMemoryError) {
      return MEMORY;
    }
    if (failure instanceof IllegalArgumentException || failure instanceof NullPointerException) {
      return ARGUMENT;
    }
    return INTERNAL;
  }

  /** The symbolic name of a code, as in vdfc.h without the {@code VDFC_} prefix. */
  public static String name(int status) {
    return switch (status) {
      case OK -> "OK";
      case ARGUMENT -> "E_ARGUMENT";
      case CONFIG -> "E_CONFIG";
      case IO -> "E_IO";
      case CORRUPT -> "E_CORRUPT";
      case CAPACITY -> "E_CAPACITY";
      case HANDLE -> "E_HANDLE";
      case COLLECTIVE -> "E_COLLECTIVE";
      case MEMORY -> "E_MEMORY";
      case INTERNAL -> "E_INTERNAL";
      case NO_JVM -> "E_NO_JVM";
      default -> "E_UNKNOWN(" + status + ")";
    };
  }
}
