package io.vdfc.testing;

import io.vdfc.cli.Vdfc;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

/** The vdfc command line run in this JVM, as the tests drive it. */
public final class InProcessVdfc {
  private InProcessVdfc() {
    throw new AssertionError("no instances");
  }

  /** Runs vdfc with {@code args}; returns {exit code, stdout, stderr}. */
  public static Object[] run(String... args) {
    PrintStream oldOut = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StringWriter err = new StringWriter();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      var cl = Vdfc.commandLine();
      cl.setErr(new PrintWriter(err, true));
      int code = cl.execute(args);
      return new Object[] {code, out.toString(StandardCharsets.UTF_8), err.toString()};
    } finally {
      System.setOut(oldOut);
    }
  }
}
