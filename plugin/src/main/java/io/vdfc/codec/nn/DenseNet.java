package io.vdfc.codec.nn;

import java.util.SplittableRandom;

/**
 * A fully connected network: inputs, ReLU hidden layers, one linear output layer. Weights are float32 and laid out
 * input-major ({@code w[l][i * out + o]}) so that every inner loop of the forward and backward passes is an axpy over
 * the output units (vectorised by the JIT, no reassociation, so results do not depend on the machine's vector width).
 *
 * <p>Inference ({@link #predict}) is the one function encoders and decoders both run: a payload's prediction is the
 * same bits on every JVM (float arithmetic in Java is strict).
 */
public final class DenseNet {
  private final int[] sizes;
  /** Per layer {@code l}: weights {@code sizes[l] x sizes[l+1]}, input-major. */
  final float[][] w;
  /** Per layer {@code l}: biases, {@code sizes[l+1]}. */
  final float[][] b;

  /** Zero weights for the given layer sizes (inputs, hidden..., outputs). */
  public DenseNet(int... sizes) {
    if (sizes.length < 2) {
      throw new IllegalArgumentException("a network needs at least an input and an output layer");
    }
    for (int s : sizes) {
      if (s <= 0 || s > 4096) {
        throw new IllegalArgumentException("layer size " + s + " outside 1..4096");
      }
    }
    this.sizes = sizes.clone();
    int layers = sizes.length - 1;
    w = new float[layers][];
    b = new float[layers][];
    for (int l = 0; l < layers; l++) {
      w[l] = new float[sizes[l] * sizes[l + 1]];
      b[l] = new float[sizes[l + 1]];
    }
  }

  /** He-initialised weights (uniform, seeded), zero biases. */
  public static DenseNet initialised(long seed, int... sizes) {
    DenseNet n = new DenseNet(sizes);
    SplittableRandom r = new SplittableRandom(seed);
    for (int l = 0; l < n.w.length; l++) {
      double a = Math.sqrt(6.0 / sizes[l]);
      if (l == n.w.length - 1) {
        a = Math.sqrt(3.0 / sizes[l]);
      }
      for (int k = 0; k < n.w[l].length; k++) {
        n.w[l][k] = (float) ((2 * r.nextDouble() - 1) * a);
      }
    }
    return n;
  }

  public int[] sizes() {
    return sizes.clone();
  }

  public int layers() {
    return w.length;
  }

  public int inputs() {
    return sizes[0];
  }

  public int outputs() {
    return sizes[sizes.length - 1];
  }

  /** Weights and biases in all. */
  public int parameterCount() {
    int p = 0;
    for (int l = 0; l < w.length; l++) {
      p += w[l].length + b[l].length;
    }
    return p;
  }

  /** Layer {@code l}'s weights (input-major) then its biases, all layers in order: the order payloads store them in. */
  public float[][] tensors() {
    float[][] t = new float[2 * w.length][];
    for (int l = 0; l < w.length; l++) {
      t[2 * l] = w[l];
      t[2 * l + 1] = b[l];
    }
    return t;
  }

  /** A deep copy. */
  public DenseNet copy() {
    DenseNet c = new DenseNet(sizes);
    for (int l = 0; l < w.length; l++) {
      System.arraycopy(w[l], 0, c.w[l], 0, w[l].length);
      System.arraycopy(b[l], 0, c.b[l], 0, b[l].length);
    }
    return c;
  }

  /**
   * Outputs for {@code n} input rows ({@code x[r * inputs() + i]}), written to {@code out[r * outputs() + o]}.
   */
  public void predict(float[] x, int n, float[] out) {
    int maxWidth = 0;
    for (int s : sizes) {
      maxWidth = Math.max(maxWidth, s);
    }
    final int rows = 256;
    float[] a = new float[rows * maxWidth];
    float[] z = new float[rows * maxWidth];
    for (int r0 = 0; r0 < n; r0 += rows) {
      int m = Math.min(rows, n - r0);
      System.arraycopy(x, r0 * sizes[0], a, 0, m * sizes[0]);
      for (int l = 0; l < w.length; l++) {
        layerForward(l, a, z, m, l < w.length - 1);
        float[] t = a;
        a = z;
        z = t;
      }
      System.arraycopy(a, 0, out, r0 * outputs(), m * outputs());
    }
  }

  /** {@code out[r][o] = act(b[o] + sum_i in[r][i] w[i][o])} for {@code m} rows. */
  void layerForward(int l, float[] in, float[] out, int m, boolean relu) {
    int ni = sizes[l], no = sizes[l + 1];
    float[] wl = w[l], bl = b[l];
    for (int r = 0; r < m; r++) {
      int ob = r * no;
      System.arraycopy(bl, 0, out, ob, no);
      int ib = r * ni;
      for (int i = 0; i < ni; i++) {
        float v = in[ib + i];
        if (v == 0f) {
          continue;
        }
        int wb = i * no;
        for (int o = 0; o < no; o++) {
          out[ob + o] += v * wl[wb + o];
        }
      }
      if (relu) {
        for (int o = 0; o < no; o++) {
          if (out[ob + o] < 0f) {
            out[ob + o] = 0f;
          }
        }
      }
    }
  }
}
