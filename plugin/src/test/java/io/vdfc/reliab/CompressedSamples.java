package io.vdfc.reliab;

import io.vdfc.parallel.SingleRank;
import io.vdfc.restart.CompressedVlsv;
import io.vdfc.restart.FileChecksums;
import io.vdfc.restart.VlsvRewrite;
import io.vdfc.testing.SharedData;
import io.vdfc.vlsv.VlsvArray;
import io.vdfc.vlsv.VlsvFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

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

  /**
   * {@code in} (a file this vdfc wrote) as vdfc wrote it before VDFC_CHECKSUMS existed: the checksums dropped and the
   * format version set to 1, whose files may lack them (version 2 requires them).
   */
  static Path asVersionOneWithoutChecksums(Path in, Path out) throws IOException {
    try (VlsvFile f = VlsvFile.open(in)) {
      VlsvRewrite.write(f, out, new VlsvRewrite.Plan() {
        @Override
        public List<VlsvRewrite.NewArray> replace(VlsvArray a) {
          return a.tag().equals(FileChecksums.TAG) ? List.of() : null;
        }

        @Override
        public List<VlsvRewrite.NewArray> appended() {
          return List.of();
        }
      }, List.of(), SingleRank.INSTANCE);
    }
    long at;
    try (VlsvFile f = VlsvFile.open(out)) {
      at = f.find("PARAMETER", Map.of("name", CompressedVlsv.VERSION_PARAMETER)).orElseThrow().offset();
    }
    try (FileChannel ch = FileChannel.open(out, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 1), at);
    }
    return out;
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
