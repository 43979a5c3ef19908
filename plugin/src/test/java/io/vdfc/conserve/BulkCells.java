package io.vdfc.conserve;

import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VelocityMesh;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough of a VLSV reader for these tests (the project's reader lives elsewhere): the proton VDFs of a file with
 * float32 BLOCKVARIABLE, read through the footer's offsets (vlasiator-format.md §1, §3, §4).
 */
final class BulkCells {
  private static final Pattern TAG = Pattern.compile("<(\\w+) ([^>]*)>\\s*(\\d+)\\s*</\\1>");
  private static final Pattern ATTR = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  private BulkCells() {
    throw new AssertionError("no instances");
  }

  private record Array(long offset, long size, int vector, int width) {}

  /** The proton VDFs of the cells at the given positions of CELLSWITHBLOCKS. */
  static List<CellVdf> read(Path file, int... positions) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer head = read(ch, 0, 16);
      long footer = head.getLong(8);
      String xml = StandardCharsets.US_ASCII.decode(read(ch, footer, (int) (ch.size() - footer))).toString();
      Map<String, Array> arrays = new HashMap<>();
      Matcher m = TAG.matcher(xml);
      while (m.find()) {
        Map<String, String> attrs = new HashMap<>();
        Matcher a = ATTR.matcher(m.group(2));
        while (a.find()) {
          attrs.put(a.group(1), a.group(2));
        }
        String key = m.group(1) + "/" + attrs.getOrDefault("name", "") + "/" + attrs.getOrDefault("mesh", "");
        arrays.putIfAbsent(key, new Array(Long.parseLong(m.group(3)), Long.parseLong(attrs.get("arraysize")),
            Integer.parseInt(attrs.get("vectorsize")), Integer.parseInt(attrs.get("datasize"))));
      }
      Array bbox = arrays.get("MESH_BBOX//proton");
      ByteBuffer bb = read(ch, bbox.offset, 6 * bbox.width);
      int nx = (int) bb.getLong(0), ny = (int) bb.getLong(8), nz = (int) bb.getLong(16), wid = (int) bb.getLong(24);
      double[] min = new double[3];
      double[] dv = new double[3];
      int[] n = {nx, ny, nz};
      String[] axes = {"X", "Y", "Z"};
      for (int d = 0; d < 3; d++) {
        Array c = arrays.get("MESH_NODE_CRDS_" + axes[d] + "//proton");
        ByteBuffer cb = read(ch, c.offset, (int) (c.size * 8));
        min[d] = cb.getDouble(0);
        dv[d] = (cb.getDouble((int) (c.size - 1) * 8) - min[d]) / (n[d] * wid);
      }
      VelocityMesh mesh = new VelocityMesh("proton", nx, ny, nz, wid, min[0], min[1], min[2], dv[0], dv[1], dv[2]);
      Array cells = arrays.get("CELLSWITHBLOCKS/proton/SpatialGrid");
      Array counts = arrays.get("BLOCKSPERCELL/proton/SpatialGrid");
      Array ids = arrays.get("BLOCKIDS/proton/SpatialGrid");
      Array vars = arrays.get("BLOCKVARIABLE/proton/SpatialGrid");
      ByteBuffer cellIds = read(ch, cells.offset, (int) (cells.size * 8));
      ByteBuffer perCell = read(ch, counts.offset, (int) (counts.size * 4));
      long[] first = new long[(int) counts.size + 1];
      for (int p = 0; p < counts.size; p++) {
        first[p + 1] = first[p] + Integer.toUnsignedLong(perCell.getInt(p * 4));
      }
      int per = wid * wid * wid;
      List<CellVdf> out = new ArrayList<>();
      for (int p : positions) {
        int blocks = (int) (first[p + 1] - first[p]);
        ByteBuffer gb = read(ch, ids.offset + first[p] * 4, blocks * 4);
        ByteBuffer vb = read(ch, vars.offset + first[p] * per * 4L, blocks * per * 4);
        int[] gids = new int[blocks];
        float[] values = new float[blocks * per];
        for (int b = 0; b < blocks; b++) {
          gids[b] = gb.getInt(b * 4);
        }
        for (int i = 0; i < values.length; i++) {
          values[i] = vb.getFloat(i * 4);
        }
        out.add(new CellVdf(cellIds.getLong(p * 8), mesh, gids, values));
      }
      return out;
    }
  }

  private static ByteBuffer read(FileChannel ch, long at, int length) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    while (b.hasRemaining()) {
      if (ch.read(b, at + b.position()) < 0) {
        throw new IOException("unexpected end of file at " + (at + b.position()));
      }
    }
    return b.flip();
  }
}
