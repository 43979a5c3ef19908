package io.vdfc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * A command that runs out of memory ends with a message saying what to change and exit 4, not the JVM's stack trace
 * and exit 1 (a failed check). A QA run that compressed 6 million cells under the default -Xmx4g got the latter, after
 * two minutes of encoding.
 */
class OutOfMemoryTest {
  @CommandLine.Command(name = "boom")
  static final class Boom implements Callable<Integer> {
    @Override
    public Integer call() {
      throw new OutOfMemoryError("Java heap space");
    }
  }

  @Test
  void outOfMemoryIsAnIoErrorNamingTheHeapAndTheSetting() {
    CommandLine cl = Vdfc.commandLine();
    cl.addSubcommand("boom", new Boom());
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err, true));
    assertEquals(Vdfc.EXIT_IO, cl.execute("boom"));
    String message = err.toString();
    assertTrue(message.startsWith("vdfc boom: out of memory (Java heap space) with a heap of at most ")
        && message.contains("VDFC_JAVA_OPTS=-Xmx") && message.contains("more ranks"), message);
    assertEquals(1, message.strip().lines().count(), "one line, no stack trace: " + message);
  }
}
