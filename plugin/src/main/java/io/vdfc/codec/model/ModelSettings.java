package io.vdfc.codec.model;

import io.vdfc.codec.CodecOptions;

/**
 * The options every model codec takes: {@code residual=on|off} (default on: zfpb on {@code f - model} keeps the
 * bound; off: the model alone) and {@code model=auto|always} (default auto: with the residual, the cell without a model
 * is a candidate too and wins where no model pays for its bytes; always: a model is stored in every cell).
 */
public record ModelSettings(boolean residual, boolean alwaysModel) {
  public static final ModelSettings DEFAULT = new ModelSettings(true, false);
  /** The option keys this record reads. */
  public static final String[] KEYS = {"residual", "model"};

  /** The settings with the options given in {@code o} applied over {@code base}. */
  public static ModelSettings parse(CodecOptions o, ModelSettings base) {
    String m = o.getString("model", base.alwaysModel ? "always" : "auto");
    if (!m.equals("auto") && !m.equals("always")) {
      throw new IllegalArgumentException("codec option model=" + m + " must be auto or always");
    }
    return new ModelSettings(o.getBoolean("residual", base.residual), m.equals("always"));
  }

  /** {@code keys} and {@link #KEYS} together, for {@link CodecOptions#requireOnly}. */
  public static String[] keys(String... keys) {
    String[] all = java.util.Arrays.copyOf(keys, keys.length + KEYS.length);
    System.arraycopy(KEYS, 0, all, keys.length, KEYS.length);
    return all;
  }

  @Override
  public String toString() {
    return "residual=" + (residual ? "on" : "off") + ",model=" + (alwaysModel ? "always" : "auto");
  }
}
