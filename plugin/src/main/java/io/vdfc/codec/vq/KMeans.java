package io.vdfc.codec.vq;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Seeded k-means (k-means++ initialisation, Lloyd iterations) on points of one dimension (the VQ-VAE's encoder
 * outputs, to start its codebook). Deterministic: assignments are independent per point (computed in parallel),
 * centroid sums are accumulated in point order.
 */
final class KMeans {
  private KMeans() {
    throw new AssertionError("no instances");
  }

  static float[][] train(float[][] shapes, int k, int iterations, long seed) {
    int n = shapes.length;
    int dim = shapes[0].length;
    k = Math.max(1, Math.min(k, n));
    SplittableRandom r = new SplittableRandom(seed);
    float[][] c = new float[k][];
    c[0] = shapes[r.nextInt(n)].clone();
    double[] d2 = new double[n];
    Arrays.fill(d2, Double.MAX_VALUE);
    for (int j = 1; j < k; j++) {
      float[] last = c[j - 1];
      double sum = 0;
      for (int i = 0; i < n; i++) {
        d2[i] = Math.min(d2[i], dist2(shapes[i], last));
        sum += d2[i];
      }
      double pick = r.nextDouble() * sum;
      int chosen = n - 1;
      for (int i = 0; i < n; i++) {
        pick -= d2[i];
        if (pick <= 0) {
          chosen = i;
          break;
        }
      }
      c[j] = shapes[chosen].clone();
    }
    int[] assign = new int[n];
    for (int it = 0; it < iterations; it++) {
      final float[][] cc = c;
      IntStream.range(0, n).parallel().forEach(i -> assign[i] = nearest(cc, shapes[i]));
      double[][] sum = new double[k][dim];
      int[] count = new int[k];
      for (int i = 0; i < n; i++) {
        count[assign[i]]++;
        double[] s = sum[assign[i]];
        for (int l = 0; l < dim; l++) {
          s[l] += shapes[i][l];
        }
      }
      for (int j = 0; j < k; j++) {
        if (count[j] == 0) {
          continue; // keep an empty centroid where it was
        }
        for (int l = 0; l < dim; l++) {
          c[j][l] = (float) (sum[j][l] / count[j]);
        }
      }
    }
    return c;
  }

  static int nearest(float[][] c, float[] x) {
    int best = 0;
    double bestD = Double.MAX_VALUE;
    for (int j = 0; j < c.length; j++) {
      double d = dist2(c[j], x);
      if (d < bestD) {
        bestD = d;
        best = j;
      }
    }
    return best;
  }

  static double dist2(float[] a, float[] b) {
    double s = 0;
    for (int l = 0; l < a.length; l++) {
      double d = a[l] - b[l];
      s += d * d;
    }
    return s;
  }
}
