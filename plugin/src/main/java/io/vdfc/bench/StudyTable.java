package io.vdfc.bench;

import java.util.List;

/**
 * The method study's table ({@code shared/notes/metrics.md}: the study VDF, 50^3 float32 = 500,000 B reference) and
 * the vdfc codec that stands for each of its methods. {@link StudyBench} measures every entry whose codec is
 * registered. Helpers adding a method append one entry at the end of {@link #ENTRIES}.
 */
public final class StudyTable {
  /**
   * One method of the study.
   *
   * @param method the study's name for it
   * @param codec the registered vdfc codec that implements it
   * @param options that codec's options ({@code key=value,...}, empty for defaults)
   * @param studySetting the study's own setting, as it printed it
   * @param studyRatio the study's ratio (NaN where it printed none)
   * @param studyN the study's density error, in percent
   * @param studyL1 the study's L1
   * @param studyL2 the study's L2
   * @param note what differs from the study (e.g. bytes it did not count)
   */
  public record Entry(String method, String codec, String options, String studySetting, double studyRatio,
      double studyN, double studyL1, double studyL2, String note) {}

  /** The study's methods, in its table's order; other helpers append theirs at the end. */
  public static final List<Entry> ENTRIES = List.of(
      new Entry("zlib (lossless)", "deflate", "", "zlib", 1.54, 0, 0, 0, ""),
      new Entry("zfp", "zfpb", "", "tolerance 1e-13", 87.3, 0.083, 0.046, 0.032,
          "our zfp algorithm on 4^3 blocks (libzfp 1.0.0 peer: 87.2x at 1e-13)"),
      new Entry("3D block DCT", "dct", "block=8", "8^3 blocks keep 4^3", 8, 0.394, 0.046, 0.044,
          "coefficients selected by tolerance, not a fixed 4^3"),
      new Entry("PCA on log10", "pca", "scope=cell", "30 components", 83.3, 0.031, 0.006, 0.007,
          "study ratio ignores its basis: 500,000 B / 6,000 B = 50 x 30 float32 scores; if its components are the "
              + "2,500-value slices that implies, basis + mean add 310,000 B: 1.58x. Ours counts every byte (basis in payload)"),
      new Entry("PCA on log10", "pca", "scope=file", "30 components", 83.3, 0.031, 0.006, 0.007,
          "one basis per file: here trained on the one cell and counted in full; restart column: basis counted once"),
      new Entry("DWT int8 quantised", "dwt", "wavelet=cdf97", "bior1.3, int8", 3.98, 6.0, 0.082, 0.058,
          "CDF 9/7 (bior4.4) instead of bior1.3"),
      new Entry("DWT thresholded", "dwt", "wavelet=db4", "db4", 1.92, 0.038, 0.0, 0.001, ""));

  private StudyTable() {
    throw new AssertionError("no instances");
  }
}
