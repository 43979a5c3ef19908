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

  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

  /** Writes a file's whole content to the path it is given. */
  @FunctionalInterface
  interface Content {
    void writeTo(Path file) throws IOException;
  }

  /**
   * Creates {@code out}'s directory if missing, has {@code content} write a temporary file of its own beside it ({@code
   * <out>.<random>.tmp}: two runs writing the same output never write into one file) and renames it to {@code out}
   * when complete: a failed write leaves an earlier file at {@code out} as it was, and no temporary file.
   */
  static void writeThenRename(Path out, Content content) throws IOException {
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    // not Files.createTempFile: its file is private to the user (rw-------), and the output would stay so
    Path tmp = out.resolveSibling(out.getFileName() + "." + Long.toHexString(RANDOM.nextLong()) + ".tmp");
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
   * Checks {@code out} before the command reads or computes anything ({@link
   * io.vdfc.restart.VlsvRewrite#outputProblem}: not one of the {@code inputs}, not a directory, a device or a link; its
   * missing directory is created).
   *
   * @throws IllegalArgumentException naming the paths and what is wrong
   * @throws IOException if the file system refuses its directory (exit 4), as for the restart commands
   */
  static void checkOutput(Path out, Path... inputs) throws IOException {
    Exception problem = io.vdfc.restart.VlsvRewrite.outputProblem(out, inputs);
    if (problem instanceof IOException io) {
      throw io;
    }
    if (problem != null) {
      throw (RuntimeException) problem;
    }
  }
}
