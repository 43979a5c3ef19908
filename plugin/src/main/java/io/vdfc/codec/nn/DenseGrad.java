package io.vdfc.codec.nn;

/**
 * Forward and backward passes of a {@link DenseNet} for mini-batch training. The network's transposed weights (the
 * backward pass's axpy layout) are held here and must be refreshed ({@link #refresh}) after every weight update; each
 * thread works in its own {@link Work} of at most {@code rows} rows. Every loop is the same axpy as
 * {@link DenseNet#predict}'s, in a fixed order, so gradients are the same bits on every machine.
 */
public final class DenseGrad {
  private final DenseNet net;
  private final int[] sizes;
  private final float[][] wt;

  public DenseGrad(DenseNet net) {
    this.net = net;
    this.sizes = net.sizes();
    wt = new float[net.layers()][];
    for (int l = 0; l < wt.length; l++) {
      wt[l] = new float[net.w[l].length];
    }
    refresh();
  }

  public DenseNet net() {
    return net;
  }

  /** Copies the network's current weights into the transposed layout; call after every weight update. */
  public void refresh() {
    for (int l = 0; l < net.layers(); l++) {
      int ni = sizes[l], no = sizes[l + 1];
      float[] w = net.w[l], t = wt[l];
      for (int i = 0; i < ni; i++) {
        for (int o = 0; o < no; o++) {
          t[o * ni + i] = w[i * no + o];
        }
      }
    }
  }

  /** Work buffers for up to {@code rows} rows. */
  public Work work(int rows) {
    return new Work(rows);
  }

  /** One thread's buffers: activations, deltas, weight gradients and the input gradient. */
  public final class Work {
    private final int rows;
    private final float[][] act; // act[l]: inputs of layer l (act[0] the network inputs)
    private final float[][] delta; // delta[l]: d loss / d pre-activation of layer l's outputs
    /** Weight and bias gradients of the last {@link #backward}, per layer (weights input-major). */
    public final float[][] gw, gb;
    private float[] inGrad;

    Work(int rows) {
      this.rows = rows;
      int layers = net.layers();
      act = new float[layers + 1][];
      delta = new float[layers][];
      gw = new float[layers][];
      gb = new float[layers][];
      for (int l = 0; l <= layers; l++) {
        act[l] = new float[rows * sizes[l]];
      }
      for (int l = 0; l < layers; l++) {
        delta[l] = new float[rows * sizes[l + 1]];
        gw[l] = new float[net.w[l].length];
        gb[l] = new float[net.b[l].length];
      }
    }

    public int rows() {
      return rows;
    }

    /** The input rows ({@code row * inputs() + i}) the caller fills before {@link #forward}. */
    public float[] input() {
      return act[0];
    }

    /** Runs the first {@code m} rows forward; returns the outputs ({@code row * outputs() + o}). */
    public float[] forward(int m) {
      int layers = net.layers();
      for (int l = 0; l < layers; l++) {
        net.layerForward(l, act[l], act[l + 1], m, l < layers - 1);
      }
      return act[layers];
    }

    /** Where the caller writes {@code d loss / d output} of the rows before {@link #backward}. */
    public float[] outputGrad() {
      return delta[net.layers() - 1];
    }

    /**
     * Back-propagates {@link #outputGrad} through the last {@link #forward}.
     *
     * @param weights compute {@link #gw} and {@link #gb} (overwritten, summed over the rows)
     * @param inputs compute the gradient with respect to the inputs
     * @return {@code d loss / d input} ({@code row * inputs() + i}) if {@code inputs}, else null
     */
    public float[] backward(int m, boolean weights, boolean inputs) {
      int layers = net.layers();
      for (int l = layers - 1; l >= 0; l--) {
        int ni = sizes[l], no = sizes[l + 1];
        float[] d = delta[l];
        float[] a = act[l];
        if (weights) {
          float[] g = gw[l], gbl = gb[l];
          java.util.Arrays.fill(g, 0f);
          java.util.Arrays.fill(gbl, 0f);
          for (int r = 0; r < m; r++) {
            int db = r * no, ab = r * ni;
            for (int o = 0; o < no; o++) {
              gbl[o] += d[db + o];
            }
            for (int i = 0; i < ni; i++) {
              float av = a[ab + i];
              if (av == 0f) {
                continue;
              }
              int wb = i * no;
              for (int o = 0; o < no; o++) {
                g[wb + o] += av * d[db + o];
              }
            }
          }
        }
        if (l == 0 && !inputs) {
          return null;
        }
        // d loss / d inputs of layer l, then through the ReLU of layer l-1.
        float[] t = wt[l];
        float[] dIn = l > 0 ? delta[l - 1] : inputGradBuffer();
        for (int r = 0; r < m; r++) {
          int ib = r * ni, db = r * no;
          java.util.Arrays.fill(dIn, ib, ib + ni, 0f);
          for (int o = 0; o < no; o++) {
            float dv = d[db + o];
            if (dv == 0f) {
              continue;
            }
            int tb = o * ni;
            for (int i = 0; i < ni; i++) {
              dIn[ib + i] += dv * t[tb + i];
            }
          }
          if (l > 0) {
            for (int i = 0; i < ni; i++) {
              if (a[ib + i] <= 0f) {
                dIn[ib + i] = 0f;
              }
            }
          }
        }
      }
      return inGrad;
    }

    private float[] inputGradBuffer() {
      if (inGrad == null) {
        inGrad = new float[rows * sizes[0]];
      }
      return inGrad;
    }
  }
}
