package io.vdfc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vdfc.restart.CompressedVlsv;
import io.vdfc.testing.SharedData;
import io.vdfc.vlsv.VlsvArray;
import io.vdfc.vlsv.VlsvFile;
import io.vdfc.vlsv.VlsvWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A candidate whose cells hold other blocks than the original's (another tool dropped one) is judged by the error
 * metrics, where a missing block counts as zeros (metrics.md); verify called it a difference of non-VDF content,
 * because the number of blocks per cell lives in BLOCKSPERCELL, which it compared as non-VDF content.
 */
class VerifyBlockSetTest {
  @TempDir Path tmp;

  @Test
  void aCandidateMissingABlockDiffersInItsVdfsOnly() throws Exception {
    Path cand = tmp.resolve("dropped.vlsv");
    float droppedPeak = 0;
    try (VlsvFile in = VlsvFile.open(SharedData.realRestart()); VlsvWriter w = VlsvWriter.create(cand)) {
      Map<String, String> pop = Map.of("name", "proton");
      VlsvArray bpc = in.require(CompressedVlsv.BLOCKSPERCELL, pop);
      VlsvArray ids = in.require(CompressedVlsv.BLOCKIDS, pop);
      VlsvArray vals = in.require(CompressedVlsv.BLOCKVARIABLE, pop);
      for (float v : in.readFloats(vals, vals.arraySize() - 1, 1)) {
        droppedPeak = Math.max(droppedPeak, v);
      }
      for (VlsvArray a : in.dataOrder()) {
        if (a.equals(bpc)) { // the last cell loses its last block
          ByteBuffer b = in.read(a).order(ByteOrder.LITTLE_ENDIAN);
          int last = (int) a.arraySize() - 1;
          b.putInt(4 * last, b.getInt(4 * last) - 1);
          w.writeArray(a.tag(), own(a), a.dataType(), a.dataSize(), a.vectorSize(), a.arraySize(), b);
        } else if (a.equals(ids) || a.equals(vals)) {
          w.writeArray(a.tag(), own(a), a.dataType(), a.dataSize(), a.vectorSize(), a.arraySize() - 1,
              in.read(a, 0, (int) a.arraySize() - 1));
        } else {
          w.copyArray(in, a);
        }
      }
      w.finish();
    }
    Object[] r = CliTest.run("verify", SharedData.realRestart().toString(), cand.toString(), "--json");
    assertEquals(0, r[0], r[1] + "\n" + r[2]);
    String json = (String) r[1];
    assertTrue(json.matches("(?s).*\"non_vdf_identical\":\\s*true.*"), json);
    assertTrue(json.matches("(?s).*\"failed_checks\":\\s*\\[\\s*\\].*"), json);
    Matcher m = Pattern.compile("\"max_abs\":\\s*([-+0-9.eE]+)").matcher(json);
    assertTrue(m.find(), json);
    assertTrue(droppedPeak > 0, "the dropped block holds mass");
    assertEquals(droppedPeak, Double.parseDouble(m.group(1)), 1e-6 * droppedPeak, "the largest error is the dropped "
        + "block's peak");
  }

  /** The caller's attributes of {@code a}: those the writer adds (sizes, type) left out. */
  private static Map<String, String> own(VlsvArray a) {
    Map<String, String> m = new LinkedHashMap<>(a.attributes());
    m.keySet().removeAll(List.of(VlsvArray.ARRAYSIZE, VlsvArray.VECTORSIZE, VlsvArray.DATATYPE, VlsvArray.DATASIZE));
    return m;
  }
}
