package io.vdfc.codec.zfpb;

import io.vdfc.codec.CodecOptions;

/**
 * The typed settings of a {@link ZfpbCodec}, parsed once from {@link CodecOptions}.
 *
 * @param mode how the number of coded bit planes per block is chosen
 * @param precision planes per block in {@link Mode#PRECISION} mode (1..32), else 32
 * @param blockBits bits per block in {@link Mode#RATE} mode, else 0
 * @param trim whether each coded block may drop up to {@link ZfpbFormat#MAX_TRIM} of its mode's planes when the
 *     tolerance still holds (an extension of zfp, off by default; not with rate mode)
 * @param zeroSmall accuracy mode: whether a block whose largest magnitude is at most the tolerance is stored as zeros
 *     (1 bit, the default: Vlasiator drops such blocks anyway) or, as libzfp does, coded with the planes its exponent
 *     gives ({@code small=code}: more bytes, far lower L1/L2 where much of the VDF lies below the tolerance)
 * @param entropy whether the blocks are range-coded with adaptive contexts ({@link EntropyPlaneCoder},
 *     {@code entropy=on}; whole-plane modes only) instead of written as zfp's verbatim bits (the default)
 * @param round whether decoded coefficients are moved to the middle of their truncation interval ({@code round=on},
 *     whole-plane modes only): errors centred, about half as large for the same planes
 */
record ZfpbSettings(Mode mode, int precision, int blockBits, boolean trim, boolean zeroSmall, boolean entropy,
    boolean round) {
  static final String KEY_MODE = "mode";
  static final String KEY_PRECISION = "precision";
  static final String KEY_RATE = "rate";
  static final String KEY_TRIM = "trim";
  static final String KEY_SMALL = "small";
  static final String KEY_ENTROPY = "entropy";
  static final String KEY_ROUND = "round";

  /** Smallest rate-mode block: the 9-bit block header plus one bit of coefficients. */
  static final int MIN_BLOCK_BITS = 10;
  /** Largest rate-mode block: every plane of every coefficient, more than any block can use. */
  static final int MAX_BLOCK_BITS = 9 + 32 * 129;

  /**
   * Accuracy mode with trim and rounding: on the real restart at 1e-16 with conservation, 15.5x (14.8x without
   * rounding, 9.0x without trim; 17.4x with {@code entropy=on} as well, which costs speed and so is not the default).
   */
  static final ZfpbSettings DEFAULT = new ZfpbSettings(Mode.ACCURACY, 32, 0, true, true, false, true);

  /** The mode byte of the payload header. */
  enum Mode {
    /** zfp's fixed accuracy: planes down to the tolerance's exponent, the bound verified per block. */
    ACCURACY(0),
    /** zfp's fixed precision: the same number of planes in every block. */
    PRECISION(1),
    /** zfp's fixed rate: the same number of bits in every block. */
    RATE(2);

    final int code;

    Mode(int code) {
      this.code = code;
    }

    static Mode ofCode(int code) {
      for (Mode m : values()) {
        if (m.code == code) {
          return m;
        }
      }
      return null;
    }
  }

  static ZfpbSettings parse(CodecOptions options) {
    options.requireOnly(KEY_MODE, KEY_PRECISION, KEY_RATE, KEY_TRIM, KEY_SMALL, KEY_ENTROPY, KEY_ROUND);
    String m = options.getString(KEY_MODE, "accuracy");
    boolean trim = options.getBoolean(KEY_TRIM, m.equals("accuracy"));
    String small = options.getString(KEY_SMALL, "zero");
    if (!small.equals("zero") && !small.equals("code")) {
      throw new IllegalArgumentException("codec option small=" + small + ": expected zero or code");
    }
    if (!m.equals("accuracy") && options.asMap().containsKey(KEY_SMALL)) {
      throw new IllegalArgumentException("codec option small is only allowed with mode=accuracy");
    }
    boolean zeroSmall = small.equals("zero");
    boolean entropy = options.getBoolean(KEY_ENTROPY, false);
    boolean round = options.getBoolean(KEY_ROUND, trim);
    switch (m) {
      case "accuracy" -> {
        rejectUnless(options, KEY_PRECISION, false, m);
        rejectUnless(options, KEY_RATE, false, m);
        ZfpbSettings s = new ZfpbSettings(Mode.ACCURACY, 32, 0, trim, zeroSmall, entropy, round);
        return s.equals(DEFAULT) ? DEFAULT : s;
      }
      case "precision" -> {
        rejectUnless(options, KEY_RATE, false, m);
        rejectUnless(options, KEY_PRECISION, true, m);
        return new ZfpbSettings(Mode.PRECISION, options.getInt(KEY_PRECISION, 0, 1, 32), 0, trim, true, entropy, round);
      }
      case "rate" -> {
        rejectUnless(options, KEY_PRECISION, false, m);
        rejectUnless(options, KEY_RATE, true, m);
        if (trim) {
          throw new IllegalArgumentException("codec option trim=on is not allowed with mode=rate (fixed-size blocks)");
        }
        if (entropy || round) {
          throw new IllegalArgumentException("codec options entropy=on and round=on are not allowed with mode=rate");
        }
        double rate = options.getDouble(KEY_RATE, 0);
        long bits = Math.round(rate * 64);
        if (!(bits >= MIN_BLOCK_BITS && bits <= MAX_BLOCK_BITS)) {
          throw new IllegalArgumentException(
              "codec option rate=" + rate + " (bits/value) gives " + bits + " bits per block, outside ["
                  + MIN_BLOCK_BITS + ", " + MAX_BLOCK_BITS + "]");
        }
        return new ZfpbSettings(Mode.RATE, 32, (int) bits, false, true, false, false);
      }
      default -> throw new IllegalArgumentException("codec option mode=" + m + ": expected accuracy, precision or rate");
    }
  }

  private static void rejectUnless(CodecOptions o, String key, boolean required, String mode) {
    boolean present = o.asMap().containsKey(key);
    if (present != required) {
      throw new IllegalArgumentException(
          "codec option " + key + (required ? " is required" : " is not allowed") + " with mode=" + mode);
    }
  }

  @Override
  public String toString() {
    String m = switch (mode) {
      case ACCURACY -> "mode=accuracy";
      case PRECISION -> "mode=precision,precision=" + precision;
      case RATE -> "mode=rate,rate=" + (blockBits / 64.0);
    };
    if (mode == Mode.RATE) {
      return m;
    }
    // every flag spelled out, so that the string parses back to these settings
    return m + ",trim=" + onOff(trim) + (mode == Mode.ACCURACY ? ",small=" + (zeroSmall ? "zero" : "code") : "")
        + ",entropy=" + onOff(entropy) + ",round=" + onOff(round);
  }

  private static String onOff(boolean b) {
    return b ? "on" : "off";
  }
}
