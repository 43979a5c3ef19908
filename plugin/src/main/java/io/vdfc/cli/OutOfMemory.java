package io.vdfc.cli;

import java.io.IOException;
import java.util.Locale;

/**
 * A command ran out of Java heap or direct memory: reported like an I/O error (exit 4), with what to change, instead of
 * the JVM's stack trace and exit 1, which the exit codes reserve for a failed check.
 */
final class OutOfMemory extends IOException {
  private static final long serialVersionUID = 1L;

  OutOfMemory(OutOfMemoryError e, long maxHeapBytes) {
    super(String.format(Locale.ROOT, "out of memory (%s) with a heap of at most %.1f GiB; give the JVM more with"
        + " VDFC_JAVA_OPTS=-Xmx<size> (bin/vdfc and vdfc-mpirun pass it on; default -Xmx4g), or spread the cells over"
        + " more ranks", e.getMessage(), maxHeapBytes / (double) (1L << 30)), e);
  }
}
