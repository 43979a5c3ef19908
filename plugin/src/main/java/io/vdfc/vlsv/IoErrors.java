package io.vdfc.vlsv;

import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * One line saying what an I/O error was: the JDK's file-system exceptions carry only the path as their message ({@code
 * /proc/x.vdfc-partial}), their kind is in their class.
 */
public final class IoErrors {
  private IoErrors() {
    throw new AssertionError("no instances");
  }

  /** {@code no such file: PATH}, {@code permission denied: PATH}, ..., else the exception's own message. */
  public static String describe(Throwable e) {
    if (e instanceof FileSystemException f && f.getReason() == null) {
      String what = f.getFile() + (f.getOtherFile() == null ? "" : " -> " + f.getOtherFile());
      if (e instanceof NoSuchFileException) {
        return "no such file: " + what;
      }
      if (e instanceof AccessDeniedException) {
        return "permission denied: " + what;
      }
      if (e instanceof DirectoryNotEmptyException) {
        return "a directory that is not empty is in the way: " + what;
      }
      if (e instanceof FileAlreadyExistsException) {
        return "a file of that name exists: " + what;
      }
      if (e instanceof NotDirectoryException) {
        return "not a directory: " + what;
      }
      return what + ": " + e.getClass().getSimpleName();
    }
    String m = e.getMessage();
    return m == null ? e.toString() : m;
  }
}
