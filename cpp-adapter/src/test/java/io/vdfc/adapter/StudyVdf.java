package io.vdfc.adapter;

import io.vdfc.testing.SharedData;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VelocityMesh;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The real VDF of the method study ({@code study-vdf/sample_vdf.bin.npy}: float64 (vz, vy, vx) 50^3 from a
 * Vlasiator bulk file) as one sparse cell: 13^3 blocks of 4^3 (the crop padded with zeros), blocks with any value
 * at or above Vlasiator's sparsity threshold 1e-16, in a shuffled (hash-map-like) order.
 */
final class StudyVdf {
  static final VelocityMesh MESH = new VelocityMesh("proton", 13, 13, 13, 4, -1.04e6, -1.04e6, -1.04e6, 4e4, 4e4, 4e4);

  private StudyVdf() {
    throw new AssertionError("no instances");
  }

  static CellVdf load(long cellId) throws IOException {
    ByteBuffer npy = ByteBuffer.wrap(Files.readAllBytes(SharedData.file("study-vdf/sample_vdf.bin.npy")))
        .order(ByteOrder.LITTLE_ENDIAN);
    int headerLen = Short.toUnsignedInt(npy.getShort(8));
    npy.position(10 + headerLen);
    double[] dense = new double[50 * 50 * 50];
    npy.asDoubleBuffer().get(dense);
    List<Integer> kept = new ArrayList<>();
    List<float[]> blocks = new ArrayList<>();
    for (int gid = 0; gid < MESH.blockCount(); gid++) {
      float[] b = new float[64];
      boolean any = false;
      for (int l = 0; l < 64; l++) {
        int x = MESH.blockI(gid) * 4 + l % 4, y = MESH.blockJ(gid) * 4 + (l / 4) % 4, z = MESH.blockK(gid) * 4 + l / 16;
        b[l] = x < 50 && y < 50 && z < 50 ? (float) dense[(z * 50 + y) * 50 + x] : 0f;
        any |= b[l] >= 1e-16f;
      }
      if (any) {
        kept.add(gid);
        blocks.add(b);
      }
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < kept.size(); i++) {
      order.add(i);
    }
    Collections.shuffle(order, new Random(42));
    int[] ids = new int[kept.size()];
    float[] values = new float[kept.size() * 64];
    for (int i = 0; i < order.size(); i++) {
      ids[i] = kept.get(order.get(i));
      System.arraycopy(blocks.get(order.get(i)), 0, values, i * 64, 64);
    }
    return new CellVdf(cellId, MESH, ids, values);
  }
}
