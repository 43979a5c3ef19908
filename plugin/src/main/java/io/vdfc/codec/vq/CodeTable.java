package io.vdfc.codec.vq;

import java.util.Arrays;

/**
 * The {@code K} decoded blocks of a model and the search for the code that fits a block best: the largest energy
 * removed by the code scaled by its least-squares non-negative factor, {@code max(0, <v, t>)^2 / |t|^2}.
 */
final class CodeTable {
  private static final int B = VqVae.BLOCK;

  final int codes;
  /** {@code table[k][l]}. */
  final float[][] table;
  final float[] norm2;
  /** The table transposed, {@code [l * K + k]}: the full search's axpy layout. */
  private final float[] tableT;

  CodeTable(float[][] table) {
    this.codes = table.length;
    this.table = table;
    norm2 = new float[codes];
    tableT = new float[B * codes];
    for (int k = 0; k < codes; k++) {
      float s = 0;
      for (int l = 0; l < B; l++) {
        s += table[k][l] * table[k][l];
        tableT[l * codes + k] = table[k][l];
      }
      norm2[k] = s;
    }
  }

  /**
   * The best code for the block {@code v[off .. off+64)} over all codes.
   *
   * @param dots work array of {@code K} values
   */
  int bestOfAll(float[] v, int off, float[] dots) {
    Arrays.fill(dots, 0f);
    for (int l = 0; l < B; l++) {
      float vl = v[off + l];
      if (vl == 0f) {
        continue;
      }
      int tb = l * codes;
      for (int k = 0; k < codes; k++) {
        dots[k] += vl * tableT[tb + k];
      }
    }
    int best = 0;
    float bestGain = -1;
    for (int k = 0; k < codes; k++) {
      float gain = gain(dots[k], k);
      if (gain > bestGain) {
        bestGain = gain;
        best = k;
      }
    }
    return best;
  }

  /** The best code for the block over the first {@code n} codes of {@code candidates} only. */
  int bestOf(float[] v, int off, int[] candidates, int n) {
    int best = candidates[0];
    float bestGain = -1;
    for (int c = 0; c < n; c++) {
      int k = candidates[c];
      float[] t = table[k];
      float dot = 0;
      for (int l = 0; l < B; l++) {
        dot += v[off + l] * t[l];
      }
      float gain = gain(dot, k);
      if (gain > bestGain) {
        bestGain = gain;
        best = k;
      }
    }
    return best;
  }

  private float gain(float dot, int k) {
    return dot > 0 && norm2[k] > 0 ? dot * dot / norm2[k] : 0f;
  }
}
