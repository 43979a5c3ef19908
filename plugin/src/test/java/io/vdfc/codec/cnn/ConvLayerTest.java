package io.vdfc.codec.cnn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The polyphase kernels of {@link ConvLayer} against the definition of a strided and a transposed convolution, summed
 * in double, on a grid that is not a cube: the forward pass, and the backward pass as the adjoint of the forward one
 * (the gradients of {@code L = <r, out>} for a random {@code r}).
 */
class ConvLayerTest {
  private static final int[] SMALL = {3, 2, 4};
  private static final int CIN = 2, COUT = 3;

  @Test
  void givenAStridedLayer_whenRunForwardAndBackward_thenItMatchesTheDefinition() {
    check(false);
  }

  @Test
  void givenATransposedLayer_whenRunForwardAndBackward_thenItMatchesTheDefinition() {
    check(true);
  }

  private static void check(boolean transposed) {
    SplittableRandom r = new SplittableRandom(7);
    ConvLayer c = new ConvLayer(CIN, COUT, transposed);
    fill(c.w, r);
    fill(c.b, r);
    int[] big = {2 * SMALL[0], 2 * SMALL[1], 2 * SMALL[2]};
    int[] in = transposed ? SMALL : big;
    int[] out = transposed ? big : SMALL;
    float[] x = new float[CIN * volume(in)];
    fill(x, r);
    float[] y = new float[COUT * volume(out)];
    c.forward(x, in, y);
    double[] want = naive(c, x, in, c.w, c.b);
    for (int i = 0; i < y.length; i++) {
      assertEquals(want[i], y[i], 1e-5, "output " + i);
    }

    float[] rr = new float[y.length];
    fill(rr, r);
    float[] gw = new float[c.w.length];
    float[] gb = new float[c.b.length];
    float[] dIn = new float[x.length];
    c.backward(x, in, rr, dIn, gw, gb);
    float[] zeroW = new float[c.w.length];
    float[] zeroB = new float[c.b.length];
    for (int k = 0; k < c.w.length; k++) {
      float[] onlyK = new float[c.w.length];
      onlyK[k] = 1;
      assertEquals(dotted(rr, naive(c, x, in, onlyK, zeroB)), gw[k], 1e-4, "weight gradient " + k);
    }
    for (int o = 0; o < c.b.length; o++) {
      float[] onlyO = new float[c.b.length];
      onlyO[o] = 1;
      assertEquals(dotted(rr, naive(c, new float[x.length], in, zeroW, onlyO)), gb[o], 1e-4, "bias gradient " + o);
    }
    for (int i = 0; i < x.length; i++) {
      float[] unit = new float[x.length];
      unit[i] = 1;
      assertEquals(dotted(rr, naive(c, unit, in, c.w, zeroB)), dIn[i], 1e-5, "input gradient " + i);
    }
  }

  /** The convolution by its definition: big cell {@code g = 2 s + d - 1} per axis, for small cell s and tap d. */
  private static double[] naive(ConvLayer c, float[] x, int[] in, float[] w, float[] b) {
    int[] s = c.transposed ? in : c.outDims(in);
    int[] g = c.transposed ? c.outDims(in) : in;
    int[] out = c.outDims(in);
    int vo = volume(out);
    double[] y = new double[c.cout * vo];
    for (int co = 0; co < c.cout; co++) {
      for (int v = 0; v < vo; v++) {
        y[co * vo + v] = b[co];
      }
    }
    int k = c.k;
    for (int sz = 0; sz < s[2]; sz++) {
      for (int sy = 0; sy < s[1]; sy++) {
        for (int sx = 0; sx < s[0]; sx++) {
          for (int t = 0; t < k * k * k; t++) {
            int gx = 2 * sx + t % k - 1, gy = 2 * sy + (t / k) % k - 1, gz = 2 * sz + t / (k * k) - 1;
            if (gx < 0 || gy < 0 || gz < 0 || gx >= g[0] || gy >= g[1] || gz >= g[2]) {
              continue;
            }
            int si = sx + s[0] * (sy + s[1] * sz), gi = gx + g[0] * (gy + g[1] * gz);
            for (int ci = 0; ci < c.cin; ci++) {
              for (int co = 0; co < c.cout; co++) {
                double wk = w[(t * c.cin + ci) * c.cout + co];
                if (c.transposed) {
                  y[co * vo + gi] += wk * x[ci * volume(s) + si];
                } else {
                  y[co * vo + si] += wk * x[ci * volume(g) + gi];
                }
              }
            }
          }
        }
      }
    }
    return y;
  }

  private static double dotted(float[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static int volume(int[] d) {
    return d[0] * d[1] * d[2];
  }

  private static void fill(float[] a, SplittableRandom r) {
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) (2 * r.nextDouble() - 1);
    }
  }
}
