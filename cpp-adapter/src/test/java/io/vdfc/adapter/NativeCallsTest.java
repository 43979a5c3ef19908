package io.vdfc.adapter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vdfc.adapter.NativeExports.MeshStruct;
import io.vdfc.vdf.CellVdf;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.LongPointer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bodies of the C exports on native memory: zero-copy views in, caller buffers out, failures as codes. */
class NativeCallsTest {
  @TempDir Path dir;

  @BeforeAll
  static void load() {
    Loader.load(NativeExports.class);
  }

  private static BytePointer c(String s) {
    return new BytePointer(s);
  }

  @Test
  void realCellThroughNativeMemoryAndErrorsAsCodes() throws Exception {
    CellVdf real = StudyVdf.load(11);
    Path cfg = Files.writeString(dir.resolve("v.cfg"), AdapterSessionTest.ZFPB_CONFIG);
    LongPointer session = new LongPointer(1);
    assertEquals(Status.OK, NativeExports.guard("open", () -> NativeCalls.open(c(cfg.toString()), null, session)));
    long s = session.get();
    MeshStruct mesh = new MeshStruct();
    // Written through the C struct's bytes (int32 x4, then double x6), as a C caller lays it out.
    new BytePointer(mesh).capacity(64).putInt(0, 13).putInt(4, 13).putInt(8, 13).putInt(12, 4)
        .putDouble(16, -1.04e6).putDouble(24, -1.04e6).putDouble(32, -1.04e6)
        .putDouble(40, 4e4).putDouble(48, 4e4).putDouble(56, 4e4);
    assertEquals(Status.OK, NativeExports.guard("def", () -> NativeCalls.definePopulation(s, c("proton"), mesh)));

    IntPointer ids = new IntPointer(real.blockIds());
    FloatPointer values = new FloatPointer(real.values());
    LongPointer handle = new LongPointer(1);
    assertEquals(Status.OK, NativeExports.guard("compress", () ->
        NativeCalls.compressCell(s, 11, c("proton"), ids, values, real.blockCount(), handle)));
    ids.deallocate();  // the host frees its blocks: the session must not need them any more
    values.deallocate();

    IntPointer outIds = new IntPointer(real.blockCount());
    FloatPointer outValues = new FloatPointer(real.values().length);
    IntPointer n = new IntPointer(1);
    assertEquals(Status.OK, NativeExports.guard("decompress", () ->
        NativeCalls.decompressCell(s, handle.get(), outIds, outValues, real.blockCount(), n)));
    assertEquals(real.blockCount(), n.get());
    int[] gotIds = new int[real.blockCount()];
    float[] got = new float[real.values().length];
    outIds.get(gotIds);
    outValues.get(got);
    assertArrayEquals(real.blockIds(), gotIds);
    DoublePointer bound = new DoublePointer(1);
    assertEquals(Status.OK, NativeExports.guard("bound", () -> NativeCalls.cellBound(s, handle.get(), bound)));
    assertEquals(1e-16, bound.get(), 0, "tolerance = minValue of [proton_sparse]");
    for (int i = 0; i < got.length; i++) {
      assertTrue(Math.abs((double) got[i] - real.values()[i]) <= bound.get(), "value " + i);
    }
    BytePointer text = new BytePointer(256);
    assertEquals(Status.OK, NativeExports.guard("cv", () -> NativeCalls.configValue(s, c("codec"), text, 256)));
    assertEquals("zfpb", text.limit(0).getString(StandardCharsets.UTF_8), "NUL-terminated");
    assertEquals(Status.CAPACITY, NativeExports.guard("cv", () -> NativeCalls.configValue(s, c("codec"), text, 4)));

    assertEquals(Status.CAPACITY, NativeExports.guard("vdfc_decompress_cell", () ->
        NativeCalls.decompressCell(s, handle.get(), outIds, outValues, 3, n)));
    assertTrue(NativeExports.lastError().startsWith("E_CAPACITY: vdfc_decompress_cell: handle "),
        NativeExports.lastError());
    assertEquals(Status.ARGUMENT, NativeExports.guard("x", () ->
        NativeCalls.compressCell(s, 12, c("electron"), outIds, outValues, 1, handle)));
    assertTrue(NativeExports.lastError().contains("electron"), NativeExports.lastError());
    assertEquals(Status.ARGUMENT, NativeExports.guard("x", () ->
        NativeCalls.compressCell(s, 12, c("proton"), new IntPointer(), outValues, 1, handle)));
    assertTrue(NativeExports.lastError().contains("block_ids is NULL"), NativeExports.lastError());
    // population names: invalid UTF-8 had become replacement characters (two names, one population), empty and
    // megabyte names were taken
    for (byte[] name : new byte[][] {{(byte) 0xff, (byte) 0xfe, 0}, {0}, new byte[NativeCalls.MAX_POPULATION_BYTES + 2]}) {
      if (name.length > 3) {
        java.util.Arrays.fill(name, 0, name.length - 1, (byte) 'p');
      }
      assertEquals(Status.ARGUMENT, NativeExports.guard("def", () ->
          NativeCalls.definePopulation(s, new BytePointer(name.length).put(name), mesh)));
      assertTrue(NativeExports.lastError().contains("population name is "), NativeExports.lastError());
    }
    assertTrue(NativeExports.lastError().contains("longer than 256 bytes"), NativeExports.lastError());
    assertEquals(Status.CONFIG, NativeExports.guard("x", () ->
        NativeCalls.open(c(dir.resolve("missing.cfg").toString()), null, session)));
    assertEquals(Status.OK, NativeExports.guard("close", () -> NativeCalls.close(s)));
    assertEquals(Status.HANDLE, NativeExports.guard("x", () -> NativeCalls.release(s, handle.get())));

    BytePointer message = new BytePointer(16);
    int status = new NativeExports.LastError().call(message, 16);
    assertEquals(Status.HANDLE, status);
    assertEquals("x: no open sess", message.limit(0).getString(StandardCharsets.UTF_8), "truncated, NUL-terminated");
  }
}
