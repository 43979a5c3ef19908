package io.vdfc.codec.deflate;

/** Byte transposition of fixed-width elements (HDF5's shuffle filter): byte k of each element, then byte k+1, ... */
public final class ByteShuffle {
  private ByteShuffle() {
    throw new AssertionError("no instances");
  }

  public static byte[] shuffle(byte[] in, int width) {
    int n = in.length / width;
    byte[] out = new byte[in.length];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < width; k++) {
        out[k * n + i] = in[i * width + k];
      }
    }
    return out;
  }

  public static byte[] unshuffle(byte[] in, int width) {
    int n = in.length / width;
    byte[] out = new byte[in.length];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < width; k++) {
        out[i * width + k] = in[k * n + i];
      }
    }
    return out;
  }
}
