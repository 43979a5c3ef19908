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
import java.util.Set;
import java.util.function.LongToIntFunction;

/**
 * Writes a {@link CompressedVlsv} file from records held by the ranks: every array but the block data is copied from a
 * template (the restart the cells came from, or the file the simulation would have written), and each rank writes the
 * records of the cells it holds, in any number and any order. The ranks agree on every record's place with one
 * allreduce of the record lengths per population (in the template's cell order), so cells may be spread over the ranks
 * any way, e.g. as the simulation's load balancer left them. Every cell of the template must be held by exactly one
 * rank.
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
      // one allreduce: [record length of each cell | ranks holding it | ranks holding a cell the file does not list]
      long[] local = new long[2 * ids.length + 1];
      String problem = null;
      for (EncodedCell e : part.cells()) {
        int p = position.applyAsInt(e.cellId());
        if (p < 0) {
          problem = pop + " cell " + e.cellId() + " is held by a rank, but " + template.path().getFileName()
              + " does not list it";
          local[2 * ids.length] = 1;
          break;
        }
        local[p] = e.record().length;
        local[ids.length + p]++;
      }
      long[] sums = c.allreduceSum(local);
      if (sums[2 * ids.length] > 0) { // every rank sees the count, so all take part; the holder reports its own cell
        VlsvRewrite.agreeOrRethrow(problem == null ? null : new IllegalArgumentException(problem), "", c);
      }
      long[] all = Arrays.copyOfRange(sums, 0, ids.length);
      for (int i = 0; i < ids.length; i++) {
        long held = sums[ids.length + i];
        if (held != 1) {
          throw new IllegalArgumentException(pop + " cell " + ids[i] + " is held by " + held + " ranks; each cell of "
              + template.path().getFileName() + " needs exactly one");
        }
      }
      long[] start = new long[ids.length + 1];
      for (int i = 0; i < ids.length; i++) {
        start[i + 1] = start[i] + all[i];
      }
      totals.put(pop, start[ids.length]);
      int s = slot.get(pop);
      if (c.rank() == 0) {
        ByteBuffer index = ByteBuffer.allocate(8 * ids.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long len : all) {
          index.putLong(len);
        }
        parts.add(new VlsvRewrite.Part(s, 0, index.flip()));
      }
      for (EncodedCell e : part.cells()) {
        parts.add(new VlsvRewrite.Part(s + 1, start[position.applyAsInt(e.cellId())], e.bytes(), e.crc32c()));
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
