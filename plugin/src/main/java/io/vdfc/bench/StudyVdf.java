package io.vdfc.bench;

import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VelocityMesh;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The method study's VDF ({@code study-vdf/vdfData.bin}: 50^3 little-endian float64, float32-exact, {@code a[z][y][x]})
 * as a sparse cell: zero-padded to 52^3, cut into the 13^3 blocks of 4^3 cells of a mesh with dv = 1, all-zero blocks
 * dropped, blocks in ID order. The study measured ratios against the dense float32 box, {@link #REFERENCE_BYTES}.
 */
public final class StudyVdf {
  public static final int N = 50;
  public static final int BLOCKS_PER_AXIS = 13;
  /** The study's reference size: 50^3 float32 values. */
  public static final long REFERENCE_BYTES = 4L * N * N * N;

  private StudyVdf() {
    throw new AssertionError("no instances");
  }

  /** The dense 50^3 box as float32, x fastest. */
  public static float[] dense(Path file) {
    try {
      byte[] raw = Files.readAllBytes(file);
      if (raw.length != N * N * N * 8) {
        throw new IllegalArgumentException(file + ": " + raw.length + " bytes, expected " + N * N * N * 8
            + " (50^3 little-endian float64)");
      }
      ByteBuffer bb = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
      float[] out = new float[N * N * N];
      for (int i = 0; i < out.length; i++) {
        out[i] = (float) bb.getDouble(8 * i);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static VelocityMesh mesh() {
    int nb = BLOCKS_PER_AXIS;
    return new VelocityMesh("proton", nb, nb, nb, 4, 0, 0, 0, 1, 1, 1);
  }

  /** The non-zero blocks as one cell. */
  public static CellVdf cell(Path file) {
    float[] d = dense(file);
    int nb = BLOCKS_PER_AXIS;
    int[] ids = new int[nb * nb * nb];
    float[] vals = new float[nb * nb * nb * 64];
    int count = 0;
    for (int bk = 0; bk < nb; bk++) {
      for (int bj = 0; bj < nb; bj++) {
        for (int bi = 0; bi < nb; bi++) {
          boolean any = false;
          int base = count * 64;
          for (int l = 0; l < 64; l++) {
            int x = bi * 4 + (l & 3);
            int y = bj * 4 + ((l >> 2) & 3);
            int z = bk * 4 + (l >> 4);
            float v = x < N && y < N && z < N ? d[x + N * (y + N * z)] : 0f;
            vals[base + l] = v;
            any |= v != 0;
          }
          if (any) {
            ids[count++] = bi + nb * (bj + nb * bk);
          }
        }
      }
    }
    return new CellVdf(356780649L, mesh(), Arrays.copyOf(ids, count), Arrays.copyOf(vals, count * 64));
  }
}
