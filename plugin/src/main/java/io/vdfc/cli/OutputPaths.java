package io.vdfc.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The file a command writes: checks made before it reads or computes anything, and the write under a temporary name.
 */
final class OutputPaths {
  private OutputPaths() {
    throw new AssertionError("no instances");
  }

  /** Writes a file's whole content to the path it is given. */
  @FunctionalInterface
  interface Content {
    void writeTo(Path file) throws IOException;
  }

  /**
   * Creates {@code out}'s directory if missing, has {@code content} write {@code out.tmp} and renames it to {@code
   * out} when complete: a failed write leaves an earlier file at {@code out} as it was, and no temporary file.
   */
  static void writeThenRename(Path out, Content content) throws IOException {
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
    try {
      content.writeTo(tmp);
      Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Refuses an output named like a VLSV file where a PNG or HDF5 file is written (a restart's name, likely, which the
   * write would replace): {@code what} begins the message, {@code instead} says what name to give.
   */
  static void notNamedLikeVlsv(Path out, String what, String instead) {
    if (out.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".vlsv")) {
      throw new IllegalArgumentException(what + " looks like a VLSV file; give " + instead);
    }
  }

  /**
   * Checks {@code out} before the command reads or computes anything. Refuses it when it is one of the {@code inputs}
   * (under another name too: a link), which the write would replace ({@code vdfc plot r.vlsv --out r.vlsv} overwrote
   * the restart with a PNG), a directory, a device or a link ({@link io.vdfc.restart.VlsvRewrite#notAFile}); creates
   * its missing directory, so that a path that cannot be written fails now, not after the work.
   *
   * @throws IllegalArgumentException naming the paths and what is wrong
   * @throws IOException if the file system refuses its directory, as {@link io.vdfc.restart.VlsvRewrite#prepareTarget}
   *     reports it for the restart commands (exit 4)
   */
  static void checkOutput(Path out, Path... inputs) throws IOException {
    for (Path in : inputs) {
      if (io.vdfc.restart.VlsvRewrite.isInput(out, in)) {
        throw new IllegalArgumentException("output " + out + " is the input file " + in
            + " itself; give another output path (the input is left as it is)");
      }
    }
    String kind = io.vdfc.restart.VlsvRewrite.notAFile(out);
    if (kind != null) {
      throw new IllegalArgumentException(kind);
    }
    Path parent = out.toAbsolutePath().getParent();
    try {
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (IOException e) {
      throw new IOException("output " + out + " cannot be written: cannot create its directory: "
          + io.vdfc.vlsv.IoErrors.describe(e), e);
    }
  }
}
