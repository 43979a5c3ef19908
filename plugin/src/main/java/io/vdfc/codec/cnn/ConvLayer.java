package io.vdfc.codec.cnn;

import io.vdfc.codec.nn.DenseNet;

/**
 * One 3D convolution over channel-first grids ({@code a[c * V + x + X * (y + Y * z)]}, {@code V = X * Y * Z}), either
 * strided (stride 2, kernel 3, padding 1: a grid of {@code 2M} cells per axis to {@code M}) or transposed (stride 2,
 * kernel 4, padding 1: {@code M} to {@code 2M}). Both relate a small grid ({@code M}) and a big grid ({@code 2M}) by
 * {@code g = 2 s + d - 1} per axis, {@code d} the kernel tap; a strided convolution reads the big grid and writes the
 * small one, a transposed one the reverse, and the backward passes swap the roles.
 *
 * <p>Weights {@code w[(t * cin + ci) * cout + co]} for tap {@code t = dx + k * (dy + k * dz)}, biases {@code b[co]}: the
 * layout of a one-layer {@link DenseNet} from a patch of {@code taps * cin} values to {@code cout}, which holds them
 * ({@link #dense}), so that {@link io.vdfc.codec.nn.Adam} steps them as it steps any dense layer.
 *
 * <p>The kernels work on a padded, polyphase copy of the grids: the small grid with a one-cell zero border, the big grid
 * as its 8 parity planes ({@code g = 2 s + q}), each laid out like the padded small grid. A tap then reads or writes one
 * parity plane at a fixed shift of -1, 0 or 1 cells, so every kernel is one long unit-stride loop (an axpy the JIT
 * vectorises, or a dot product with eight partial sums). Values computed on the border are never read back. Every loop
 * has a fixed summation order, so results are the same bits on every JVM and thread count (Java float arithmetic is
 * strict; the JIT vectorises element-wise loops only).
 */
final class ConvLayer {
  final int cin;
  final int cout;
  final int k;
  final boolean transposed;
  /** The weights and biases, as a dense map from a patch to the output channels. */
  final DenseNet dense;
  final float[] w;
  final float[] b;

  ConvLayer(int cin, int cout, boolean transposed) {
    this.cin = cin;
    this.cout = cout;
    this.transposed = transposed;
    this.k = transposed ? 4 : 3;
    this.dense = new DenseNet(taps() * cin, cout);
    float[][] t = dense.tensors();
    this.w = t[0];
    this.b = t[1];
  }

  int taps() {
    return k * k * k;
  }

  /** Fan-in of one output value, for initialisation. */
  int fanIn() {
    return transposed ? cin * 8 : cin * taps();
  }

  /** Output grid of an input grid {@code n} (a strided layer needs even sizes). */
  int[] outDims(int[] n) {
    return transposed ? new int[] {2 * n[0], 2 * n[1], 2 * n[2]} : new int[] {n[0] / 2, n[1] / 2, n[2] / 2};
  }

  /** {@code out = b + W * in}; {@code in} on grid {@code n}, {@code out} on {@link #outDims}. */
  void forward(float[] in, int[] n, float[] out) {
    Padded g = new Padded(transposed ? n : outDims(n));
    if (transposed) {
      float[][] big = new float[cout * 8][g.plane];
      smallToBig(g, g.small(in, cin), cin, big, cout, true);
      g.fromBig(big, cout, b, out);
    } else {
      float[][] s = new float[cout][g.plane];
      bigToSmall(g, g.big(in, cin), cin, null, cout, true, null, s);
      g.fromSmall(s, cout, b, out);
    }
  }

  /**
   * Gradients: adds {@code dL/dW} to {@code gw}, {@code dL/db} to {@code gb} and, unless {@code dIn} is null, writes
   * {@code dL/d in} to {@code dIn} (overwritten).
   */
  void backward(float[] in, int[] n, float[] dOut, float[] dIn, float[] gw, float[] gb) {
    int[] m = outDims(n);
    int vo = m[0] * m[1] * m[2];
    for (int co = 0; co < cout; co++) {
      double s = 0;
      for (int v = co * vo; v < (co + 1) * vo; v++) {
        s += dOut[v];
      }
      gb[co] += (float) s;
    }
    Padded g = new Padded(transposed ? n : m);
    if (transposed) {
      float[][] dS = dIn == null ? null : new float[cin][g.plane];
      bigToSmall(g, g.big(dOut, cout), cout, g.small(in, cin), cin, false, gw, dS);
      if (dIn != null) {
        g.fromSmall(dS, cin, null, dIn);
      }
    } else {
      float[][] dS = g.small(dOut, cout);
      bigToSmall(g, g.big(in, cin), cin, dS, cout, true, gw, null);
      if (dIn != null) {
        float[][] dBig = new float[cin * 8][g.plane];
        smallToBig(g, dS, cout, dBig, cin, false);
        g.fromBig(dBig, cin, null, dIn);
      }
    }
  }

  /**
   * Index of tap {@code t}'s weight between channel {@code a} of one grid and channel {@code c} of the other; {@code a}
   * is the weight's input channel when {@code aIsInput}, its output channel otherwise.
   */
  private int weight(int t, int a, int c, boolean aIsInput) {
    return aIsInput ? (t * cin + a) * cout + c : (t * cin + c) * cout + a;
  }

  /**
   * {@code big[c * 8 + q] += w * small[a]} at every tap's parity plane and shift, over {@code na} small channels
   * {@code a} and {@code nb} big channels {@code c}: a transposed layer's forward pass ({@code smallIsInput}) and a
   * strided layer's input gradient.
   */
  private void smallToBig(Padded g, float[][] small, int na, float[][] big, int nb, boolean smallIsInput) {
    float[] tmp = new float[g.plane];
    for (int t = 0; t < taps(); t++) {
      int q = g.parity(t, k), off = g.shift(t, k);
      for (int a = 0; a < na; a++) {
        g.shifted(small[a], -off, tmp);
        for (int c = 0; c < nb; c++) {
          axpy(w[weight(t, a, c, smallIsInput)], tmp, big[c * 8 + q], g.p0, g.p1);
        }
      }
    }
  }

  /**
   * The big-to-small half of both layer kinds, over every tap's parity plane and shift, {@code na} big channels
   * {@code a} and {@code ns} small channels {@code c}: {@code out[c] += w * big[a * 8 + q]} shifted (unless {@code out}
   * is null) and {@code gw += <big[a * 8 + q] shifted, small[c]>} (unless {@code gw} is null). A strided layer's
   * forward pass ({@code bigIsInput}, out only) and weight gradient ({@code bigIsInput}, gw only); a transposed layer's
   * weight gradient and input gradient (both in one pass).
   */
  private void bigToSmall(Padded g, float[][] big, int na, float[][] small, int ns, boolean bigIsInput, float[] gw,
      float[][] out) {
    float[] tmp = new float[g.plane];
    for (int t = 0; t < taps(); t++) {
      int q = g.parity(t, k), off = g.shift(t, k);
      for (int a = 0; a < na; a++) {
        g.shifted(big[a * 8 + q], off, tmp);
        for (int c = 0; c < ns; c++) {
          int wi = weight(t, a, c, bigIsInput);
          if (gw != null) {
            gw[wi] += dot(tmp, small[c], g.p0, g.p1);
          }
          if (out != null) {
            axpy(w[wi], tmp, out[c], g.p0, g.p1);
          }
        }
      }
    }
  }

  /** {@code y[p] += a * x[p]} for {@code p} in {@code [from, to]} (one index expression: the JIT vectorises it). */
  private static void axpy(float a, float[] x, float[] y, int from, int to) {
    if (a == 0f) {
      return;
    }
    for (int p = from; p <= to; p++) {
      y[p] += a * x[p];
    }
  }

  /** {@code sum x[p] * y[p]} for {@code p} in {@code [from, to]}: eight partial sums, added in a fixed order. */
  private static float dot(float[] x, float[] y, int from, int to) {
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
    int p = from;
    for (; p + 7 <= to; p += 8) {
      s0 += x[p] * y[p];
      s1 += x[p + 1] * y[p + 1];
      s2 += x[p + 2] * y[p + 2];
      s3 += x[p + 3] * y[p + 3];
      s4 += x[p + 4] * y[p + 4];
      s5 += x[p + 5] * y[p + 5];
      s6 += x[p + 6] * y[p + 6];
      s7 += x[p + 7] * y[p + 7];
    }
    for (; p <= to; p++) {
      s0 += x[p] * y[p];
    }
    return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
  }

  /**
   * The padded layouts of a small grid {@code m} (and of its big grid {@code 2m}): per channel a plane of
   * {@code (mx+2)(my+2)(mz+2)} values, small cell {@code (x, y, z)} at {@code (x+1) + px ((y+1) + py (z+1))}; the big
   * grid's cell {@code 2s + q} in parity plane {@code q = qx + 2 (qy + 2 qz)} at small cell {@code s}'s place.
   */
  private static final class Padded {
    final int mx, my, mz, px, py, plane, p0, p1;

    Padded(int[] m) {
      mx = m[0];
      my = m[1];
      mz = m[2];
      px = mx + 2;
      py = my + 2;
      plane = px * py * (mz + 2);
      p0 = 1 + px * (1 + py);
      p1 = mx + px * (my + py * mz);
    }

    /** Parity plane of tap {@code t} of a kernel of size {@code k}: per axis {@code (d + 1) mod 2}. */
    int parity(int t, int k) {
      return ((t % k + 1) & 1) + 2 * (((t / k) % k + 1) & 1) + 4 * (((t / (k * k)) + 1) & 1);
    }

    /** Shift of tap {@code t} within its parity plane: per axis {@code (d - 1 - q) / 2} cells. */
    int shift(int t, int k) {
      int dx = t % k, dy = (t / k) % k, dz = t / (k * k);
      return (dx - 1 - ((dx + 1) & 1)) / 2 + px * ((dy - 1 - ((dy + 1) & 1)) / 2 + py * ((dz - 1 - ((dz + 1) & 1)) / 2));
    }

    /** {@code tmp[p] = a[p + off]} for {@code p} in {@code [p0, p1]}. */
    void shifted(float[] a, int off, float[] tmp) {
      System.arraycopy(a, p0 + off, tmp, p0, p1 - p0 + 1);
    }

    float[][] small(float[] plain, int channels) {
      float[][] out = new float[channels][plane];
      for (int c = 0; c < channels; c++) {
        for (int z = 0; z < mz; z++) {
          for (int y = 0; y < my; y++) {
            System.arraycopy(plain, c * mx * my * mz + mx * (y + my * z), out[c], 1 + px * (y + 1 + py * (z + 1)), mx);
          }
        }
      }
      return out;
    }

    float[][] big(float[] plain, int channels) {
      float[][] out = new float[channels * 8][plane];
      int bx = 2 * mx, by = 2 * my, vb = bx * by * 2 * mz;
      for (int c = 0; c < channels; c++) {
        for (int gz = 0; gz < 2 * mz; gz++) {
          for (int gy = 0; gy < by; gy++) {
            int src = c * vb + bx * (gy + by * gz);
            int row = 1 + px * ((gy >> 1) + 1 + py * ((gz >> 1) + 1));
            float[] even = out[c * 8 + 2 * (gy & 1) + 4 * (gz & 1)], odd = out[c * 8 + 1 + 2 * (gy & 1) + 4 * (gz & 1)];
            for (int x = 0; x < mx; x++) {
              even[row + x] = plain[src + 2 * x];
              odd[row + x] = plain[src + 2 * x + 1];
            }
          }
        }
      }
      return out;
    }

    /** The interior of a padded small grid into {@code plain}, plus {@code bias[c]} (if not null). */
    void fromSmall(float[][] padded, int channels, float[] bias, float[] plain) {
      for (int c = 0; c < channels; c++) {
        float bc = bias == null ? 0f : bias[c];
        for (int z = 0; z < mz; z++) {
          for (int y = 0; y < my; y++) {
            int src = 1 + px * (y + 1 + py * (z + 1)), dst = c * mx * my * mz + mx * (y + my * z);
            float[] pc = padded[c];
            for (int x = 0; x < mx; x++) {
              plain[dst + x] = pc[src + x] + bc;
            }
          }
        }
      }
    }

    /** The interior of a polyphase big grid into {@code plain}, plus {@code bias[c]} (if not null). */
    void fromBig(float[][] padded, int channels, float[] bias, float[] plain) {
      int bx = 2 * mx, by = 2 * my, vb = bx * by * 2 * mz;
      for (int c = 0; c < channels; c++) {
        float bc = bias == null ? 0f : bias[c];
        for (int gz = 0; gz < 2 * mz; gz++) {
          for (int gy = 0; gy < by; gy++) {
            int dst = c * vb + bx * (gy + by * gz);
            int row = 1 + px * ((gy >> 1) + 1 + py * ((gz >> 1) + 1));
            float[] even = padded[c * 8 + 2 * (gy & 1) + 4 * (gz & 1)], odd = padded[c * 8 + 1 + 2 * (gy & 1) + 4 * (gz & 1)];
            for (int x = 0; x < mx; x++) {
              plain[dst + 2 * x] = even[row + x] + bc;
              plain[dst + 2 * x + 1] = odd[row + x] + bc;
            }
          }
        }
      }
    }
  }
}
