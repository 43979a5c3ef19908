package io.vdfc.restart;

import io.vdfc.compress.EncodedCell;
import io.vdfc.parallel.Collectives;
import io.vdfc.vdf.CellPositions;
import io.vdfc.vdf.VdfCellIndex;
import io.vdfc.vlsv.VlsvArray;
import io.vdfc.vlsv.VlsvDataType;
import io.vdfc.vlsv.VlsvFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import java.util.Set;
import java.util.function.LongToIntFunction;

/**
 * Writes a {@link CompressedVlsv} file from records held by the ranks: every array but the block data is copied from a
 * template (the restart the cells came from, or the file the simulation would have written), and each rank writes the
 * records of the cells it holds, in any number and any order. Every cell of the template must be held by exactly one
 * rank. The records lie in the template's cell order, and the ranks agree on their places per population in one of two
 * ways:
 *
 * <ul>
 *   <li>when each rank's cells are one run of the template's order, in that order (as the restart commands split the
 *       cells: {@link CellPartition}), by one {@code allgather} of each rank's run and record bytes: each rank's records
 *       start where the runs before its own end (an exclusive scan), and each rank writes its own part of the index;
 *       the exchange is 32 bytes a rank, whatever the number of cells;
 *   <li>otherwise (cells spread any way, e.g. as a simulation's load balancer left them), by one allreduce of the
 *       record lengths of every cell of the file, after the same {@code allgather} found that the runs do not do:
 *       two longs a cell on every rank, and rank 0 writes the whole index.
 * </ul>
 *
 * Both give the same file.
 */
public final class CompressedRestartWriter {

  /** This rank's cells of one population, with the settings text and shared model every rank passes identically. */
  public record PopulationPart(String population, List<EncodedCell> cells, byte[] settingsText, byte[] model) {}

  private CompressedRestartWriter() {
    throw new AssertionError("no instances");
  }

  /**
   * As {@link #write(VlsvFile, Map, Path, List, Collectives)}, reading each population's cell list from the template.
   *
   * @return the total record bytes of each population, over all ranks
   */
  public static Map<String, Long> write(VlsvFile template, Path out, List<PopulationPart> mine, Collectives c)
      throws IOException {
    return write(template, Map.of(), out, mine, c);
  }

  /**
   * @param known the cell index of populations whose cell list the caller has already read from {@code template}
   *     (a compressor reads it before it encodes), so that the write does not read and sort it again
   * @return the total record bytes of each population, over all ranks
   */
  public static Map<String, Long> write(VlsvFile template, Map<String, VdfCellIndex> known, Path out,
      List<PopulationPart> mine, Collectives c) throws IOException {
    Map<String, Integer> slot = new LinkedHashMap<>();
    Map<String, PopulationPart> byPop = new LinkedHashMap<>();
    for (PopulationPart p : mine) {
      byPop.put(p.population(), p);
    }
    int k = 0;
    for (VlsvArray a : VlsvRewrite.inFileOrder(template)) {
      if (a.tag().equals(CompressedVlsv.BLOCKIDS) && byPop.containsKey(a.name())) {
        slot.put(a.name(), k);
        k += 2;
      }
    }
    for (String pop : byPop.keySet()) {
      if (!slot.containsKey(pop)) {
        // the caller's population, not a damaged template: an argument error
        throw new IllegalArgumentException("population " + pop + " is not in " + template.path() + " (it has no "
            + "BLOCKIDS array of " + pop + "); the template has " + VlsvRewrite.inFileOrder(template).stream()
            .filter(a -> a.tag().equals(CompressedVlsv.BLOCKIDS)).map(VlsvArray::name).toList());
      }
    }
    List<VlsvRewrite.Part> parts = new ArrayList<>();
    Map<String, Long> totals = new LinkedHashMap<>();
    for (String pop : slot.keySet()) {
      PopulationPart part = byPop.get(pop);
      VdfCellIndex cells = known.get(pop);
      long[] ids = cells != null ? cells.cellIds()
          : template.readLongs(template.require(CompressedVlsv.CELLSWITHBLOCKS, Map.of("name", pop)));
      LongToIntFunction position = cells != null ? id -> cells.position(id).orElse(-1) : new CellPositions(ids)::find;
      int s = slot.get(pop);
      List<EncodedCell> held = part.cells() instanceof RandomAccess ? part.cells() : new ArrayList<>(part.cells());
      int[] at = new int[held.size()]; // each of this rank's cells' place in the template's cell order
      for (int i = 0; i < at.length; i++) {
        at[i] = position.applyAsInt(held.get(i).cellId());
      }
      long[] place = byRuns(ids.length, held, at, c);
      if (place != null) {
        totals.put(pop, place[1]);
        if (at.length > 0) {
          ByteBuffer index = ByteBuffer.allocate(8 * at.length).order(ByteOrder.LITTLE_ENDIAN);
          for (EncodedCell e : held) {
            index.putLong(e.record().length);
          }
          parts.add(new VlsvRewrite.Part(s, 8L * at[0], index.flip()));
        }
        long offset = place[0];
        for (EncodedCell e : held) {
          parts.add(new VlsvRewrite.Part(s + 1, offset, e.bytes(), e.crc32c()));
          offset += e.record().length;
        }
      } else {
        totals.put(pop, byCells(template, pop, ids, held, at, s, parts, c));
      }
    }
    if (c.rank() == 0) {
      int next = k;
      parts.add(new VlsvRewrite.Part(next++, 0, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN)
          .putInt(CompressedVlsv.FORMAT_VERSION).flip()));
      for (String pop : slot.keySet()) {
        parts.add(new VlsvRewrite.Part(next++, 0, ByteBuffer.wrap(byPop.get(pop).settingsText())));
      }
      for (String pop : slot.keySet()) {
        if (byPop.get(pop).model() != null) {
          parts.add(new VlsvRewrite.Part(next++, 0, ByteBuffer.wrap(byPop.get(pop).model())));
        }
      }
    }
    VlsvRewrite.write(template, out, new Plan(template, slot.keySet(), totals, byPop), parts, c);
    return totals;
  }

  /**
   * Placing when every rank's cells are one run of the template's cell order, in that order (the restart commands'
   * {@link CellPartition} gives each rank such a run), and the runs cover every cell once: one {@code allgather} of
   * each rank's run and record bytes, {@code [lo, hi, bytes, 1]} (32 bytes a rank, whatever the cells), then each rank's
   * records start where the records of the runs before its own end, an exclusive scan in the order of the runs.
   * Collective; every rank gets the same answer.
   *
   * @param at each of this rank's cells' place in the template's order (-1: not in it)
   * @return this rank's first record's offset in the records array and the records' total bytes over all ranks; null
   *     when some rank's cells are not one run in order or the runs do not cover every cell exactly once ({@link
   *     #byCells} places them then, and names what is wrong)
   */
  private static long[] byRuns(int cellCount, List<EncodedCell> mine, int[] at, Collectives c) {
    boolean run = true;
    long bytes = 0;
    for (int i = 0; i < at.length; i++) {
      run &= at[i] >= 0 && (i == 0 || at[i] == at[i - 1] + 1);
      bytes += mine.get(i).record().length;
    }
    long lo = at.length > 0 ? at[0] : 0;
    byte[] me = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN).putLong(lo).putLong(lo + at.length)
        .putLong(bytes).putLong(run ? 1 : 0).array();
    byte[][] all = c.allgather(me);
    long[][] runs = new long[all.length][];
    for (int r = 0; r < all.length; r++) {
      ByteBuffer b = ByteBuffer.wrap(all[r]).order(ByteOrder.LITTLE_ENDIAN);
      runs[r] = new long[] {b.getLong(), b.getLong(), b.getLong(), b.getLong()};
      if (runs[r][3] != 1) {
        return null;
      }
    }
    Integer[] order = new Integer[runs.length];
    for (int r = 0; r < order.length; r++) {
      order[r] = r;
    }
    Arrays.sort(order, (x, y) -> Long.compare(runs[x][0], runs[y][0]));
    long next = 0, offset = 0, mineAt = 0;
    for (int r : order) {
      if (runs[r][1] == runs[r][0]) {
        continue; // a rank without cells
      }
      if (runs[r][0] != next) {
        return null; // a gap or an overlap
      }
      next = runs[r][1];
      if (r == c.rank()) {
        mineAt = offset;
      }
      offset += runs[r][2];
    }
    return next == cellCount ? new long[] {mineAt, offset} : null;
  }

  /**
   * Placing cells spread over the ranks any way (e.g. as a simulation's load balancer left them): one allreduce of
   * {@code [record length of each cell | ranks holding it | ranks holding a cell the file does not list]}, two longs a
   * cell of the file on every rank; rank 0 writes the whole index. Fails naming the first cell held by no rank or by
   * several, or a cell the template does not list. Collective.
   *
   * @return the records' total bytes over all ranks
   */
  private static long byCells(VlsvFile template, String pop, long[] ids, List<EncodedCell> mine, int[] at, int s,
      List<VlsvRewrite.Part> parts, Collectives c) throws IOException {
    long[] local = new long[2 * ids.length + 1];
    String problem = null;
    for (int i = 0; i < at.length; i++) {
      EncodedCell e = mine.get(i);
      if (at[i] < 0) {
        problem = pop + " cell " + e.cellId() + " is held by a rank, but " + template.path().getFileName()
            + " does not list it";
        local[2 * ids.length] = 1;
        break;
      }
      local[at[i]] = e.record().length;
      local[ids.length + at[i]]++;
    }
    long[] sums = c.allreduceSum(local);
    if (sums[2 * ids.length] > 0) { // every rank sees the count, so all take part; the holder reports its own cell
      VlsvRewrite.agreeOrRethrow(problem == null ? null : new IllegalArgumentException(problem), "", c);
    }
    for (int i = 0; i < ids.length; i++) {
      long held = sums[ids.length + i];
      if (held != 1) {
        throw new IllegalArgumentException(pop + " cell " + ids[i] + " is held by " + held + " ranks; each cell of "
            + template.path().getFileName() + " needs exactly one");
      }
    }
    long[] start = new long[ids.length + 1];
    for (int i = 0; i < ids.length; i++) {
      start[i + 1] = start[i] + sums[i];
    }
    if (c.rank() == 0) {
      ByteBuffer index = ByteBuffer.allocate(8 * ids.length).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < ids.length; i++) {
        index.putLong(sums[i]);
      }
      parts.add(new VlsvRewrite.Part(s, 0, index.flip()));
    }
    for (int i = 0; i < at.length; i++) {
      parts.add(new VlsvRewrite.Part(s + 1, start[at[i]], mine.get(i).bytes(), mine.get(i).crc32c()));
    }
    return start[ids.length];
  }

  /** BLOCKIDS -> VDFC_INDEX and BLOCKVARIABLE -> VDFC_RECORDS per population; version, settings and models appended. */
  private record Plan(VlsvFile file, Set<String> pops, Map<String, Long> recordBytes, Map<String, PopulationPart> parts)
      implements VlsvRewrite.Plan {
    @Override
    public List<VlsvRewrite.NewArray> replace(VlsvArray a) {
      if (!pops.contains(a.name())) {
        return null;
      }
      if (a.tag().equals(CompressedVlsv.BLOCKIDS)) {
        long cells = file.find(CompressedVlsv.CELLSWITHBLOCKS, Map.of("name", a.name())).orElseThrow().arraySize();
        return List.of(new VlsvRewrite.NewArray(CompressedVlsv.INDEX, attrs(a.name()), VlsvDataType.UINT, 8, 1, cells));
      }
      if (a.tag().equals(CompressedVlsv.BLOCKVARIABLE)) {
        Map<String, String> at = attrs(a.name());
        at.put(CompressedVlsv.ATTR_VALUE_DATASIZE, Integer.toString(a.dataSize()));
        at.put(CompressedVlsv.ATTR_WID3, Integer.toString(a.vectorSize()));
        return List.of(new VlsvRewrite.NewArray(CompressedVlsv.RECORDS, at, VlsvDataType.UINT, 1, 1, recordBytes.get(a.name())));
      }
      return null;
    }

    @Override
    public boolean checksummed() {
      return true;
    }

    /** Version, settings, models, and last the file checksums (one per array of the output, itself included). */
    @Override
    public List<VlsvRewrite.NewArray> appended() {
      List<VlsvRewrite.NewArray> out = new ArrayList<>();
      out.add(new VlsvRewrite.NewArray("PARAMETER", new LinkedHashMap<>(Map.of("name", CompressedVlsv.VERSION_PARAMETER)),
          VlsvDataType.UINT, 4, 1, 1));
      for (String pop : pops) {
        out.add(new VlsvRewrite.NewArray(CompressedVlsv.SETTINGS, new LinkedHashMap<>(Map.of("name", pop)),
            VlsvDataType.UINT, 1, 1, parts.get(pop).settingsText().length));
      }
      for (String pop : pops) {
        byte[] m = parts.get(pop).model();
        if (m != null) {
          out.add(new VlsvRewrite.NewArray(CompressedVlsv.MODEL, new LinkedHashMap<>(Map.of("name", pop)),
              VlsvDataType.UINT, 1, 1, m.length));
        }
      }
      // the replacements are one for one, so the output has the template's arrays plus the appended ones
      out.add(FileChecksums.newArray(file.arrays().size() + out.size() + 1));
      return out;
    }

    private static Map<String, String> attrs(String pop) {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("mesh", "SpatialGrid");
      m.put("name", pop);
      return m;
    }
  }
}
