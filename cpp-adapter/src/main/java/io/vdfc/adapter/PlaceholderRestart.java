package io.vdfc.adapter;

import io.vdfc.parallel.Collectives;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * Stand-in restart file of the adapter until the plugin's compressed restart format is wired in: each rank writes
 * its section at an offset found by a prefix sum, rank 0 writes the index; the file appears atomically (written as
 * {@code path.tmp}, then renamed).
 *
 * <p>Layout, little-endian: {@code ["VDFCRST1" 8 bytes][nSections i32][reserved i32]
 * [nSections x (offset i64, length i64)]}, then the sections. A section is {@code [nRecords i32]} and records
 * {@code [cellId i64][popLen u16][population UTF-8][nBlocks i32][recordLen i32][record][crc32(record) i32]}.
 */
final class PlaceholderRestart {
  static final byte[] MAGIC = "VDFCRST1".getBytes(StandardCharsets.US_ASCII);

  record Entry(long cellId, String population, int blockCount, byte[] record) {}

  private PlaceholderRestart() {
    throw new AssertionError("no instances");
  }

  static void write(Path path, List<Entry> entries, Collectives coll) {
    byte[] section = section(entries);
    byte[] len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(section.length).array();
    byte[][] lengths = coll.allgather(len);
    long myOffset = coll.exclusiveScan(section.length);
    int n = coll.size();
    long header = 16L + 16L * n;
    ByteBuffer index = ByteBuffer.allocate((int) header).order(ByteOrder.LITTLE_ENDIAN);
    index.put(MAGIC).putInt(n).putInt(0);
    long offset = header;
    for (int r = 0; r < n; r++) {
      long l = ByteBuffer.wrap(lengths[r]).order(ByteOrder.LITTLE_ENDIAN).getLong();
      if (r == coll.rank() && offset != header + myOffset) {
        throw new AdapterException(Status.COLLECTIVE, "rank " + r + ": exclusive scan gave offset " + myOffset
            + " but the gathered lengths give " + (offset - header));
      }
      index.putLong(offset).putLong(l);
      offset += l;
    }
    Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
    IOException failure = null;
    if (coll.rank() == 0) {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        writeFully(ch, index.flip(), 0);
      } catch (IOException e) {
        failure = e;
      }
    }
    agree(coll, failure, "creating " + tmp);
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      writeFully(ch, ByteBuffer.wrap(section), header + myOffset);
      ch.force(false);
    } catch (IOException e) {
      failure = e;
    }
    agree(coll, failure, "writing the sections of " + tmp);
    if (coll.rank() == 0) {
      try {
        Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        failure = e;
      }
    }
    agree(coll, failure, "renaming " + tmp + " to " + path);
  }

  static List<Entry> read(Path path, long[] cellIds, Collectives coll) {
    List<Entry> found = new ArrayList<>();
    RuntimeException failure = null;
    try {
      found = readLocal(path, cellIds);
    } catch (IOException e) {
      failure = new AdapterException(Status.IO, "rank " + coll.rank() + ": reading restart " + path + ": " + e, e);
    } catch (AdapterException e) {
      failure = e;
    }
    long[] failed = coll.allreduceMax(new long[] {failure == null ? 0 : 1});
    if (failure != null) {
      throw failure;
    }
    if (failed[0] != 0) {
      throw new AdapterException(Status.COLLECTIVE, "rank " + coll.rank() + ": another rank failed to read " + path);
    }
    return found;
  }

  private static List<Entry> readLocal(Path path, long[] cellIds) throws IOException {
    ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(path)).order(ByteOrder.LITTLE_ENDIAN);
    verify(in.remaining() >= 16, path, 0, "file of " + in.remaining() + " bytes is shorter than the header");
    byte[] magic = new byte[8];
    in.get(magic);
    verify(java.util.Arrays.equals(magic, MAGIC), path, 0, "magic is not VDFCRST1");
    int n = in.getInt();
    in.getInt();
    verify(n > 0 && 16L + 16L * n <= in.limit(), path, 8, "index of " + n + " sections does not fit");
    Set<Long> wanted = new HashSet<>();
    for (long id : cellIds) {
      wanted.add(id);
    }
    Set<Long> seen = new HashSet<>();
    List<Entry> out = new ArrayList<>();
    for (int r = 0; r < n; r++) {
      long off = in.getLong(16 + 16 * r);
      long len = in.getLong(24 + 16 * r);
      verify(off >= 16L + 16L * n && len >= 4 && off + len <= in.limit(), path, 16 + 16 * r,
          "section " + r + " at " + off + " of " + len + " bytes lies outside the file");
      ByteBuffer s = in.slice((int) off, (int) len).order(ByteOrder.LITTLE_ENDIAN);
      int records = s.getInt();
      verify(records >= 0, path, off, "negative record count " + records);
      for (int k = 0; k < records; k++) {
        long at = off + s.position();
        verify(s.remaining() >= 10, path, at, "truncated record header");
        long cellId = s.getLong();
        int popLen = Short.toUnsignedInt(s.getShort());
        verify(s.remaining() >= popLen + 8, path, at, "truncated population name");
        byte[] pop = new byte[popLen];
        s.get(pop);
        int blocks = s.getInt();
        int recLen = s.getInt();
        verify(blocks >= 0 && recLen >= 0 && s.remaining() >= (long) recLen + 4, path, at,
            "cell " + cellId + ": record of " + recLen + " bytes and " + blocks + " blocks does not fit");
        byte[] record = new byte[recLen];
        s.get(record);
        int crc = s.getInt();
        CRC32 c = new CRC32();
        c.update(record);
        verify((int) c.getValue() == crc, path, at, "cell " + cellId + ": CRC32 mismatch");
        if (wanted.contains(cellId)) {
          out.add(new Entry(cellId, new String(pop, StandardCharsets.UTF_8), blocks, record));
          seen.add(cellId);
        }
      }
    }
    if (seen.size() != wanted.size()) {
      wanted.removeAll(seen);
      throw new AdapterException(Status.CORRUPT, "restart " + path + " lacks cells " + wanted);
    }
    return out;
  }

  private static byte[] section(List<Entry> entries) {
    int size = 4;
    for (Entry e : entries) {
      size += 8 + 2 + e.population().getBytes(StandardCharsets.UTF_8).length + 8 + e.record().length + 4;
    }
    ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(entries.size());
    for (Entry e : entries) {
      byte[] pop = e.population().getBytes(StandardCharsets.UTF_8);
      CRC32 c = new CRC32();
      c.update(e.record());
      b.putLong(e.cellId()).putShort((short) pop.length).put(pop).putInt(e.blockCount()).putInt(e.record().length)
          .put(e.record()).putInt((int) c.getValue());
    }
    return b.array();
  }

  private static void writeFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
    while (b.hasRemaining()) {
      position += ch.write(b, position);
    }
  }

  /** Collective: fails on every rank if {@code local} failed on any rank. */
  private static void agree(Collectives coll, IOException local, String step) {
    long[] failed = coll.allreduceMax(new long[] {local == null ? 0 : 1});
    if (local != null) {
      throw new AdapterException(Status.IO, "rank " + coll.rank() + ": " + step + ": " + local, local);
    }
    if (failed[0] != 0) {
      throw new AdapterException(Status.IO, "rank " + coll.rank() + ": another rank failed " + step);
    }
  }

  private static void verify(boolean ok, Path path, long offset, String what) {
    if (!ok) {
      throw new AdapterException(Status.CORRUPT, "restart " + path + " at byte " + offset + ": " + what);
    }
  }
}
