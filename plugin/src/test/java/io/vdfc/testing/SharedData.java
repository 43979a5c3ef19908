package io.vdfc.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The real Vlasiator files in {@code ../shared/data} beside the checkout. The build passes the location as the system
 * property {@code vdfc.shared}; running a test from an IDE falls back to walking up from the working directory.
 */
public final class SharedData {
  private SharedData() {
    throw new AssertionError("no instances");
  }

  public static Path root() {
    String prop = System.getProperty("vdfc.shared");
    if (prop != null && Files.isDirectory(Paths.get(prop, "data"))) {
      return Paths.get(prop, "data").toAbsolutePath().normalize();
    }
    Path dir = Paths.get("").toAbsolutePath();
    for (int up = 0; up < 4 && dir != null; up++, dir = dir.getParent()) {
      Path candidate = dir.resolve("../shared/data").normalize();
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("../shared/data not found beside the checkout (set -Dvdfc.shared=PATH)");
  }

  /** A file under the data root, e.g. {@code file("ipshock/restart.0000100.vlsv")}; fails the test if missing. */
  public static Path file(String relative) {
    Path p = root().resolve(relative);
    if (!Files.isRegularFile(p)) {
      throw new AssertionError("missing real data file " + p + ": CI and developers keep shared/ beside the checkout");
    }
    return p;
  }

  public static Path realRestart() {
    return file("ipshock/restart.0000100.vlsv");
  }

  public static Path realBulk() {
    return file("ipshock/bulk.0000004.vlsv");
  }
}
