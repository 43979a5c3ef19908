package io.vdfc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vdfc.testing.SharedData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Every command: --help with the exit codes, and --json where it prints figures. */
class CliConsistencyTest {
  @TempDir Path tmp;

  @Test
  void everyCommandHasHelpEndingWithTheExitCodes() {
    List<List<String>> paths = new ArrayList<>();
    collect(Vdfc.commandLine(), new ArrayList<>(), paths);
    assertTrue(paths.size() >= 12, "commands found: " + paths);
    for (List<String> p : paths) {
      List<String> args = new ArrayList<>(p);
      args.add("--help");
      Object[] r = CliTest.run(args.toArray(String[]::new));
      assertEquals(0, r[0], p + " --help");
      String help = (String) r[1];
      assertTrue(help.contains("Usage: vdfc") && help.contains("Exit codes: 0 ok"), p + " --help:\n" + help);
    }
  }

  private static void collect(CommandLine cl, List<String> path, List<List<String>> out) {
    for (var e : cl.getSubcommands().entrySet()) {
      if (e.getValue().getCommand() instanceof CommandLine.HelpCommand) {
        continue;
      }
      List<String> p = new ArrayList<>(path);
      p.add(e.getKey());
      out.add(p);
      collect(e.getValue(), p, out);
    }
  }

  @Test
  void commandsThatPrintFiguresTakeJson() throws Exception {
    Object[] r = CliTest.run("codecs", "--json");
    assertEquals(0, r[0]);
    assertTrue(((String) r[1]).contains("\"name\": \"zfpb\"") && ((String) r[1]).contains("\"lossless\": false"), (String) r[1]);
    Path in = SharedData.file("vlsvrs/fullf.0000001.vlsv");
    Path z = tmp.resolve("z.vlsv");
    assertEquals(0, CliTest.run("compress", in.toString(), z.toString(), "--codec", "zstd", "-q")[0]);
    r = CliTest.run("decompress", z.toString(), tmp.resolve("b.vlsv").toString(), "-q", "--json");
    assertEquals(0, r[0], (String) r[2]);
    assertTrue(((String) r[1]).contains("\"cells\": 2"), (String) r[1]);
    for (String cmd : new String[] {"inspect", "compress", "decompress", "verify", "bench", "export", "plot", "codecs"}) {
      r = CliTest.run(cmd, "--help");
      assertTrue(((String) r[1]).contains("--json"), cmd + " --help lists --json");
    }
  }
}
