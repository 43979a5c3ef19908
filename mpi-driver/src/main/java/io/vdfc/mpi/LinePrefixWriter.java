package io.vdfc.mpi;

import java.io.IOException;
import java.io.Writer;
import java.util.Objects;

/** Writes {@code prefix} at the start of every line it forwards (how a rank's error lines get their {@code rank N: }). */
final class LinePrefixWriter extends Writer {
  private final String prefix;
  private final Writer out;
  private boolean atLineStart = true;

  LinePrefixWriter(String prefix, Writer out) {
    this.prefix = Objects.requireNonNull(prefix, "prefix");
    this.out = Objects.requireNonNull(out, "out");
  }

  @Override
  public void write(char[] buf, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, buf.length);
    int start = off;
    int end = off + len;
    for (int i = off; i < end; i++) {
      if (atLineStart) {
        out.write(buf, start, i - start);
        out.write(prefix);
        start = i;
        atLineStart = false;
      }
      if (buf[i] == '\n') {
        atLineStart = true;
      }
    }
    out.write(buf, start, end - start);
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
