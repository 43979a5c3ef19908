package io.vdfc.conserve;

/**
 * What a correction form computed: the factor {@code h_j} for every positive value ({@code f'_j = g_j h_j}), or why it
 * could not.
 */
record Outcome(double[] factors, int iterations, MomentConservation.Failure failure, String detail) {
  static Outcome ok(double[] factors, int iterations) {
    return new Outcome(factors, iterations, null, null);
  }

  static Outcome fail(MomentConservation.Failure failure, int iterations, String detail) {
    return new Outcome(null, iterations, failure, detail);
  }
}
