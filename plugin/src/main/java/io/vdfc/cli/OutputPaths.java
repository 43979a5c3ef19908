package io.vdfc.cli;

import java.io.IOException;
import java.nio.file.Path;

/** Checks on the file a command writes, made before it reads or computes anything. */
final class OutputPaths {
  private OutputPaths() {
    throw new AssertionError("no instances");
  }

  /**
   * Refuses {@code out} when it is one of the {@code inputs} (under another name too: a link), which the write would
   * replace: {@code vdfc plot r.vlsv --out r.vlsv} overwrote the restart with a PNG.
   *
   * @throws IllegalArgumentException naming both paths
   */
  static void notAnInput(Path out, Path... inputs) throws IOException {
    for (Path in : inputs) {
      if (io.vdfc.restart.VlsvRewrite.isInput(out, in)) {
        throw new IllegalArgumentException("output " + out + " is the input file " + in
            + " itself; give another output path (the input is left as it is)");
      }
    }
  }
}
