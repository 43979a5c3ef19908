package io.vdfc.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Every {@code .vlsv} file under the shared data root, sorted by path. */
public final class VlsvSamples {
  private VlsvSamples() {
    throw new AssertionError("no instances");
  }

  public static List<Path> all() {
    try (Stream<Path> s = Files.walk(SharedData.root())) {
      List<Path> files = s.filter(p -> p.toString().endsWith(".vlsv") && Files.isRegularFile(p)).sorted()
          .collect(Collectors.toList());
      if (files.size() < 9) {
        throw new AssertionError("expected the 9 sample .vlsv files under " + SharedData.root() + ", found " + files);
      }
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Path relative to the data root, for test names. */
  public static String name(Path p) {
    return SharedData.root().relativize(p).toString();
  }
}
