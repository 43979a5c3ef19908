package io.vdfc.codec.cnn;

import java.util.SplittableRandom;

/**
 * The network: an encoder of {@code levels} strided convolutions (1 channel to {@code channels}, ..., to {@code latent}
 * channels; each halves the grid) and a decoder of {@code levels} transposed convolutions back ({@code latent} to
 * {@code channels}, ..., to 1 channel). Hidden layers use a leaky ReLU (slope {@link #LEAK}); the latent grid and the
 * output are linear. A grid of {@code N} cells per axis ({@code N} a multiple of {@code 2^levels}) has a latent grid of
 * {@code N / 2^levels} cells of {@code latent} values: the bottleneck.
 */
final class ConvAutoencoder {
  static final float LEAK = 0.1f;

  final int levels;
  final int channels;
  final int latent;
  final ConvLayer[] layers; // encoder layers, then decoder layers

  ConvAutoencoder(int levels, int channels, int latent) {
    if (levels < 1 || levels > 5 || channels < 1 || channels > 64 || latent < 1 || latent > 64) {
      throw new IllegalArgumentException("autoencoder of " + levels + " levels, " + channels + " channels, latent "
          + latent);
    }
    this.levels = levels;
    this.channels = channels;
    this.latent = latent;
    layers = new ConvLayer[2 * levels];
    for (int l = 0; l < levels; l++) {
      layers[l] = new ConvLayer(l == 0 ? 1 : channels, l == levels - 1 ? latent : channels, false);
      layers[levels + l] = new ConvLayer(l == 0 ? latent : channels, l == levels - 1 ? 1 : channels, true);
    }
  }

  /** He-initialised weights (uniform, seeded), zero biases. */
  static ConvAutoencoder initialised(long seed, int levels, int channels, int latent) {
    ConvAutoencoder net = new ConvAutoencoder(levels, channels, latent);
    SplittableRandom r = new SplittableRandom(seed);
    for (int l = 0; l < net.layers.length; l++) {
      ConvLayer c = net.layers[l];
      double a = Math.sqrt((activated(net, l) ? 6.0 : 3.0) / c.fanIn());
      for (int k = 0; k < c.w.length; k++) {
        c.w[k] = (float) ((2 * r.nextDouble() - 1) * a);
      }
    }
    return net;
  }

  /** True when layer {@code l}'s output goes through the leaky ReLU (all but the latent and the output layer). */
  static boolean activated(ConvAutoencoder net, int l) {
    return l != net.levels - 1 && l != net.layers.length - 1;
  }

  /** Grid cells per axis must be a multiple of this. */
  int multiple() {
    return 1 << levels;
  }

  int[] latentDims(int[] dims) {
    int m = multiple();
    return new int[] {dims[0] / m, dims[1] / m, dims[2] / m};
  }

  /** Every layer's weights then biases, encoder first: the order models store them in. */
  float[][] tensors() {
    float[][] t = new float[2 * layers.length][];
    for (int l = 0; l < layers.length; l++) {
      t[2 * l] = layers[l].w;
      t[2 * l + 1] = layers[l].b;
    }
    return t;
  }

  int parameterCount() {
    int p = 0;
    for (float[] t : tensors()) {
      p += t.length;
    }
    return p;
  }

  /** The latent grid ({@code latent} channels, channel-first) of a one-channel grid of {@code dims} cells. */
  float[] encode(float[] grid, int[] dims) {
    return run(0, levels, grid, dims);
  }

  /** The one-channel output grid of a latent grid of {@code latentDims} cells. */
  float[] decode(float[] z, int[] latentDims) {
    return run(levels, 2 * levels, z, latentDims);
  }

  private float[] run(int from, int to, float[] in, int[] dims) {
    float[] a = in;
    int[] d = dims;
    for (int l = from; l < to; l++) {
      int[] o = layers[l].outDims(d);
      float[] out = new float[layers[l].cout * o[0] * o[1] * o[2]];
      layers[l].forward(a, d, out);
      if (activated(this, l)) {
        leaky(out, out.length);
      }
      a = out;
      d = o;
    }
    return a;
  }

  static void leaky(float[] a, int n) {
    for (int i = 0; i < n; i++) {
      if (a[i] < 0f) {
        a[i] *= LEAK;
      }
    }
  }

  /**
   * The work buffers of one training pass over grids of at most {@code maxDims} cells: every layer's output, its
   * gradient, and the weight gradients ({@code gw[l]}, {@code gb[l]}) this pass accumulates.
   */
  final class Pass {
    final float[][] act;
    final float[][] grad;
    final float[][] gw;
    final float[][] gb;
    final int[][] dims;

    Pass(int[] maxDims) {
      int n = layers.length;
      act = new float[n + 1][];
      grad = new float[n + 1][];
      gw = new float[n][];
      gb = new float[n][];
      dims = new int[n + 1][];
      int[] d = maxDims;
      act[0] = new float[d[0] * d[1] * d[2]];
      for (int l = 0; l < n; l++) {
        d = layers[l].outDims(d);
        act[l + 1] = new float[layers[l].cout * d[0] * d[1] * d[2]];
        grad[l + 1] = new float[act[l + 1].length];
        gw[l] = new float[layers[l].w.length];
        gb[l] = new float[layers[l].b.length];
      }
    }

    /** Forward through every layer from {@code act[0]} on a grid of {@code d} cells; returns the output. */
    float[] forward(int[] d) {
      dims[0] = d;
      for (int l = 0; l < layers.length; l++) {
        layers[l].forward(act[l], dims[l], act[l + 1]);
        dims[l + 1] = layers[l].outDims(dims[l]);
        if (activated(ConvAutoencoder.this, l)) {
          int[] o = dims[l + 1];
          leaky(act[l + 1], layers[l].cout * o[0] * o[1] * o[2]);
        }
      }
      return act[layers.length];
    }

    /** Backward from {@code grad[layers]} (d loss / d output), accumulating into {@link #gw} and {@link #gb}. */
    void backward() {
      for (int l = layers.length - 1; l >= 0; l--) {
        layers[l].backward(act[l], dims[l], grad[l + 1], l > 0 ? grad[l] : null, gw[l], gb[l]);
        if (l > 0 && activated(ConvAutoencoder.this, l - 1)) {
          int[] d = dims[l];
          int n = layers[l - 1].cout * d[0] * d[1] * d[2];
          float[] a = act[l], g = grad[l];
          for (int i = 0; i < n; i++) {
            if (a[i] < 0f) {
              g[i] *= LEAK;
            }
          }
        }
      }
    }

    void clearGradients() {
      for (int l = 0; l < layers.length; l++) {
        java.util.Arrays.fill(gw[l], 0f);
        java.util.Arrays.fill(gb[l], 0f);
      }
    }
  }
}
