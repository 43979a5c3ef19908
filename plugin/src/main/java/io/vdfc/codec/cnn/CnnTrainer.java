package io.vdfc.codec.cnn;

import io.vdfc.codec.nn.Adam;
import io.vdfc.codec.nn.Workers;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * Adam on the weighted squared error of the autoencoder's reconstruction, over random crops of the training grids.
 *
 * <p>Each step takes {@code batch} crops of at most {@code crop} cells per axis, at offsets that are multiples of
 * {@code 2^levels} (so a crop's latent grid lines up with its grid's), drawn in order from one seeded generator. Every
 * crop's forward and backward pass has its own buffers and gradients (run on {@code threads} threads); the gradients
 * are summed in crop order. The result depends on the seed only, not on the thread count.
 */
final class CnnTrainer {
  /**
   * Training settings.
   *
   * @param steps Adam steps
   * @param batch crops per step
   * @param crop largest crop edge in grid cells (a multiple of {@code 2^levels})
   * @param lr initial learning rate; decays by a cosine to a twentieth of it
   * @param progress receives a line now and then, or null
   */
  record Settings(int steps, int batch, int crop, double lr, long seed, int threads, Consumer<String> progress) {}

  /** A training grid: targets, per-cell loss weights, grid size. */
  record Sample(float[] target, float[] weight, int[] dims) {}

  private CnnTrainer() {
    throw new AssertionError("no instances");
  }

  /** Trains {@code net} in place; returns the weighted mean squared error of the last tenth of the steps. */
  static double train(ConvAutoencoder net, List<Sample> samples, Settings s) {
    if (samples.isEmpty() || s.steps() == 0) {
      return 0;
    }
    int mult = net.multiple();
    int[] maxDims = new int[3];
    for (Sample x : samples) {
      for (int a = 0; a < 3; a++) {
        maxDims[a] = Math.max(maxDims[a], Math.min(s.crop(), x.dims()[a]));
      }
    }
    int layers = net.layers.length;
    Adam[] adam = new Adam[layers];
    float[][] gw = new float[layers][], gb = new float[layers][];
    for (int l = 0; l < layers; l++) {
      adam[l] = new Adam(net.layers[l].dense);
      gw[l] = new float[net.layers[l].w.length];
      gb[l] = new float[net.layers[l].b.length];
    }
    List<Crop> crops = new ArrayList<>();
    for (int b = 0; b < s.batch(); b++) {
      crops.add(new Crop(net.new Pass(maxDims), samples));
    }
    SplittableRandom rnd = new SplittableRandom(s.seed());
    double tail = 0;
    long tailCells = 0;
    long t0 = System.nanoTime();
    int every = Math.max(1, s.steps() / 20);
    double windowLoss = 0;
    long windowCells = 0;
    try (Workers workers = new Workers(Math.min(s.threads(), s.batch()))) {
      for (int step = 0; step < s.steps(); step++) {
        long cells = 0;
        for (Crop c : crops) {
          c.choose(rnd, s.crop(), mult);
          cells += c.cells();
        }
        float scale = 2f / cells;
        for (Crop c : crops) {
          c.scale = scale;
        }
        workers.runAll(crops);
        double sse = 0;
        for (int l = 0; l < layers; l++) {
          java.util.Arrays.fill(gw[l], 0f);
          java.util.Arrays.fill(gb[l], 0f);
        }
        for (Crop c : crops) {
          sse += c.sse;
          for (int l = 0; l < layers; l++) {
            add(gw[l], c.pass.gw[l]);
            add(gb[l], c.pass.gb[l]);
          }
        }
        double lr = Adam.cosineRate(s.lr(), 0.05, step, s.steps());
        for (int l = 0; l < layers; l++) {
          adam[l].step(new float[][] {gw[l]}, new float[][] {gb[l]}, lr, step + 1);
        }
        windowLoss += sse;
        windowCells += cells;
        if (step >= s.steps() - Math.max(1, s.steps() / 10)) {
          tail += sse;
          tailCells += cells;
        }
        if (s.progress() != null && ((step + 1) % every == 0 || step + 1 == s.steps())) {
          s.progress().accept(String.format("step %d/%d: weighted mse %.4g (%.1f s)", step + 1, s.steps(),
              windowLoss / windowCells, (System.nanoTime() - t0) / 1e9));
          windowLoss = 0;
          windowCells = 0;
        }
      }
    }
    return tail / tailCells;
  }

  private static void add(float[] acc, float[] g) {
    for (int k = 0; k < acc.length; k++) {
      acc[k] += g[k];
    }
  }

  /** One crop of a batch: where it lies, and its forward and backward pass. */
  private static final class Crop implements Callable<Void> {
    final ConvAutoencoder.Pass pass;
    final List<Sample> samples;
    Sample sample;
    final int[] at = new int[3];
    final int[] size = new int[3];
    float scale;
    double sse;

    Crop(ConvAutoencoder.Pass pass, List<Sample> samples) {
      this.pass = pass;
      this.samples = samples;
    }

    void choose(SplittableRandom rnd, int crop, int mult) {
      sample = samples.get(rnd.nextInt(samples.size()));
      for (int a = 0; a < 3; a++) {
        int n = sample.dims()[a];
        size[a] = Math.min(crop, n);
        at[a] = mult * rnd.nextInt((n - size[a]) / mult + 1);
      }
    }

    long cells() {
      return (long) size[0] * size[1] * size[2];
    }

    @Override
    public Void call() {
      int[] d = sample.dims();
      float[] in = pass.act[0];
      for (int z = 0; z < size[2]; z++) {
        for (int y = 0; y < size[1]; y++) {
          System.arraycopy(sample.target(), at[0] + d[0] * (at[1] + y + d[1] * (at[2] + z)), in,
              size[0] * (y + size[1] * z), size[0]);
        }
      }
      float[] out = pass.forward(size.clone());
      float[] g = pass.grad[pass.grad.length - 1];
      double e2 = 0;
      for (int z = 0; z < size[2]; z++) {
        for (int y = 0; y < size[1]; y++) {
          int src = at[0] + d[0] * (at[1] + y + d[1] * (at[2] + z));
          int dst = size[0] * (y + size[1] * z);
          for (int x = 0; x < size[0]; x++) {
            float e = out[dst + x] - in[dst + x];
            float w = sample.weight()[src + x];
            e2 += (double) w * e * e;
            g[dst + x] = scale * w * e;
          }
        }
      }
      sse = e2;
      pass.clearGradients();
      pass.backward();
      return null;
    }
  }
}
