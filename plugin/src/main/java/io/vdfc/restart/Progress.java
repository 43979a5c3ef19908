package io.vdfc.restart;

import java.io.PrintStream;

/**
 * A progress line on standard error for long work: redrawn in place on a terminal, every 10% otherwise (logs, CI).
 * Silent when {@code quiet}.
 */
public final class Progress {
  private final String what;
  private long total;
  private final PrintStream out;
  private final boolean tty;
  private final boolean quiet;
  private long done;
  private int lastDecile = -1;
  private final long start = System.nanoTime();

  public Progress(String what, long total, boolean quiet) {
    this.what = what;
    this.total = Math.max(1, total);
    this.out = System.err;
    this.tty = System.console() != null;
    this.quiet = quiet;
  }

  /** Changes the total by {@code n} (the work turned out larger, or smaller when negative; at least 1 stays). */
  public synchronized void grow(long n) {
    total = Math.max(1, total + n);
  }

  public synchronized void advance(long n) {
    done += n;
    if (quiet) {
      return;
    }
    int pct = (int) (100 * done / total);
    if (tty) {
      out.printf("\r%s: %d/%d (%d%%)", what, done, total, pct);
      if (done >= total) {
        out.printf(" %.1f s%n", (System.nanoTime() - start) / 1e9);
      }
    } else if (pct / 10 != lastDecile) {
      lastDecile = pct / 10;
      out.printf("%s: %d/%d (%d%%)%n", what, done, total, pct);
    }
  }
}
