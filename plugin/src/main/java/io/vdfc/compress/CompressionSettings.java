package io.vdfc.compress;

import io.vdfc.codec.CodecOptions;
import io.vdfc.codec.CodecRegistry;
import io.vdfc.codec.Tolerance;
import io.vdfc.codec.VdfCodec;
import java.util.Objects;

/**
 * What to do with every cell of a population: the configured codec, the pointwise bound, whether moments are
 * conserved exactly, and the safety factor that leaves the correction its room inside the bound.
 *
 * @param codec a configured codec
 * @param tolerance the user's bound (ignored by lossless codecs)
 * @param conserve correct density, momentum and pressure after lossy decoding (on by default)
 * @param options the codec options {@code codec} was configured with ({@link CodecOptions#toString}; empty for none),
 *     for reports and the file's settings text: a codec does not say which options it was given
 */
public record CompressionSettings(VdfCodec codec, Tolerance tolerance, boolean conserve, String options) {
  public CompressionSettings {
    Objects.requireNonNull(codec, "codec");
    Objects.requireNonNull(tolerance, "tolerance");
    Objects.requireNonNull(options, "options");
  }

  /** Settings of a codec with its default options. */
  public CompressionSettings(VdfCodec codec, Tolerance tolerance, boolean conserve) {
    this(codec, tolerance, conserve, "");
  }

  /** The same settings with {@code other} as the codec (the same one bound to a model, say), its options kept. */
  public CompressionSettings withCodec(VdfCodec other) {
    return new CompressionSettings(other, tolerance, conserve, options);
  }

  /** Lossless storage with the raw codec (verification, byte-identical round trips). */
  public static CompressionSettings lossless(String codecName) {
    return new CompressionSettings(CodecRegistry.get().byName(codecName), new Tolerance(Tolerance.Kind.ABSOLUTE, 1), false);
  }

  @Override
  public String toString() {
    return codec.name() + (options.isEmpty() ? "" : " " + options)
        + (codec.lossless() ? " (lossless)" : " tolerance " + tolerance + (conserve ? ", moments conserved" : ""));
  }
}
