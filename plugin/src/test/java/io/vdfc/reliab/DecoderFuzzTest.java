package io.vdfc.reliab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vdfc.codec.CodecRegistry;
import io.vdfc.codec.CorruptRecordException;
import io.vdfc.codec.SharedModelCodec;
import io.vdfc.codec.Tolerance;
import io.vdfc.codec.VdfCodec;
import io.vdfc.compress.CellCompressor;
import io.vdfc.compress.CompressionSettings;
import io.vdfc.conserve.CorrectionForm;
import io.vdfc.conserve.MomentTargets;
import io.vdfc.record.BlockIdCoder;
import io.vdfc.record.CellRecord;
import io.vdfc.testing.SharedData;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VelocityMesh;
import io.vdfc.vdf.VlsvVdfSource;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Randomized fuzzing of every decoder that reads bytes from a file: each registered codec's {@code decode}, the whole
 * record path ({@link CellRecord#read} then {@link CellCompressor#decompress}, with the record CRC both kept and
 * recomputed after mutation so the fuzz reaches the parsers behind it), {@link BlockIdCoder#decode} and
 * {@link MomentTargets#read}. Inputs are mutations of valid encodings of real cells (vlsvrs/fullf: the whole proton
 * cell and cuts of 1, 7 and 60 blocks of both populations): bit flips, byte overwrites, truncation, extension, splices, random bytes. A decoder may
 * return a well-formed result or throw {@link CorruptRecordException}; anything else (another exception, a wrong-sized
 * result, an error, a hang) fails the test with the seed that reproduces it.
 *
 * <p>Runtime: {@code -Dvdfc.fuzz.seconds=N} in total (default 6, split over the targets); a longer run, e.g.
 * {@code -Dvdfc.fuzz.seconds=600}, is the documented soak. {@code -Dvdfc.fuzz.seed=S} changes the seed.
 */
class DecoderFuzzTest {
  static final double SECONDS = Double.parseDouble(System.getProperty("vdfc.fuzz.seconds", "6"));
  static final long SEED = Long.getLong("vdfc.fuzz.seed", 20261124L);
  static final List<CellVdf> CELLS = new ArrayList<>();

  @BeforeAll
  static void realCells() throws Exception {
    try (VlsvVdfSource src = VlsvVdfSource.open(SharedData.file("vlsvrs/fullf.0000001.vlsv"))) {
      for (String pop : src.populations()) {
        CellVdf c = src.cellAt(pop, 0);
        if (CELLS.isEmpty()) {
          CELLS.add(c); // one whole cell (1,390 blocks); the cuts keep the iterations fast
        }
        CELLS.add(cut(c, 1));
        CELLS.add(cut(c, 7));
        CELLS.add(cut(c, 60));
      }
    }
  }

  private static CellVdf cut(CellVdf c, int blocks) {
    int per = c.mesh().cellsPerBlock();
    return new CellVdf(c.cellId(), c.mesh(), Arrays.copyOf(c.blockIds(), blocks), Arrays.copyOf(c.values(), blocks * per));
  }

  /** One fuzz target: a decoder fed mutated bytes; returns normally or throws CorruptRecordException. */
  interface Target {
    void decode(ByteBuffer in) throws CorruptRecordException;
  }

  record Seed(String what, byte[] bytes, Target target, boolean fixCrc) {}

  @Test
  void everyCodecDecoderRejectsOrDecodesMutatedPayloads() {
    List<Seed> seeds = new ArrayList<>();
    for (VdfCodec registered : CodecRegistry.get().all()) {
      for (CellVdf cell : CELLS) {
        VdfCodec codec = registered;
        if (registered instanceof SharedModelCodec smc) {
          try {
            codec = smc.withModel(ByteBuffer.wrap(smc.trainModel(List.of(cell), 1e-16)));
          } catch (Exception e) {
            continue; // a model that cannot be trained on one cell is that codec's business, not the decoder's
          }
        }
        VdfCodec c = codec;
        byte[] payload;
        try {
          payload = c.encode(cell, 1e-16);
        } catch (RuntimeException e) {
          continue;
        }
        int expected = cell.values().length;
        seeds.add(new Seed(registered.name() + " payload of " + cell.blockCount() + " blocks", payload, in -> {
          float[] v = c.decode(in, cell.mesh(), cell.blockIds(), c.version());
          if (v == null || v.length != expected) {
            throw new AssertionError("decoded " + (v == null ? "null" : v.length + " values") + ", expected " + expected);
          }
        }, false));
      }
    }
    fuzz("codec payloads", seeds);
  }

  @Test
  void recordsBlockIdsAndMomentTargetsRejectOrDecodeMutatedBytes() {
    List<Seed> seeds = new ArrayList<>();
    for (CellVdf cell : CELLS) {
      for (String codec : List.of("zfpb", "zstd", "raw")) {
        VdfCodec c = CodecRegistry.get().byName(codec);
        byte[] rec = new CellCompressor(new CompressionSettings(c, Tolerance.parse("1e-16"), !c.lossless()))
            .compress(cell, 1e-16).record();
        VelocityMesh mesh = cell.mesh();
        Target full = in -> {
          CellVdf out = CellCompressor.decompress(in, mesh, cell.cellId(), cell.blockCount());
          if (out.values().length != out.blockCount() * mesh.cellsPerBlock()) {
            throw new AssertionError("values and blocks disagree");
          }
        };
        seeds.add(new Seed(codec + " record (CRC kept)", rec, full, false));
        seeds.add(new Seed(codec + " record (CRC recomputed)", rec, full, true));
      }
      byte[] ids = BlockIdCoder.encode(cell.blockIds());
      long meshBlocks = cell.mesh().blockCount();
      seeds.add(new Seed("block IDs", ids, in -> {
        int[] out = BlockIdCoder.decode(in, cell.blockCount(), meshBlocks);
        for (int id : out) {
          if (id < 0 || id >= meshBlocks) {
            throw new AssertionError("block ID " + id + " outside the mesh passed");
          }
        }
      }, false));
      for (CorrectionForm form : CorrectionForm.values()) {
        seeds.add(new Seed("moment targets " + form, MomentTargets.of(cell, form, 4.0).toBytes(), MomentTargets::read, false));
      }
    }
    fuzz("records, block IDs, moment targets", seeds);
  }

  private void fuzz(String name, List<Seed> seeds) {
    assertTrue(!seeds.isEmpty(), "no seeds");
    long budgetNanos = (long) (SECONDS / 2 * 1e9);
    long[] counts = new long[2];
    List<String> failures = new ArrayList<>();
    assertTimeoutPreemptively(Duration.ofNanos(budgetNanos).plusSeconds(60), () -> {
      Random r = new Random(SEED);
      long end = System.nanoTime() + budgetNanos;
      long iteration = 0;
      while (System.nanoTime() < end && failures.size() < 10) {
        for (Seed s : seeds) {
          long caseSeed = SEED * 1_000_003L + iteration++;
          byte[] in = mutate(s.bytes(), new Random(caseSeed));
          if (s.fixCrc() && in.length >= 4) {
            CRC32C crc = new CRC32C();
            crc.update(in, 0, in.length - 4);
            ByteBuffer.wrap(in).order(ByteOrder.LITTLE_ENDIAN).putInt(in.length - 4, (int) crc.getValue());
          }
          counts[0]++;
          try {
            s.target().decode(ByteBuffer.wrap(in).order(ByteOrder.LITTLE_ENDIAN));
          } catch (CorruptRecordException e) {
            counts[1]++;
            if (e.getMessage() == null || e.getMessage().isBlank()) {
              failures.add(s.what() + ": CorruptRecordException without a message (case seed " + caseSeed + ")");
            }
          } catch (Throwable e) {
            failures.add(s.what() + ": " + e + " at " + (e.getStackTrace().length > 0 ? e.getStackTrace()[0] : "?")
                + " (case seed " + caseSeed + ", " + in.length + " bytes)");
          }
        }
      }
      r.nextInt();
    });
    System.out.printf("[fuzz] %s: %d inputs, %d rejected as corrupt, %d decoded, %d failures (%.1f s)%n", name, counts[0],
        counts[1], counts[0] - counts[1], failures.size(), SECONDS / 2);
    assertEquals(List.of(), failures);
  }

  /** One to four random mutations of a copy of {@code b}. */
  static byte[] mutate(byte[] b, Random r) {
    byte[] x = b.clone();
    int n = 1 + r.nextInt(4);
    for (int m = 0; m < n; m++) {
      switch (r.nextInt(8)) {
        case 0, 1 -> { // bit flip
          if (x.length > 0) {
            int i = r.nextInt(x.length);
            x[i] ^= (byte) (1 << r.nextInt(8));
          }
        }
        case 2 -> { // byte overwrite with an edge value
          if (x.length > 0) {
            int[] edge = {0, 0xff, 0x7f, 0x80, 1, 0xfe};
            x[r.nextInt(x.length)] = (byte) edge[r.nextInt(edge.length)];
          }
        }
        case 3 -> x = Arrays.copyOf(x, x.length == 0 ? 0 : r.nextInt(x.length)); // truncate
        case 4 -> { // extend with random bytes
          byte[] more = new byte[1 + r.nextInt(64)];
          r.nextBytes(more);
          byte[] y = Arrays.copyOf(x, x.length + more.length);
          System.arraycopy(more, 0, y, x.length, more.length);
          x = y;
        }
        case 5 -> { // random run
          if (x.length > 0) {
            int i = r.nextInt(x.length);
            int len = Math.min(x.length - i, 1 + r.nextInt(16));
            for (int k = 0; k < len; k++) {
              x[i + k] = (byte) r.nextInt(256);
            }
          }
        }
        case 6 -> { // splice: copy a range onto another place
          if (x.length > 1) {
            int from = r.nextInt(x.length), to = r.nextInt(x.length);
            int len = Math.min(Math.min(x.length - from, x.length - to), 1 + r.nextInt(32));
            System.arraycopy(x, from, x, to, len);
          }
        }
        default -> { // all random, rarely
          if (r.nextInt(8) == 0) {
            r.nextBytes(x);
          }
        }
      }
    }
    return x;
  }
}
