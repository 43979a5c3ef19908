package io.vdfc.codec.nn;

import io.vdfc.codec.CodecOptions;
import java.util.function.Consumer;

/**
 * Settings of the coordinate MLP codecs ({@code mlp}, {@code mlpff}), from codec options.
 *
 * @param layers hidden layers ({@code layers=}, 1..16)
 * @param width units per hidden layer ({@code width=}, 1..1024)
 * @param epochs training passes ({@code epochs=}, 0..10000)
 * @param batch samples per Adam step ({@code batch=})
 * @param lr initial Adam learning rate ({@code lr=}), cosine-decayed to 5 % of it
 * @param bits bits per quantised weight ({@code bits=}, 2..16)
 * @param order random Fourier features ({@code order=}, 0 = plain coordinates)
 * @param sigma standard deviation of the Fourier frequencies ({@code sigma=})
 * @param seed seed of the initial weights, the shuffle and the Fourier matrix ({@code seed=})
 * @param decades dynamic range of the log scaling below the peak ({@code decades=})
 * @param peakWeight loss weight {@code 1 + peakWeight * f / peak} per value ({@code peakweight=}): pulls the log-space
 *     fit towards the values that dominate L2 and the moments
 * @param residual whether a zfpb residual makes the codec meet the tolerance ({@code residual=on|off}); off gives the
 *     model alone, as the method study measured it
 * @param threads training threads ({@code threads=}; results do not depend on it)
 * @param progress print one line per epoch to stderr ({@code progress=on})
 */
public record MlpSettings(int layers, int width, int epochs, int batch, double lr, int bits, int order, double sigma,
    long seed, double decades, double peakWeight, boolean residual, int threads, boolean progress) {

  public static final String[] KEYS = {
      "layers", "width", "epochs", "batch", "lr", "bits", "order", "sigma", "seed", "decades", "peakweight", "residual", "threads",
      "progress"};

  /** Parses options over the given defaults. */
  public static MlpSettings parse(CodecOptions o, MlpSettings d) {
    o.requireOnly(KEYS);
    MlpSettings s = new MlpSettings(o.getInt("layers", d.layers, 1, 16), o.getInt("width", d.width, 1, 1024),
        o.getInt("epochs", d.epochs, 0, 10000), o.getInt("batch", d.batch, 1, 1 << 16), o.getDouble("lr", d.lr),
        o.getInt("bits", d.bits, 2, 16), o.getInt("order", d.order, 0, 255), o.getDouble("sigma", d.sigma),
        o.getInt("seed", (int) d.seed, Integer.MIN_VALUE, Integer.MAX_VALUE), o.getDouble("decades", d.decades), o.getDouble("peakweight", d.peakWeight),
        o.getBoolean("residual", d.residual), o.getInt("threads", d.threads, 1, 256), o.getBoolean("progress", d.progress));
    if (!(s.lr > 0 && s.lr < 1)) {
      throw new IllegalArgumentException("codec option lr=" + s.lr + " is outside (0, 1)");
    }
    if (!(s.sigma > 0 && s.sigma < 1000)) {
      throw new IllegalArgumentException("codec option sigma=" + s.sigma + " is outside (0, 1000)");
    }
    if (!(s.decades >= 1 && s.decades <= 30)) {
      throw new IllegalArgumentException("codec option decades=" + s.decades + " is outside [1, 30]");
    }
    if (!(s.peakWeight >= 0 && s.peakWeight <= 1e6)) {
      throw new IllegalArgumentException("codec option peakweight=" + s.peakWeight + " is outside [0, 1e6]");
    }
    return s;
  }

  /** Default training threads: the machine's cores, at most 8. */
  public static int defaultThreads() {
    return Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors()));
  }

  Trainer.Settings training(Consumer<String> sink) {
    return new Trainer.Settings(epochs, batch, lr, 0.05, seed, threads, progress ? sink : null);
  }
}
