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
import java.util.function.IntToLongFunction;
import java.util.function.LongToIntFunction;

/**
 * Writes a {@link CompressedVlsv} file from records held by the ranks: every array but the block data is copied from a
 * template (the restart the cells came from, or the file the simulation would have written), and each rank writes the
 * records of the cells it holds, in any number and any order. Every cell of the template must be held by exactly one
 * rank. The records lie in the template's cell order. The ranks agree on their places per population in one exchange
 * of each rank's runs of consecutive cells ({@link #place}): 24 bytes a run, whatever the number of cells in it. The
 * restart commands give each rank one run ({@link CellPartition}); cells that a load balancer moved form more runs;
 * cells dealt out one by one cost one run a cell, 24 bytes a cell on every rank. No rank handles a value for every cell
 * of the file. Each rank writes the index entries and records of its own runs. The file is the same whichever way the
 * cells are spread.
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
      totals.put(pop, place(template, pop, ids, held, at, s, parts, c));
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
   * Places this rank's records of one population and adds their parts (index entries and records) to {@code parts}.
   * This rank's cells, taken in the template's order, fall into runs of consecutive cells (one run when they are a
   * {@link CellPartition} range; one run per cell at worst). One agreement exchanges every rank's runs as {@code [lo,
   * hi, bytes]} (24 bytes a run) together with whether it holds a cell the template does not list. Every rank then
   * sorts all runs by their first cell and checks that they tile the cells exactly once. Each run's records start where
   * the records of the runs before it end: an exclusive scan over the runs in the file's order. Each rank writes the
   * index entries and records of its own runs. Every rank reaches the same answer, or the same error naming the first
   * cell held by no rank or by several. A rank holding a cell the template does not list, or one cell twice, names
   * that cell, and the others stop with its message.
   *
   * @param at each of this rank's cells' place in the template's order (-1: not in it)
   * @param s the population's index array in the plan's list of new arrays; its records array is {@code s + 1}
   * @return the records' total bytes over all ranks
   */
  private static long place(VlsvFile template, String pop, long[] ids, List<EncodedCell> mine, int[] at, int s,
      List<VlsvRewrite.Part> parts, Collectives c) {
    String own = null; // what is wrong with this rank's own cells, which it names to every rank
    for (int i = 0; i < at.length && own == null; i++) {
      if (at[i] < 0) {
        own = pop + " cell " + mine.get(i).cellId() + " is held by a rank, but " + template.path().getFileName()
            + " does not list it";
      }
    }
    int[] order = own == null ? ascending(at.length, i -> at[i]) : new int[0]; // this rank's cells in file order
    for (int k = 1; k < order.length && own == null; k++) {
      if (at[order[k]] == at[order[k - 1]]) {
        own = pop + " cell " + mine.get(order[k]).cellId() + " is held twice by one rank" + oneEach(template);
      }
    }
    ByteBuffer runs = runsOf(at, own == null ? order : new int[0], mine);
    byte[][] all;
    try {
      all = VlsvRewrite.agree(own == null ? null : "rank " + c.rank() + ": " + own, runs.array(), c);
    } catch (Collectives.CollectiveFailure f) {
      if (own != null) {
        throw new IllegalArgumentException(own, f); // the rank holding the cells names the fault itself
      }
      throw f;
    }
    long[] start = scan(all, c.rank(), pop, ids, template);
    for (int q = 0, k = 0; q < start.length - 1; q++) { // this rank's runs, their cells order[k..]
      int cells = (int) (runs.getLong(RUN_BYTES * q + 8) - runs.getLong(RUN_BYTES * q));
      ByteBuffer index = ByteBuffer.allocate(8 * cells).order(ByteOrder.LITTLE_ENDIAN); // filled below, in place
      parts.add(new VlsvRewrite.Part(s, 8 * runs.getLong(RUN_BYTES * q), index));
      long offset = start[q];
      for (int j = 0; j < cells; j++, k++) {
        EncodedCell e = mine.get(order[k]);
        index.putLong(8 * j, e.record().length);
        parts.add(new VlsvRewrite.Part(s + 1, offset, e.bytes(), e.crc32c()));
        offset += e.record().length;
      }
    }
    return start[start.length - 1];
  }

  /** Bytes of one run in the placement's exchange: first cell, one past the last cell, record bytes. */
  private static final int RUN_BYTES = 24;

  /**
   * The indices {@code 0..n-1} in ascending order of {@code key} (below 2^31), equal keys in index order; no sort when
   * they are in that order already, as a rank's cells and the ranks' runs usually are.
   */
  private static int[] ascending(int n, IntToLongFunction key) {
    int[] order = new int[n];
    boolean sorted = true;
    for (int i = 0; i < n; i++) {
      order[i] = i;
      sorted &= i == 0 || key.applyAsLong(i) >= key.applyAsLong(i - 1);
    }
    if (!sorted) {
      long[] keys = new long[n];
      for (int i = 0; i < n; i++) {
        keys[i] = key.applyAsLong(i) << 32 | i;
      }
      Arrays.sort(keys);
      for (int i = 0; i < n; i++) {
        order[i] = (int) keys[i];
      }
    }
    return order;
  }

  /**
   * This rank's runs as the exchange carries them: {@code [lo, hi, bytes]} for each stretch of consecutive places in
   * {@code at}, taken in {@code order}.
   */
  private static ByteBuffer runsOf(int[] at, int[] order, List<EncodedCell> mine) {
    int runs = 0;
    for (int k = 0; k < order.length; k++) {
      runs += startsRun(at, order, k) ? 1 : 0;
    }
    ByteBuffer out = ByteBuffer.allocate(RUN_BYTES * runs).order(ByteOrder.LITTLE_ENDIAN);
    for (int k = 0; k < order.length; k++) {
      if (startsRun(at, order, k)) {
        out.putLong(at[order[k]]).putLong(at[order[k]]).putLong(0); // hi and bytes grow as the run does
      }
      int last = out.position() - RUN_BYTES;
      long bytes = out.getLong(last + 16) + mine.get(order[k]).record().length;
      out.putLong(last + 8, at[order[k]] + 1L).putLong(last + 16, bytes);
    }
    return out;
  }

  /** Whether the {@code k}-th of this rank's cells in file order does not follow the one before it in the file. */
  private static boolean startsRun(int[] at, int[] order, int k) {
    return k == 0 || at[order[k]] != at[order[k - 1]] + 1;
  }

  /**
   * The exclusive scan of every rank's runs ({@code all[r]}: rank r's, from {@link #runsOf}) in the file's order, after
   * checking that they tile the template's cells ({@code ids}) exactly once. The same on every rank.
   *
   * @return where each of rank {@code rank}'s runs' records start, then the records' total bytes over all ranks
   * @throws IllegalArgumentException naming the first cell held by no rank or by several
   */
  private static long[] scan(byte[][] all, int rank, String pop, long[] ids, VlsvFile template) {
    // every run of every rank, [lo, hi, bytes] at 3q (q: its number in rank order; flat: cells dealt out one by one make
    // a run a cell)
    int total = 0, firstOfMine = 0;
    for (int r = 0; r < all.length; r++) {
      firstOfMine = r == rank ? total : firstOfMine;
      total += all[r].length / RUN_BYTES;
    }
    long[] run = new long[3 * total];
    for (int r = 0, q = 0; r < all.length; r++) {
      ByteBuffer b = ByteBuffer.wrap(all[r]).order(ByteOrder.LITTLE_ENDIAN);
      for (; b.hasRemaining(); q++) {
        for (int j = 0; j < 3; j++) {
          run[3 * q + j] = b.getLong();
        }
      }
    }
    int mine = all[rank].length / RUN_BYTES;
    long[] start = new long[mine + 1];
    long next = 0;
    for (int q : ascending(total, q -> run[3 * q])) { // the runs in the file's order
      if (run[3 * q] != next) {
        long cell = Math.min(run[3 * q], next); // a gap at next (held by nobody), or an overlap from lo on
        throw new IllegalArgumentException(heldBy(pop, ids[(int) cell], cell == next ? 0 : holders(run, cell),
            template));
      }
      if (q >= firstOfMine && q < firstOfMine + mine) {
        start[q - firstOfMine] = start[mine];
      }
      next = run[3 * q + 1];
      start[mine] += run[3 * q + 2];
    }
    if (next != ids.length) {
      throw new IllegalArgumentException(heldBy(pop, ids[(int) next], 0, template));
    }
    return start;
  }

  private static String heldBy(String pop, long cellId, int holders, VlsvFile template) {
    return pop + " cell " + cellId + " is held by " + holders + " ranks" + oneEach(template);
  }

  /** The rule that a placement error breaks, as the end of its message. */
  private static String oneEach(VlsvFile template) {
    return "; each cell of " + template.path().getFileName() + " needs exactly one";
  }

  /** How many runs hold {@code cell} (only called for a cell held more than once). */
  private static int holders(long[] runs, long cell) {
    int n = 0;
    for (int q = 0; q < runs.length; q += 3) {
      n += runs[q] <= cell && cell < runs[q + 1] ? 1 : 0;
    }
    return n;
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
