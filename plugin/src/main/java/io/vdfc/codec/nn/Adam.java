package io.vdfc.codec.nn;

/**
 * Adam (Kingma and Ba 2015, beta1 0.9, beta2 0.999, epsilon 1e-8) for the weights of one {@link DenseNet}, or for one
 * plain parameter vector: the first and second moment estimates, and the step with bias correction.
 */
public final class Adam {
  static final float B1 = 0.9f, B2 = 0.999f, EPS = 1e-8f;

  private final DenseNet net;
  private final float[][] mw, vw, mb, vb;
  private final float[] vector, mv, vv;

  /** Adam for a plain vector of parameters (moved in place by {@link #step(float[], double, long)}). */
  public Adam(float[] vector) {
    this.net = null;
    mw = vw = mb = vb = null;
    this.vector = vector;
    mv = new float[vector.length];
    vv = new float[vector.length];
  }

  public Adam(DenseNet net) {
    vector = mv = vv = null;
    this.net = net;
    int layers = net.layers();
    mw = new float[layers][];
    vw = new float[layers][];
    mb = new float[layers][];
    vb = new float[layers][];
    for (int l = 0; l < layers; l++) {
      mw[l] = new float[net.w[l].length];
      vw[l] = new float[net.w[l].length];
      mb[l] = new float[net.b[l].length];
      vb[l] = new float[net.b[l].length];
    }
  }

  /**
   * The learning rate of step {@code step} (0-based) of {@code total}: a cosine from {@code lr} down to
   * {@code lr * finalFraction}.
   */
  public static double cosineRate(double lr, double finalFraction, long step, long total) {
    double progress = total <= 1 ? 0 : (double) step / (total - 1);
    return lr * (finalFraction + (1 - finalFraction) * 0.5 * (1 + StrictMath.cos(Math.PI * progress)));
  }

  /** The step size {@code lr / (1 - beta1^t)} of step {@code t} (1-based). */
  static float c1(double lr, long t) {
    return (float) (lr / (1 - StrictMath.pow(B1, t)));
  }

  /** The second-moment correction {@code 1 / (1 - beta2^t)}. */
  static float c2(long t) {
    return (float) (1 / (1 - StrictMath.pow(B2, t)));
  }

  /**
   * Step {@code t} (1-based) with learning rate {@code lr}, for the gradients {@code gw}, {@code gb} (per layer, as
   * {@link DenseGrad.Work#gw}); the network's weights move in place (refresh its {@link DenseGrad} afterwards).
   */
  public void step(float[][] gw, float[][] gb, double lr, long t) {
    float c1 = c1(lr, t), c2 = c2(t);
    for (int l = 0; l < net.layers(); l++) {
      update(net.w[l], gw[l], mw[l], vw[l], c1, c2);
      update(net.b[l], gb[l], mb[l], vb[l], c1, c2);
    }
  }

  /** Step {@code t} (1-based) of the plain vector for gradient {@code g}. */
  public void step(float[] g, double lr, long t) {
    update(vector, g, mv, vv, c1(lr, t), c2(t));
  }

  static void update(float[] p, float[] g, float[] m, float[] v, float c1, float c2) {
    for (int k = 0; k < p.length; k++) {
      float gk = g[k];
      m[k] = B1 * m[k] + (1 - B1) * gk;
      v[k] = B2 * v[k] + (1 - B2) * gk * gk;
      p[k] -= c1 * m[k] / ((float) Math.sqrt(v[k] * c2) + EPS);
    }
  }
}
