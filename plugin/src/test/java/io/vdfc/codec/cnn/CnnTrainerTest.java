package io.vdfc.codec.cnn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The autoencoder learns: training cuts the reconstruction error of a smooth grid through its bottleneck. */
class CnnTrainerTest {
  @Test
  void givenASmoothGrid_whenTrained_thenTheReconstructionErrorFallsTenfold() {
    int n = 16;
    int[] dims = {n, n, n};
    float[] t = new float[n * n * n];
    for (int z = 0; z < n; z++) {
      for (int y = 0; y < n; y++) {
        for (int x = 0; x < n; x++) {
          double r2 = sq(x - 7.5) / 16 + sq(y - 6.5) / 25 + sq(z - 8.5) / 9;
          t[x + n * (y + n * z)] = (float) Math.exp(-r2 / 2);
        }
      }
    }
    float[] w = new float[t.length];
    Arrays.fill(w, 1f);
    ConvAutoencoder net = ConvAutoencoder.initialised(1, 2, 4, 2);
    double before = mse(net, t, dims);
    CnnTrainer.train(net, List.of(new CnnTrainer.Sample(t, w, dims)), new CnnTrainer.Settings(150, 2, n, 3e-3, 1, 1, null));
    double after = mse(net, t, dims);
    assertTrue(after < before / 10, "mse " + before + " -> " + after);
  }

  private static double mse(ConvAutoencoder net, float[] t, int[] dims) {
    float[] out = net.decode(net.encode(t, dims), net.latentDims(dims));
    double s = 0;
    for (int i = 0; i < t.length; i++) {
      s += sq(out[i] - t[i]);
    }
    return s / t.length;
  }

  private static double sq(double v) {
    return v * v;
  }
}
