package io.vdfc.testing;

import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VelocityMesh;

/** The method study's VDF from the shared data ({@link io.vdfc.bench.StudyVdf} on {@code study-vdf/vdfData.bin}). */
public final class StudyVdf {
  public static final int N = io.vdfc.bench.StudyVdf.N;
  public static final int BLOCKS_PER_AXIS = io.vdfc.bench.StudyVdf.BLOCKS_PER_AXIS;

  private StudyVdf() {
    throw new AssertionError("no instances");
  }

  public static float[] dense() {
    return io.vdfc.bench.StudyVdf.dense(SharedData.file("study-vdf/vdfData.bin"));
  }

  public static VelocityMesh mesh() {
    return io.vdfc.bench.StudyVdf.mesh();
  }

  public static CellVdf cell() {
    return io.vdfc.bench.StudyVdf.cell(SharedData.file("study-vdf/vdfData.bin"));
  }
}
