package io.vdfc.codec.vq;

import io.vdfc.codec.nn.Adam;
import io.vdfc.codec.nn.DenseGrad;
import io.vdfc.codec.nn.DenseNet;
import io.vdfc.codec.nn.Trainer;
import io.vdfc.codec.nn.Workers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Trains a {@link VqVae} on block shapes (64 values each, divided by the block's largest magnitude).
 *
 * <p>Loss per block: {@code |decoder(e_k) - x|^2 / 64 + beta |encoder(x) - e_k|^2 / d}, where {@code e_k} is the code
 * nearest to {@code encoder(x)}; the reconstruction's gradient passes straight through the quantisation to the encoder
 * (the second term is the commitment loss). The codebook follows exponential moving averages of the encoder outputs
 * assigned to each code (decay {@code decay}, Laplace-smoothed counts), and a code whose average count falls below 3 %
 * of its share is moved to the encoder output of a random block of the batch. The first {@code warmup} epochs train a
 * plain autoencoder (no quantisation); then k-means ({@link KMeans}) on the encoder outputs of up to 20,000 blocks
 * starts the codebook. Then {@code refine} epochs fit the decoded codes to the blocks as the codec uses them: each
 * block is assigned, once per epoch, the code whose decoded block fits it best (least-squares scaled, over all codes:
 * the codec's own choice), and the decoder and the codebook follow the gradient of that scaled fit's error while the encoder
 * learns to output the assigned code's latent vector (so that it keeps proposing the right candidates). Adam with a
 * cosine learning-rate decay to 5 % over all epochs.
 *
 * <p>Deterministic for a seed whatever the thread count: shuffles and code restarts use one seeded generator, each batch
 * is cut into chunks of {@link Trainer#CHUNK} blocks computed independently (in parallel), and gradients and codebook
 * statistics are summed in chunk order.
 */
final class VqVaeTrainer {
  /**
   * Training settings.
   *
   * @param codes K
   * @param latent d
   * @param widths the decoder's hidden widths from the latent side (the encoder mirrors them)
   * @param epochs passes over the blocks, warm-up included
   * @param warmup epochs of plain autoencoder training before the codebook starts
   * @param refine epochs of refinement after the VQ-VAE epochs
   * @param batch blocks per step
   * @param lr Adam's initial learning rate
   * @param beta commitment weight
   * @param decay the codebook's moving-average decay
   * @param seed initialisation, shuffle and restart seed
   * @param threads worker threads (results do not depend on it)
   * @param progress one line per epoch, or null
   */
  record Settings(int codes, int latent, int[] widths, int epochs, int warmup, int refine, int batch, double lr, double beta,
      double decay, long seed, int threads, Consumer<String> progress) {}

  private static final int CHUNK = Trainer.CHUNK;
  private static final int KMEANS_POINTS = 20_000;
  private static final double DEAD_FRACTION = 0.03;
  private static final float EPS = 1e-5f;

  private final Settings s;
  private final float[] x;
  private final int n;
  private final int k, d;
  private final DenseNet enc, dec;
  private final DenseGrad encGrad, decGrad;
  private final float[] codebook;
  private final double[] emaCount;
  private final double[] emaSum;
  private final Chunk[] chunks;
  /** Refinement: each block's assigned code. */
  private final int[] assign;
  private final float[] codeGrad;

  private VqVaeTrainer(float[] x, int n, Settings s) {
    this.s = s;
    this.x = x;
    this.n = n;
    this.k = s.codes();
    this.d = s.latent();
    enc = DenseNet.initialised(s.seed(), VqVae.encoderSizes(d, s.widths()));
    dec = DenseNet.initialised(s.seed() + 1, VqVae.decoderSizes(d, s.widths()));
    encGrad = new DenseGrad(enc);
    decGrad = new DenseGrad(dec);
    codebook = new float[k * d];
    emaCount = new double[k];
    emaSum = new double[k * d];
    assign = s.refine() > 0 ? new int[n] : null;
    codeGrad = new float[k * d];
    chunks = new Chunk[(s.batch() + CHUNK - 1) / CHUNK];
    for (int c = 0; c < chunks.length; c++) {
      chunks[c] = new Chunk();
    }
  }

  /** Trains on {@code n} shapes ({@code x[i * 64 + l]}). */
  static VqVae train(float[] x, int n, Settings s) {
    if (n < 1 || s.codes() < 1 || s.latent() < 1 || s.batch() < 1 || s.epochs() < 0 || s.refine() < 0) {
      throw new IllegalArgumentException("VQ-VAE training on " + n + " blocks with " + s);
    }
    return new VqVaeTrainer(x, n, s).run();
  }

  private VqVae run() {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    SplittableRandom rnd = new SplittableRandom(s.seed());
    long stepsPerEpoch = (n + s.batch() - 1) / s.batch();
    int epochs = s.epochs() + s.refine();
    long total = stepsPerEpoch * epochs;
    Adam codeAdam = new Adam(codebook);
    long step = 0;
    Adam encAdam = new Adam(enc), decAdam = new Adam(dec);
    List<Chunk> tasks = new ArrayList<>(chunks.length);
    long t0 = System.nanoTime();
    boolean started = false;
    try (Workers workers = new Workers(s.threads())) {
      for (int epoch = 0; epoch < epochs; epoch++) {
        Mode mode = epoch >= s.epochs() ? Mode.REFINE : epoch >= s.warmup() ? Mode.QUANTISE : Mode.AUTOENCODE;
        if (mode != Mode.AUTOENCODE && !started) {
          startCodebook();
          started = true;
        }
        if (mode == Mode.REFINE) {
          assignBest();
        }
        Trainer.shuffle(order, rnd);
        double sse = 0, commit = 0;
        long[] used = new long[k];
        for (int b0 = 0; b0 < n; b0 += s.batch()) {
          int bn = Math.min(s.batch(), n - b0);
          int nc = (bn + CHUNK - 1) / CHUNK;
          tasks.clear();
          for (int c = 0; c < nc; c++) {
            chunks[c].set(order, b0 + c * CHUNK, Math.min(CHUNK, bn - c * CHUNK), bn, mode);
            tasks.add(chunks[c]);
          }
          workers.runAll(tasks);
          DenseGrad.Work e0 = chunks[0].encWork, d0 = chunks[0].decWork;
          for (int c = 0; c < nc; c++) {
            sse += chunks[c].sse;
            commit += chunks[c].commit;
            if (c > 0) {
              addAll(e0.gw, chunks[c].encWork.gw);
              addAll(e0.gb, chunks[c].encWork.gb);
              addAll(d0.gw, chunks[c].decWork.gw);
              addAll(d0.gb, chunks[c].decWork.gb);
            }
          }
          double lr = Adam.cosineRate(s.lr(), 0.05, step, total);
          step++;
          encAdam.step(e0.gw, e0.gb, lr, step);
          decAdam.step(d0.gw, d0.gb, lr, step);
          encGrad.refresh();
          decGrad.refresh();
          if (mode == Mode.QUANTISE) {
            updateCodebook(nc, bn, rnd, used);
          } else if (mode == Mode.REFINE) {
            Arrays.fill(codeGrad, 0f);
            for (int c = 0; c < nc; c++) {
              Chunk ch = chunks[c];
              for (int r = 0; r < ch.m; r++) {
                int j = assign[order[ch.from + r]];
                used[j]++;
                for (int t = 0; t < d; t++) {
                  codeGrad[j * d + t] += ch.dzq[r * d + t];
                }
              }
            }
            codeAdam.step(codeGrad, lr, step);
          }
        }
        if (s.progress() != null) {
          int live = 0;
          for (long u : used) {
            live += u > 0 ? 1 : 0;
          }
          s.progress().accept(String.format("epoch %d/%d (%s): reconstruction mse %.4g, %s %.4g, codes used %s, %.1f s",
              epoch + 1, epochs, mode.label, sse / ((double) n * VqVae.BLOCK),
              mode == Mode.REFINE ? "encoder to code" : "commitment", commit / ((double) n * d),
              mode == Mode.AUTOENCODE ? "-" : live + "/" + k, (System.nanoTime() - t0) / 1e9));
        }
      }
      if (!started) {
        startCodebook();
      }
    }
    return new VqVae(enc, dec, codebook, k, d);
  }

  private enum Mode {
    AUTOENCODE("warm-up"),
    QUANTISE("VQ-VAE"),
    REFINE("refine");

    final String label;

    Mode(String label) {
      this.label = label;
    }
  }

  /** Assigns every block the code whose decoded block fits it best (in parallel; each block on its own). */
  private void assignBest() {
    CodeTable t = new CodeTable(new VqVae(null, dec, codebook, k, d).decodedCodes());
    int parts = 64;
    IntStream.range(0, parts).parallel().forEach(p -> {
      float[] dots = new float[k];
      for (int i = (int) ((long) n * p / parts); i < (int) ((long) n * (p + 1) / parts); i++) {
        assign[i] = t.bestOfAll(x, i * VqVae.BLOCK, dots);
      }
    });
  }

  /** k-means on the encoder outputs of up to {@link #KMEANS_POINTS} blocks (every j-th) starts the codebook. */
  private void startCodebook() {
    int stride = Math.max(1, (n + KMEANS_POINTS - 1) / KMEANS_POINTS);
    int m = (n + stride - 1) / stride;
    float[] in = new float[m * VqVae.BLOCK];
    for (int i = 0; i < m; i++) {
      System.arraycopy(x, i * stride * VqVae.BLOCK, in, i * VqVae.BLOCK, VqVae.BLOCK);
    }
    float[] z = new float[m * d];
    enc.predict(in, m, z);
    float[][] pts = new float[m][d];
    for (int i = 0; i < m; i++) {
      System.arraycopy(z, i * d, pts[i], 0, d);
    }
    float[][] c = KMeans.train(pts, k, 10, s.seed() ^ 0x6b6d);
    double share = (double) s.batch() / k;
    for (int j = 0; j < k; j++) {
      float[] cj = c[Math.min(j, c.length - 1)];
      System.arraycopy(cj, 0, codebook, j * d, d);
      emaCount[j] = share;
      for (int t = 0; t < d; t++) {
        emaSum[j * d + t] = cj[t] * share;
      }
    }
  }

  private void updateCodebook(int nc, int bn, SplittableRandom rnd, long[] used) {
    double g = s.decay();
    double[] count = new double[k];
    double[] sum = new double[k * d];
    for (int c = 0; c < nc; c++) {
      Chunk ch = chunks[c];
      for (int r = 0; r < ch.m; r++) {
        int j = ch.code[r];
        count[j]++;
        used[j]++;
        for (int t = 0; t < d; t++) {
          sum[j * d + t] += ch.ze[r * d + t];
        }
      }
    }
    double totalCount = 0;
    for (int j = 0; j < k; j++) {
      emaCount[j] = g * emaCount[j] + (1 - g) * count[j];
      totalCount += emaCount[j];
      for (int t = 0; t < d; t++) {
        emaSum[j * d + t] = g * emaSum[j * d + t] + (1 - g) * sum[j * d + t];
      }
    }
    double share = (double) bn / k;
    for (int j = 0; j < k; j++) {
      if (emaCount[j] < DEAD_FRACTION * share) {
        // a dead code restarts at a random block's encoder output
        int row = rnd.nextInt(bn);
        Chunk ch = chunks[row / CHUNK];
        int r = row % CHUNK;
        emaCount[j] = share;
        for (int t = 0; t < d; t++) {
          codebook[j * d + t] = ch.ze[r * d + t];
          emaSum[j * d + t] = ch.ze[r * d + t] * share;
        }
        continue;
      }
      double smoothed = (emaCount[j] + EPS) / (totalCount + k * EPS) * totalCount;
      for (int t = 0; t < d; t++) {
        codebook[j * d + t] = (float) (emaSum[j * d + t] / smoothed);
      }
    }
  }

  private static void addAll(float[][] acc, float[][] g) {
    for (int l = 0; l < acc.length; l++) {
      for (int i = 0; i < acc[l].length; i++) {
        acc[l][i] += g[l][i];
      }
    }
  }

  /** One chunk's passes through encoder, quantiser and decoder, with its own buffers. */
  private final class Chunk implements Callable<Void> {
    final DenseGrad.Work encWork = encGrad.work(CHUNK);
    final DenseGrad.Work decWork = decGrad.work(CHUNK);
    final float[] ze = new float[CHUNK * d];
    final int[] code = new int[CHUNK];
    /** Refinement: d loss / d (the rows' code latents). */
    final float[] dzq = new float[CHUNK * d];
    int[] order;
    int from, m, bn;
    Mode mode;
    double sse, commit;

    void set(int[] order, int from, int m, int bn, Mode mode) {
      this.order = order;
      this.from = from;
      this.m = m;
      this.bn = bn;
      this.mode = mode;
    }

    @Override
    public Void call() {
      final int B = VqVae.BLOCK;
      float[] in = encWork.input();
      for (int r = 0; r < m; r++) {
        System.arraycopy(x, order[from + r] * B, in, r * B, B);
      }
      float[] z = encWork.forward(m);
      System.arraycopy(z, 0, ze, 0, m * d);
      float[] zq = decWork.input();
      for (int r = 0; r < m; r++) {
        if (mode == Mode.AUTOENCODE) {
          System.arraycopy(ze, r * d, zq, r * d, d);
        } else {
          int j = mode == Mode.REFINE ? assign[order[from + r]] : VqVae.nearestLatent(codebook, k, d, ze, r * d);
          code[r] = j;
          System.arraycopy(codebook, j * d, zq, r * d, d);
        }
      }
      float[] out = decWork.forward(m);
      float[] dOut = decWork.outputGrad();
      float scale = 2.0f / (bn * B);
      double e2 = 0;
      for (int r = 0; r < m; r++) {
        int xb = order[from + r] * B;
        float f = 1f;
        if (mode == Mode.REFINE) {
          // the codec scales the decoded block by its least-squares factor: fit the block as it will be used
          float dot = 0, nn = 0;
          for (int l = 0; l < B; l++) {
            dot += out[r * B + l] * x[xb + l];
            nn += out[r * B + l] * out[r * B + l];
          }
          f = nn > 0 && dot > 0 ? dot / nn : 0f;
        }
        for (int l = 0; l < B; l++) {
          float e = f * out[r * B + l] - x[xb + l];
          e2 += (double) e * e;
          dOut[r * B + l] = scale * f * e;
        }
      }
      sse = e2;
      float[] dz = decWork.backward(m, true, true);
      float[] dze = encWork.outputGrad();
      boolean refine = mode == Mode.REFINE;
      float cScale = (float) (2 * (refine ? 1 : s.beta()) / ((double) bn * d));
      double c2 = 0;
      for (int r = 0; r < m; r++) {
        for (int t = 0; t < d; t++) {
          int i = r * d + t;
          float diff = mode == Mode.AUTOENCODE ? 0f : ze[i] - zq[i];
          c2 += (double) diff * diff;
          if (refine) {
            dzq[i] = dz[i]; // to the code's latent; the encoder only regresses to it
            dze[i] = cScale * diff;
          } else {
            dze[i] = dz[i] + cScale * diff; // straight-through, plus the commitment pull
          }
        }
      }
      commit = c2;
      encWork.backward(m, true, false);
      return null;
    }
  }
}
