package io.vdfc.codec.nn;

/**
 * The Adam optimiser (Kingma and Ba) with the usual constants, over a fixed set of float tensors: first and second
 * moment estimates per parameter, bias-corrected. Plain loops in a fixed order, so updates are the same bits on every
 * JVM.
 */
public final class Adam {
  static final float B1 = 0.9f, B2 = 0.999f, EPS = 1e-8f;

  private final float[][] params;
  private final float[][] m;
  private final float[][] v;
  private long t;

  /** An optimiser of {@code params} (updated in place by {@link #step}). */
  public Adam(float[][] params) {
    this.params = params;
    m = new float[params.length][];
    v = new float[params.length][];
    for (int i = 0; i < params.length; i++) {
      m[i] = new float[params[i].length];
      v[i] = new float[params[i].length];
    }
  }

  /** One step with gradients shaped like the parameters, at learning rate {@code lr}. */
  public void step(float[][] grads, double lr) {
    t++;
    float c1 = (float) (lr / (1 - StrictMath.pow(B1, t)));
    float c2 = (float) (1 / (1 - StrictMath.pow(B2, t)));
    for (int i = 0; i < params.length; i++) {
      update(params[i], grads[i], m[i], v[i], c1, c2);
    }
  }

  /**
   * One Adam update of {@code p} by gradient {@code g}, with moment estimates {@code m}, {@code v} (all modified).
   *
   * @param c1 learning rate over the first moment's bias correction
   * @param c2 one over the second moment's bias correction
   */
  static void update(float[] p, float[] g, float[] m, float[] v, float c1, float c2) {
    for (int k = 0; k < p.length; k++) {
      float gk = g[k];
      m[k] = B1 * m[k] + (1 - B1) * gk;
      v[k] = B2 * v[k] + (1 - B2) * gk * gk;
      p[k] -= c1 * m[k] / ((float) Math.sqrt(v[k] * c2) + EPS);
    }
  }
}
