package io.vdfc.restart;

import io.vdfc.vdf.VdfSource;
import io.vdfc.vdf.VlsvVdfSource;
import io.vdfc.vlsv.VlsvFile;
import java.io.IOException;
import java.nio.file.Path;

/** Opens any file vdfc reads as a {@link VdfSource}: a vdfc-compressed VLSV file or a plain Vlasiator one. */
public final class VdfSources {
  private VdfSources() {
    throw new AssertionError("no instances");
  }

  public static VdfSource open(Path path) throws IOException {
    boolean compressed;
    try (VlsvFile f = VlsvFile.open(path)) {
      compressed = CompressedFile.isCompressed(f);
    }
    return compressed ? CompressedFile.open(path) : VlsvVdfSource.open(path);
  }
}
