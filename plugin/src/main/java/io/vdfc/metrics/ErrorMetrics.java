package io.vdfc.metrics;

import io.vdfc.vdf.CellVdf;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Every per-cell error figure of {@code shared/notes/metrics.md}, comparing an original cell with its reconstruction.
 * A block present on one side only counts as zeros on the other.
 *
 * @param errN {@code |n'-n|/n}
 * @param errV {@code |V'-V|/v_th}
 * @param errAbsV the study's {@code abs(|V'|-|V|)/|V|}
 * @param errP {@code |P'-P|_F / |P|_F}
 * @param errPdiag the three {@code |P'_ii-P_ii|/P_ii}
 * @param l1 {@code sum|f'-f| / sum|f|}
 * @param l2 {@code |f'-f|_2 / |f|_2}
 * @param maxAbs {@code max|f'-f|} over the union of both block sets
 * @param neg velocity cells with {@code f' < 0} where {@code f >= 0}
 */
public record ErrorMetrics(
    double errN, double errV, double errAbsV, double errP, double[] errPdiag,
    double l1, double l2, double maxAbs, long neg, Moments original, Moments reconstructed) {

  public static ErrorMetrics compare(CellVdf original, CellVdf reconstruction) {
    int per = original.mesh().cellsPerBlock();
    int[] recIds = reconstruction.blockIds();
    // the same blocks in the same order (a codec's reconstruction, CellVdf.withValues): block b is block b, no lookup
    boolean sameBlocks = recIds == original.blockIds() || Arrays.equals(recIds, original.blockIds());
    Map<Integer, Integer> recIndex = new HashMap<>(sameBlocks ? 0 : reconstruction.blockCount() * 2);
    for (int b = 0; b < recIds.length && !sameBlocks; b++) {
      recIndex.put(recIds[b], b);
    }
    float[] f = original.values();
    float[] g = reconstruction.values();
    if (sameBlocks && Arrays.equals(f, g)) {
      // the same values (a lossless record): every error is 0, also where NaN or Inf make the sums below NaN (a cell with
      // NaN/Inf values is stored losslessly, and verify reported NaN for it)
      Moments m = Moments.of(original);
      return new ErrorMetrics(0, 0, 0, 0, new double[3], 0, 0, 0, 0, m, m);
    }
    double sumAbs = 0, sumAbsDiff = 0, sumSq = 0, sumSqDiff = 0, maxAbs = 0;
    long neg = 0;
    boolean[] matched = new boolean[recIds.length];
    int[] ids = original.blockIds();
    for (int b = 0; b < ids.length; b++) {
      int rb = sameBlocks ? b : recIndex.getOrDefault(ids[b], -1);
      if (rb >= 0) {
        matched[rb] = true;
      }
      for (int l = 0; l < per; l++) {
        double a = f[b * per + l];
        double r = rb < 0 ? 0 : g[rb * per + l];
        double d = Math.abs(r - a);
        sumAbs += Math.abs(a);
        sumSq += a * a;
        sumAbsDiff += d;
        sumSqDiff += d * d;
        maxAbs = Math.max(maxAbs, d);
        if (r < 0 && a >= 0) {
          neg++;
        }
      }
    }
    for (int rb = 0; rb < recIds.length; rb++) {
      if (matched[rb]) {
        continue;
      }
      for (int l = 0; l < per; l++) {
        double r = g[rb * per + l];
        sumAbsDiff += Math.abs(r);
        sumSqDiff += r * r;
        maxAbs = Math.max(maxAbs, Math.abs(r));
        if (r < 0) {
          neg++;
        }
      }
    }
    Moments m = Moments.of(original);
    Moments m2 = Moments.of(reconstruction);
    MomentErrors e = MomentErrors.of(m, m2);
    double absV = Math.sqrt(m.vx() * m.vx() + m.vy() * m.vy() + m.vz() * m.vz());
    double absV2 = Math.sqrt(m2.vx() * m2.vx() + m2.vy() * m2.vy() + m2.vz() * m2.vz());
    double[] pdiag = new double[3];
    for (int i = 0; i < 3; i++) {
      pdiag[i] = ratio(Math.abs(m2.pressure()[i] - m.pressure()[i]), Math.abs(m.pressure()[i]));
    }
    return new ErrorMetrics(
        e.errN(),
        e.errV(),
        ratio(Math.abs(absV2 - absV), absV),
        e.errP(),
        pdiag,
        ratio(sumAbsDiff, sumAbs),
        ratio(Math.sqrt(sumSqDiff), Math.sqrt(sumSq)),
        maxAbs,
        neg,
        m,
        m2);
  }

  /**
   * The three moment errors of the per-cell budgets ({@code max_err_n}, {@code max_err_V}, {@code max_err_P}), as
   * {@link #compare} defines them, from the two cells' moments alone.
   */
  public record MomentErrors(double errN, double errV, double errP) {
    public static MomentErrors of(Moments original, Moments reconstructed) {
      Moments m = original, m2 = reconstructed;
      double dvx = m2.vx() - m.vx(), dvy = m2.vy() - m.vy(), dvz = m2.vz() - m.vz();
      double[] dp = new double[6];
      for (int i = 0; i < 6; i++) {
        dp[i] = m2.pressure()[i] - m.pressure()[i];
      }
      return new MomentErrors(ratio(Math.abs(m2.n() - m.n()), Math.abs(m.n())),
          ratio(Math.sqrt(dvx * dvx + dvy * dvy + dvz * dvz), m.thermalSpeed()),
          ratio(new Moments(0, 0, 0, 0, dp).pressureNorm(), m.pressureNorm()));
    }
  }

  /** {@code a/b}, with 0/0 = 0 (an empty cell reproduced exactly) and x/0 = infinity. */
  static double ratio(double a, double b) {
    if (a == 0) {
      return 0;
    }
    return b == 0 ? Double.POSITIVE_INFINITY : a / b;
  }
}
