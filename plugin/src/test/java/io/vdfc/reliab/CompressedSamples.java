package io.vdfc.reliab;

import io.vdfc.testing.SharedData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Real files compressed with zfpb once per test JVM (read-only: tests copy them before corrupting). */
final class CompressedSamples {
  private static Path dir;
  private static Path restart;
  private static Path fullf;

  private CompressedSamples() {}

  /** The real restart (ipshock/restart.0000100.vlsv) compressed with zfpb, bound 1e-16, moments conserved. */
  static synchronized Path restartZfpb() {
    if (restart == null) {
      restart = compress(SharedData.realRestart(), "restart.zfpb.vlsv");
    }
    return restart;
  }

  /** vlsvrs/fullf.0000001.vlsv compressed likewise. */
  static synchronized Path fullfZfpb() {
    if (fullf == null) {
      fullf = compress(SharedData.file("vlsvrs/fullf.0000001.vlsv"), "fullf.zfpb.vlsv");
    }
    return fullf;
  }

  private static Path compress(Path in, String name) {
    try {
      if (dir == null) {
        dir = Files.createTempDirectory("vdfc-reliab");
        dir.toFile().deleteOnExit();
      }
      Path out = dir.resolve(name);
      Corruptions.compressZfpb(in, out);
      out.toFile().deleteOnExit();
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
