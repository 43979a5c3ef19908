package io.vdfc.restart;

import io.vdfc.parallel.Collectives;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vlsv.DirectArena;
import io.vdfc.vlsv.VlsvArray;
import io.vdfc.vlsv.VlsvFormatException;
import io.vdfc.vlsv.VlsvDataType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Restores a standard Vlasiator VLSV file from a {@link CompressedVlsv} file, on one rank or many (M ranks can read a
 * file written by N): BLOCKIDS and BLOCKVARIABLE go back where the VDFC arrays stand, the vdfc-only arrays are dropped,
 * everything else is copied byte for byte. Cells, block IDs and block order are the original's.
 */
public final class VlsvDecompressor {
  private final boolean quiet;
  private Phases phases = new Phases(0, 0);
  private VlsvRewrite.BeforeWrite beforeWrite = VlsvRewrite.BeforeWrite.NOTHING;
  private long chunkBytes = DirectArena.CHUNK;

  /**
   * Wall time of the last {@link #decompress} on this rank, in seconds: decoding this rank's cells, up to the moment
   * the slowest rank is done (a barrier), and writing the restart (layout, copies of the other arrays, every rank's
   * block data, sync, rename).
   */
  public record Phases(double decodeSeconds, double writeSeconds) {}

  public VlsvDecompressor(boolean quiet) {
    this.quiet = quiet;
  }

  /** Runs {@code hook} on every rank right before each write phase, outside the phases' times (benchmarks only). */
  public VlsvDecompressor beforeWrite(VlsvRewrite.BeforeWrite hook) {
    this.beforeWrite = hook;
    return this;
  }

  /**
   * Bytes of restored block IDs and values per run handed to the writer (default {@link DirectArena#CHUNK}): a rank's
   * cells go in runs up to this size (a single cell may exceed it), each run in direct memory of a {@link DirectArena},
   * whose chunks the next decompression or compression in the process reuses. A fresh direct buffer per run maps and
   * zeroes new pages, and on this project's test machine (a virtual machine, kernel 6.18) writing the real restart's
   * 36.8 MB from fresh buffers took 88 ms against 29 ms for the same bytes from a kept buffer (2026-12-04). Runs also
   * keep a rank's buffers under the 2 GiB one buffer holds, whatever it restores.
   */
  public VlsvDecompressor chunkBytes(long bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("chunk of " + bytes + " bytes");
    }
    this.chunkBytes = bytes;
    return this;
  }

  /** The phase times of the last {@link #decompress} call on this rank. */
  public Phases phases() {
    return phases;
  }

  /**
   * Restores {@code out} from {@code in} collectively: each rank decodes only its block-balanced contiguous range of
   * every population's cells ({@link CellPartition}), whatever the number of ranks that wrote {@code in}. First every
   * rank stops if {@code out} cannot be written ({@link VlsvRewrite#prepareTarget}: the input itself, a directory),
   * and a stale {@code out.vdfc-partial} left by an interrupted earlier run is removed.
   *
   * @return the number of cells this rank decoded
   */
  public long decompress(Path in, Path out, Collectives c) throws IOException {
    try (OutputLock held = VlsvRewrite.prepareTarget(in, out, c)) {
      return decompressUnderLock(in, out, c);
    }
  }

  private long decompressUnderLock(Path in, Path out, Collectives c) throws IOException {
    long t0 = System.nanoTime();
    try (CompressedFile cf = CompressedFile.open(in); DirectArena arena = new DirectArena()) {
      VlsvFormatException corrupt = null;
      if (c.rank() == 0) {
        try {
          // what open() left unchecked and rank 0 copies through; records are checked cell by cell as they decode
          FileChecksums.require(cf.file(), a -> !CompressedFile.checkedOnOpen(a) && !a.tag().equals(CompressedVlsv.RECORDS));
        } catch (VlsvFormatException e) {
          corrupt = e;
        }
      }
      VlsvRewrite.agreeOrRethrow(corrupt, "", c);
      List<VlsvRewrite.Part> parts = new ArrayList<>();
      Map<String, Integer> slot = new LinkedHashMap<>();
      int k = 0;
      for (VlsvArray a : VlsvRewrite.inFileOrder(cf.file())) {
        if (a.tag().equals(CompressedVlsv.INDEX)) {
          slot.put(a.name(), k);
          k += 2;
        }
      }
      long decoded = 0;
      for (String pop : cf.populations()) {
        CompressedFile.Population p = cf.population(pop);
        int[] bounds = CellPartition.balanced(p.blocksPerCell(), c.size());
        int lo = bounds[c.rank()], hi = bounds[c.rank() + 1];
        long firstBlock = 0;
        for (int i = 0; i < lo; i++) {
          firstBlock += p.blocksPerCell()[i];
        }
        int valueBytes = p.valueBytes();
        int per = p.mesh().cellsPerBlock();
        int s = slot.get(pop);
        Progress progress = new Progress("decompress " + pop + " (rank " + c.rank() + ")", hi - lo, quiet || c.rank() != 0);
        // the rank's cells in runs of at most chunkBytes of block IDs and values, each run one stretch of the arena's
        // direct memory (the writer hands it to the kernel as it is, without a temporary copy of the block data; one
        // buffer holds < 2 GiB)
        long blockBytes = 4 + (long) valueBytes * per;
        for (int from = lo; from < hi; ) {
          long runBlocks = 0;
          int to = from;
          while (to < hi && (to == from || (runBlocks + p.blocksPerCell()[to]) * blockBytes <= chunkBytes)) {
            runBlocks += p.blocksPerCell()[to++];
          }
          int idBytes = Math.toIntExact(4 * runBlocks);
          ByteBuffer run = arena.take(Math.toIntExact(blockBytes * runBlocks));
          ByteBuffer ids = run.slice(0, idBytes).order(ByteOrder.LITTLE_ENDIAN);
          ByteBuffer vals = run.slice(idBytes, run.capacity() - idBytes).order(ByteOrder.LITTLE_ENDIAN);
          for (int i = from; i < to; i++) {
            CellVdf cell = cf.cellAt(pop, i);
            for (int id : cell.blockIds()) {
              ids.putInt(id);
            }
            for (float v : cell.values()) {
              if (valueBytes == 8) {
                vals.putDouble(v);
              } else {
                vals.putFloat(v);
              }
            }
            progress.advance(1);
            decoded++;
          }
          parts.add(new VlsvRewrite.Part(s, 4 * firstBlock, ids.flip()));
          parts.add(new VlsvRewrite.Part(s + 1, (long) valueBytes * per * firstBlock, vals.flip()));
          firstBlock += runBlocks;
          from = to;
        }
      }
      c.barrier(); // the write phase starts when the slowest rank has decoded: waiting counts as decoding
      long decodedAt = System.nanoTime();
      beforeWrite.run();
      long t1 = System.nanoTime();
      VlsvRewrite.write(cf.file(), out, new RestorePlan(cf), parts, c);
      phases = new Phases((decodedAt - t0) / 1e9, (System.nanoTime() - t1) / 1e9);
      return decoded;
    }
  }

  /** VDFC_INDEX -> BLOCKIDS, VDFC_RECORDS -> BLOCKVARIABLE, the vdfc-only arrays dropped. */
  private record RestorePlan(CompressedFile cf) implements VlsvRewrite.Plan {
    @Override
    public List<VlsvRewrite.NewArray> replace(VlsvArray a) {
      switch (a.tag()) {
        case CompressedVlsv.INDEX: {
          CompressedFile.Population p = cf.population(a.name());
          return List.of(new VlsvRewrite.NewArray(CompressedVlsv.BLOCKIDS, attrs(a), VlsvDataType.UINT, 4, 1, totalBlocks(p)));
        }
        case CompressedVlsv.RECORDS: {
          CompressedFile.Population p = cf.population(a.name());
          return List.of(new VlsvRewrite.NewArray(CompressedVlsv.BLOCKVARIABLE, attrs(a), VlsvDataType.FLOAT,
              p.valueBytes(), p.mesh().cellsPerBlock(), totalBlocks(p)));
        }
        case CompressedVlsv.SETTINGS, CompressedVlsv.MODEL, FileChecksums.TAG:
          return List.of();
        case "PARAMETER":
          return a.name().equals(CompressedVlsv.VERSION_PARAMETER) ? List.of() : null;
        default:
          return null;
      }
    }

    @Override
    public List<VlsvRewrite.NewArray> appended() {
      return List.of();
    }

    private static long totalBlocks(CompressedFile.Population p) {
      long n = 0;
      for (long b : p.blocksPerCell()) {
        n += b;
      }
      return n;
    }

    /** The caller's attributes of the original block arrays: those of the VDFC array but the vdfc-only ones. */
    private static Map<String, String> attrs(VlsvArray a) {
      Map<String, String> m = new LinkedHashMap<>();
      a.attributes().forEach((key, v) -> {
        switch (key) {
          case VlsvArray.ARRAYSIZE, VlsvArray.DATASIZE, VlsvArray.DATATYPE, VlsvArray.VECTORSIZE,
              CompressedVlsv.ATTR_VALUE_DATASIZE, CompressedVlsv.ATTR_WID3 -> { }
          default -> m.put(key, v);
        }
      });
      return m;
    }
  }
}
