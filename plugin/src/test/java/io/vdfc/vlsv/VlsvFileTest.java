package io.vdfc.vlsv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vdfc.testing.SharedData;
import io.vdfc.testing.VlsvSamples;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

class VlsvFileTest {
  @TempDir Path tmp;

  @TestFactory
  Stream<DynamicTest> everySampleOpensAndEveryArrayLiesInTheDataSection() {
    return VlsvSamples.all().stream().map(p -> DynamicTest.dynamicTest(VlsvSamples.name(p), () -> {
      try (VlsvFile f = VlsvFile.open(p)) {
        assertEquals(Files.size(p), f.size());
        assertFalse(f.arrays().isEmpty());
        for (int i = 0; i < f.arrays().size(); i++) {
          VlsvArray a = f.arrays().get(i);
          assertEquals(i, a.index());
          assertTrue(a.offset() >= 16 && a.offset() + a.byteSize() <= f.footerOffset(), a.toString());
          assertTrue(a.attributes().keySet().containsAll(
              List.of("arraysize", "vectorsize", "datatype", "datasize")), a.toString());
        }
      }
    }));
  }

  @TestFactory
  Stream<DynamicTest> everySampleCopiesByteIdentical() {
    return VlsvSamples.all().stream().map(p -> DynamicTest.dynamicTest(VlsvSamples.name(p), () -> {
      Path dst = tmp.resolve(p.getFileName());
      try (VlsvFile f = VlsvFile.open(p)) {
        assertEquals(List.of(), VlsvCopy.deviations(f), "sample is in Vlasiator's canonical form");
        VlsvCopy.copy(f, dst);
      }
      assertEquals(Files.size(p), Files.size(dst));
      assertEquals(-1L, Files.mismatch(p, dst), "copy of " + p + " differs");
      Files.delete(dst);
    }));
  }

  @Test
  void givenAnotherFilesEntryWhenReadThenRefusedAndAnEqualCopyOfOwnEntryIsRead() throws Exception {
    Path a = tmp.resolve("a.vlsv");
    Path b = tmp.resolve("b.vlsv");
    for (Path p : List.of(a, b)) {
      try (VlsvWriter w = VlsvWriter.create(p)) {
        long n = p == a ? 3 : 4;
        ByteBuffer data = ByteBuffer.allocate((int) (8 * n)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (long i = 0; i < n; i++) {
          data.putLong(i + 1);
        }
        w.writeArray("VARIABLE", Map.of("name", "x"), VlsvDataType.UINT, 8, 1, n, data.flip());
        w.finish();
      }
    }
    try (VlsvFile fa = VlsvFile.open(a); VlsvFile fb = VlsvFile.open(b)) {
      VlsvArray own = fa.arrays().get(0);
      VlsvArray copy = new VlsvArray(own.index(), own.tag(), own.attributes(), own.offset(), own.arraySize(),
          own.vectorSize(), own.dataType(), own.dataSize());
      assertArrayEquals(new long[] {1, 2, 3}, fa.readLongs(copy)); // equal, though not the same object
      VlsvFormatException e = org.junit.jupiter.api.Assertions.assertThrows(VlsvFormatException.class,
          () -> fa.readLongs(fb.arrays().get(0)));
      assertTrue(e.getMessage().contains("is not an array of this file"), e.getMessage());
    }
  }

  @Test
  void headerAndFooterOfFullfAreAsDocumented() throws Exception {
    try (VlsvFile f = VlsvFile.open(SharedData.file("vlsvrs/fullf.0000001.vlsv"))) {
      assertEquals(740_541, f.footerOffset());
      assertEquals(749_829, f.size());
      VlsvArray ids = f.find("BLOCKIDS", Map.of("name", "proton")).orElseThrow();
      assertEquals(11_389, ids.offset());
      assertEquals(1390, ids.arraySize());
      assertEquals(VlsvDataType.UINT, ids.dataType());
      assertEquals(List.of("arraysize", "datasize", "datatype", "mesh", "name", "vectorsize"),
          new ArrayList<>(ids.attributes().keySet()), "attributes in footer order");
      assertTrue(f.footerText().startsWith("<VLSV>\n   <BLOCKIDS arraysize=\"1390\""));
      assertTrue(f.readText(f.find("CONFIG", Map.of()).orElseThrow()).contains("minValue"));
      assertFalse(f.readText(f.find("VERSION", Map.of()).orElseThrow()).isEmpty());
      assertEquals(2, f.findAll("BLOCKVARIABLE", Map.of()).size());
    }
  }

  @Test
  void integersAreReadWhateverTheirStoredTypeAndWidth() throws Exception {
    // MESH_BBOX types vary between versions ((int,8) for fsgrid in fullf, (uint,8) elsewhere): all decode alike
    for (String name : List.of("vlsv_data/bulk.1d.vlsv", "vlsvrs/fullf.0000001.vlsv", "vlsv_data/bulk.2d.vlsv")) {
      try (VlsvFile f = VlsvFile.open(SharedData.file(name))) {
        for (VlsvArray bb : f.findAll("MESH_BBOX", Map.of())) {
          long[] v = f.readLongs(bb);
          assertEquals(6, v.length, name + " " + bb);
          for (long x : v) {
            assertTrue(x >= 1 && x < 1_000_000, name + " " + bb + " value " + x);
          }
          double[] d = f.readDoubles(bb);
          for (int i = 0; i < v.length; i++) {
            assertEquals(v[i], d[i], 0.0);
          }
        }
      }
    }
  }

  @Test
  void elementRangesMatchTheWholeArray() throws Exception {
    try (VlsvFile f = VlsvFile.open(SharedData.realRestart())) {
      VlsvArray v = f.find("BLOCKVARIABLE", Map.of("name", "proton")).orElseThrow();
      float[] all = f.readFloats(v);
      assertEquals(141_275L * 64, all.length);
      float[] part = f.readFloats(v, 70_000, 1000);
      float[] expected = new float[1000 * 64];
      System.arraycopy(all, 70_000 * 64, expected, 0, expected.length);
      assertArrayEquals(expected, part);
      // the float reads go through a window of a few blocks; the byte read of the same range is one buffer
      ByteBuffer raw = f.read(v, 70_000, 1000);
      float[] fromBytes = new float[expected.length];
      raw.asFloatBuffer().get(fromBytes);
      assertArrayEquals(fromBytes, part);
    }
  }

  @Test
  void parametersOfModernAndLegacyFiles() throws Exception {
    try (VlsvFile f = VlsvFile.open(SharedData.realRestart())) {
      assertEquals(685, f.parameter("timestep").orElseThrow(), 0.0);
      assertEquals(100.02, f.parameter("time").orElseThrow(), 0.01);
      assertTrue(f.parameter("no_such_parameter").isEmpty());
    }
    try (VlsvFile f = VlsvFile.open(SharedData.file("vlasiator-legacy/Fluctuations_small.grid.0000010.vlsv"))) {
      // 2013 <PARAMETERS name="t" value="10">: the binary holds the accumulated time 9.99999999999998
      assertEquals(10, f.parameter("t").orElseThrow(), 1e-9);
      assertEquals(100, f.parameter("tstep").orElseThrow(), 0.0);
    }
  }
}
