package io.vdfc.codec.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * Mini-batch Adam on the mean squared error of a {@link DenseNet}, optionally with a trainable latent vector per group
 * of samples appended to each sample's inputs (an auto-decoder: one network for many cells, one latent per cell).
 *
 * <p>Deterministic for a given seed whatever the thread count: the sample order is a seeded shuffle, each batch is cut
 * into fixed chunks of {@link #CHUNK} samples whose gradients are computed independently (possibly in parallel) and
 * then summed in chunk order. Work buffers are allocated once per training, not per step.
 */
public final class Trainer {
  /** Samples per gradient chunk: the unit of parallel work, and of the fixed summation order. */
  public static final int CHUNK = 128;

  /**
   * Training settings.
   *
   * @param epochs passes over the samples
   * @param batch samples per Adam step (a multiple of {@link #CHUNK} is best)
   * @param lr initial learning rate; decays by a cosine to {@code lr * finalLrFraction}
   * @param seed shuffle seed
   * @param threads worker threads (results do not depend on it)
   * @param progress receives one line per epoch, or null
   */
  public record Settings(int epochs, int batch, double lr, double finalLrFraction, long seed, int threads,
      Consumer<String> progress) {
    public Settings {
      if (epochs < 0 || batch < 1 || !(lr > 0) || threads < 1) {
        throw new IllegalArgumentException("bad training settings: epochs " + epochs + ", batch " + batch + ", lr " + lr
            + ", threads " + threads);
      }
    }
  }

  /**
   * Trainable latent vectors: {@code table[g * dim + k]} for group {@code g}; sample {@code s} uses group
   * {@code groupOf[s]}. They are the last {@code dim} inputs of the network.
   */
  public record Latents(float[] table, int dim, int[] groupOf) {}

  private final DenseNet net;
  private final int[] sizes;
  private final float[] x;
  private final int nFeat;
  private final float[] y;
  private final float[] weight;
  private final int n;
  private final Latents lat;
  private final boolean trainNet;
  private final Settings s;
  private final DenseGrad grad;
  private final Adam adam;
  private final float[] mLat, vLat, gLat;
  private final Chunk[] chunks;

  private Trainer(DenseNet net, float[] x, int nFeat, float[] y, float[] weight, int n, Latents lat, boolean trainNet,
      Settings s) {
    this.net = net;
    this.sizes = net.sizes();
    this.x = x;
    this.nFeat = nFeat;
    this.y = y;
    this.weight = weight;
    this.n = n;
    this.lat = lat;
    this.trainNet = trainNet;
    this.s = s;
    int latDim = lat == null ? 0 : lat.dim();
    if (nFeat + latDim != sizes[0] || net.outputs() != 1) {
      throw new IllegalArgumentException(
          "network of " + sizes[0] + " inputs and " + net.outputs() + " outputs for " + nFeat + " features + " + latDim + " latents");
    }
    grad = new DenseGrad(net);
    adam = new Adam(net);
    mLat = lat == null ? null : new float[lat.table().length];
    vLat = lat == null ? null : new float[lat.table().length];
    gLat = lat == null ? null : new float[lat.table().length];
    chunks = new Chunk[(s.batch() + CHUNK - 1) / CHUNK];
    for (int c = 0; c < chunks.length; c++) {
      chunks[c] = new Chunk();
    }
  }

  /**
   * Trains {@code net} (and the latents, if any) in place.
   *
   * @param x {@code n} rows of {@code nFeat} fixed features
   * @param y {@code n} targets
   * @param weight {@code n} loss weights, or null for 1
   * @param lat trainable latents appended to the features, or null
   * @param trainNet false to train the latents only (network frozen)
   * @return the mean squared error of the last epoch
   */
  public static double train(DenseNet net, float[] x, int nFeat, float[] y, float[] weight, int n, Latents lat,
      boolean trainNet, Settings s) {
    return new Trainer(net, x, nFeat, y, weight, n, lat, trainNet, s).run();
  }

  private double run() {
    if (n == 0 || s.epochs() == 0) {
      return 0;
    }
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    SplittableRandom rnd = new SplittableRandom(s.seed());
    long stepsPerEpoch = (n + s.batch() - 1) / s.batch();
    long total = stepsPerEpoch * s.epochs();
    long step = 0;
    double lastLoss = 0;
    List<Chunk> tasks = new ArrayList<>(chunks.length);
    try (Workers workers = new Workers(s.threads())) {
      for (int epoch = 0; epoch < s.epochs(); epoch++) {
        shuffle(order, rnd);
        double sse = 0;
        for (int b0 = 0; b0 < n; b0 += s.batch()) {
          int bn = Math.min(s.batch(), n - b0);
          int nc = (bn + CHUNK - 1) / CHUNK;
          tasks.clear();
          for (int c = 0; c < nc; c++) {
            Chunk ch = chunks[c];
            ch.set(order, b0 + c * CHUNK, Math.min(CHUNK, bn - c * CHUNK), 2.0f / bn);
            tasks.add(ch);
          }
          workers.runAll(tasks);
          for (int c = 0; c < nc; c++) {
            sse += chunks[c].sse;
          }
          double lr = Adam.cosineRate(s.lr(), s.finalLrFraction(), step, total);
          step++;
          adamStep(nc, lr, step);
        }
        lastLoss = sse / n;
        if (s.progress() != null) {
          s.progress().accept(String.format("epoch %d/%d: mse %.4g", epoch + 1, s.epochs(), lastLoss));
        }
      }
    }
    return lastLoss;
  }

  /** A seeded Fisher-Yates shuffle of {@code a} in place. */
  public static void shuffle(int[] a, SplittableRandom rnd) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  private void adamStep(int nc, double lr, long t) {
    if (trainNet) {
      DenseGrad.Work w0 = chunks[0].work;
      for (int l = 0; l < net.layers(); l++) {
        for (int c = 1; c < nc; c++) {
          add(w0.gw[l], chunks[c].work.gw[l]);
          add(w0.gb[l], chunks[c].work.gb[l]);
        }
      }
      adam.step(w0.gw, w0.gb, lr, t);
      grad.refresh();
    }
    if (lat != null) {
      // Sparse Adam: only the latents of groups in this batch move, in chunk then row order.
      int dim = lat.dim();
      for (int c = 0; c < nc; c++) {
        Chunk ch = chunks[c];
        for (int r = 0; r < ch.m; r++) {
          int g = lat.groupOf()[ch.idx[r]];
          for (int k = 0; k < dim; k++) {
            gLat[g * dim + k] += ch.gIn[r * dim + k];
          }
        }
      }
      float c1 = Adam.c1(lr, t), c2 = Adam.c2(t);
      float[] tab = lat.table();
      for (int c = 0; c < nc; c++) {
        Chunk ch = chunks[c];
        for (int r = 0; r < ch.m; r++) {
          int base = lat.groupOf()[ch.idx[r]] * dim;
          if (gLat[base] == 0f && allZero(gLat, base, dim)) {
            continue; // already applied for this group
          }
          for (int k = base; k < base + dim; k++) {
            float g = gLat[k];
            mLat[k] = Adam.B1 * mLat[k] + (1 - Adam.B1) * g;
            vLat[k] = Adam.B2 * vLat[k] + (1 - Adam.B2) * g * g;
            tab[k] -= c1 * mLat[k] / ((float) Math.sqrt(vLat[k] * c2) + Adam.EPS);
            gLat[k] = 0f;
          }
        }
      }
    }
  }

  private static boolean allZero(float[] a, int from, int len) {
    for (int k = from; k < from + len; k++) {
      if (a[k] != 0f) {
        return false;
      }
    }
    return true;
  }

  private static void add(float[] acc, float[] g) {
    for (int k = 0; k < acc.length; k++) {
      acc[k] += g[k];
    }
  }

  /** One chunk's forward and backward pass, with its own buffers. */
  private final class Chunk implements Callable<Void> {
    final DenseGrad.Work work = grad.work(CHUNK);
    final float[] gIn; // d loss / d latent inputs, CHUNK x dim
    final int[] idx = new int[CHUNK];
    int[] order;
    int from, m;
    float scale;
    double sse;

    Chunk() {
      gIn = new float[lat == null ? 0 : CHUNK * lat.dim()];
    }

    void set(int[] order, int from, int m, float scale) {
      this.order = order;
      this.from = from;
      this.m = m;
      this.scale = scale;
    }

    @Override
    public Void call() {
      int in0 = sizes[0];
      int dim = lat == null ? 0 : lat.dim();
      float[] a0 = work.input();
      for (int r = 0; r < m; r++) {
        int sIdx = order[from + r];
        idx[r] = sIdx;
        System.arraycopy(x, sIdx * nFeat, a0, r * in0, nFeat);
        if (dim > 0) {
          System.arraycopy(lat.table(), lat.groupOf()[sIdx] * dim, a0, r * in0 + nFeat, dim);
        }
      }
      float[] out = work.forward(m);
      // Output delta: d(mean sq err)/d out = 2 (out - y) / batch.
      float[] dOut = work.outputGrad();
      double e2 = 0;
      for (int r = 0; r < m; r++) {
        float e = out[r] - y[idx[r]];
        float wgt = weight == null ? 1f : weight[idx[r]];
        e2 += (double) wgt * e * e;
        dOut[r] = scale * wgt * e;
      }
      sse = e2;
      float[] dIn = work.backward(m, trainNet, dim > 0);
      if (dim > 0) {
        for (int r = 0; r < m; r++) {
          System.arraycopy(dIn, r * in0 + nFeat, gIn, r * dim, dim);
        }
      }
      return null;
    }
  }
}
