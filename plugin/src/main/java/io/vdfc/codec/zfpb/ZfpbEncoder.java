package io.vdfc.codec.zfpb;

import io.vdfc.codec.zfpb.ZfpbSettings.Mode;

/**
 * Encodes the blocks of one cell ({@link ZfpbFormat}), verifying each coded block against the tolerance: a block whose
 * reconstruction is off by more than the tolerance is re-coded with more planes (an escape), and as a last resort
 * stored raw. One instance per encode call; its work arrays are reused for every block.
 */
final class ZfpbEncoder {
  private static final int BLOCK = 64;
  private static final int FINITE_LIMIT = 0x7f800000;
  /** Fraction of the tolerance at which the trim search stops trying to drop a further plane (see encodeTrimmed). */
  static final double NO_PROBE_ERROR = 0.8;

  private final ZfpbSettings settings;
  private final double tolerance;
  private final int minExp;
  private final int param;
  private final int[] q = new int[BLOCK];
  private final int[] u = new int[BLOCK];
  private final int[] r = new int[BLOCK];
  private final long[] planeBits = new long[32];
  /** Where each block's accepted reconstruction goes, or null when not asked for. */
  private float[] reconstruction;
  private final BitWriter out;
  /** Where whole-plane blocks go: {@link #out} verbatim, or a range coder with {@code entropy=on}. */
  private BlockSink sink;
  private BitWriter scratch;
  private BitReader scratchReader;
  private int[] rateCoeffs;
  private int escapes;
  /** The trim of the last trimmed block: where the next block's search starts. */
  private int lastTrim = ZfpbFormat.MAX_TRIM / 2;
  private int rawBlocks;
  /** Largest |error| of the last candidate that passed the tolerance check. */
  private double lastError;

  ZfpbEncoder(ZfpbSettings settings, double tolerance, int expectedBlocks) {
    this.settings = settings;
    this.tolerance = tolerance;
    this.minExp = ZfpbFormat.minExp(tolerance);
    this.param = switch (settings.mode()) {
      case ACCURACY -> minExp;
      case PRECISION -> settings.precision();
      case RATE -> settings.blockBits();
    };
    this.out = new BitWriter(ZfpbFormat.HEADER_BYTES + 16 * expectedBlocks);
  }

  /**
   * @param values {@code 64 * nBlocks} values, block after block
   * @throws IllegalArgumentException naming the block when a value is NaN or infinite
   */
  byte[] encode(float[] values, int nBlocks) {
    return encode(values, nBlocks, null);
  }

  /**
   * As {@link #encode(float[], int)}, also writing into {@code reconstruction} ({@code 64 * nBlocks} zeros, or null)
   * the values the decoder will return: the last candidate of each block that passed the check is the one coded, so it
   * is kept as it passes (zero blocks stay zero, raw blocks are copied).
   */
  byte[] encode(float[] values, int nBlocks, float[] reconstruction) {
    this.reconstruction = reconstruction;
    out.reset();
    out.writeBits(settings.mode().code | (settings.trim() ? ZfpbFormat.TRIM_FLAG : 0)
        | (settings.entropy() ? ZfpbFormat.ENTROPY_FLAG : 0) | (settings.round() ? ZfpbFormat.ROUND_FLAG : 0), 8);
    out.writeBits(param, 16);
    BlockSink.Entropy entropy = settings.entropy() ? new BlockSink.Entropy() : null;
    sink = entropy != null ? entropy : new BlockSink.Plain(out);
    for (int b = 0; b < nBlocks; b++) {
      encodeBlock(values, b * BLOCK, b);
    }
    byte[] header = out.toByteArray();
    if (entropy == null) {
      return header;
    }
    byte[] coded = entropy.rc.finish();
    byte[] payload = java.util.Arrays.copyOf(header, header.length + coded.length);
    System.arraycopy(coded, 0, payload, header.length, coded.length);
    return payload;
  }

  /**
   * The bits each block takes in zfp's verbatim stream ({@code nBlocks} counts; header and padding not included). With
   * {@code entropy=on} these are the bits before range coding: a block's share of a range-coded stream is not separable.
   */
  int[] blockBits(float[] values, int nBlocks) {
    this.reconstruction = null;
    out.reset();
    sink = new BlockSink.Plain(out);
    int[] bits = new int[nBlocks];
    for (int b = 0; b < nBlocks; b++) {
      long before = out.bitCount();
      encodeBlock(values, b * BLOCK, b);
      bits[b] = (int) (out.bitCount() - before);
    }
    return bits;
  }

  /** Blocks coded with more planes than their mode gives (escapes), raw blocks included, in the last encode. */
  int escapes() {
    return escapes;
  }

  int rawBlocks() {
    return rawBlocks;
  }

  private void encodeBlock(float[] v, int off, int block) {
    int maxBits = 0;
    for (int i = 0; i < BLOCK; i++) {
      maxBits = Math.max(maxBits, Float.floatToRawIntBits(v[off + i]) & 0x7fffffff);
    }
    if (maxBits >= FINITE_LIMIT) {
      throw nonFinite(v, off, block);
    }
    Mode mode = settings.mode();
    boolean small = mode == Mode.ACCURACY && Float.intBitsToFloat(maxBits) <= tolerance;
    if (maxBits == 0 || small && (settings.zeroSmall()
        || ZfpbFormat.accuracyPlanes(param, Math.max(maxBits >>> 23, 1) - 126) == 0)) {
      if (mode == Mode.RATE) {
        out.writeBit(0);
        out.writeZeros(settings.blockBits() - 1);
      } else {
        sink.zero();
      }
      return;
    }
    // frexp exponent of the largest magnitude (|v| < 2^emax), subnormals clamped to -126 like normals' lowest
    int emax = Math.max(maxBits >>> 23, 1) - 126;
    int e = emax + ZfpbFormat.EXPONENT_BIAS;
    double scale = Math.scalb(1.0, 30 - emax);
    for (int i = 0; i < BLOCK; i++) {
      q[i] = (int) (v[off + i] * scale);
    }
    BlockTransform.forward(q);
    for (int i = 0; i < BLOCK; i++) {
      q[i] = BlockTransform.toNegabinary(q[i]);
    }
    int[] order = BlockTransform.ORDER;
    for (int i = 0; i < BLOCK; i++) {
      u[i] = q[order[i]];
    }
    if (mode == Mode.RATE && encodeRateBlock(v, off, emax)) {
      return;
    }
    int planes = mode == Mode.RATE ? 0 : ZfpbFormat.planes(mode, param, emax);
    if (settings.trim() && planes > 0 && encodeTrimmed(v, off, emax, planes)) {
      return;
    }
    int p = mode == Mode.RATE ? Math.max(1, ZfpbFormat.accuracyPlanes(minExp, emax)) : Math.max(planes, 1);
    while (p <= 32 && !wholePlanesWithinTolerance(p, emax, v, off)) {
      p++;
    }
    if (p == planes && !settings.trim()) {
      sink.coded(e, -1, u, p, planeBits);
      return;
    }
    escapes++;
    if (p > 32) {
      rawBlocks++;
      if (reconstruction != null) {
        System.arraycopy(v, off, reconstruction, off, BLOCK);
      }
      sink.raw(v, off);
      return;
    }
    sink.escaped(p, e, u, planeBits);
  }

  // Trim: drop as many planes as keep the tolerance, up to MAX_TRIM; false when even dropping none misses it.
  // Neighbouring blocks of a VDF need much the same trim (on the real restart 90 % of them 3 to 5), so the search starts
  // at the previous block's and steps from there: about 2.3 checks a block where a bisection over 0..7 needs 4. The
  // error grows with the trim almost always; each candidate is checked, so a non-monotone block only costs bits, never
  // the bound. A candidate already within NO_PROBE_ERROR of the tolerance is kept without trying one plane fewer: on the
  // real bulk file at 0.8e-16, 95 % of those tries failed (1,302 of 25,243 passed); not making them saves 15 % of the
  // checks for 0.15 % of the bytes (0.09 % on the real restart).
  private boolean encodeTrimmed(float[] v, int off, int emax, int planes) {
    int hi = Math.min(ZfpbFormat.MAX_TRIM, planes - 1);
    int t = Math.min(lastTrim, hi);
    if (wholePlanesWithinTolerance(planes - t, emax, v, off)) {
      while (t < hi && lastError < NO_PROBE_ERROR * tolerance
          && wholePlanesWithinTolerance(planes - t - 1, emax, v, off)) {
        t++;
      }
    } else {
      do {
        if (t == 0) {
          return false;
        }
        t--;
      } while (!wholePlanesWithinTolerance(planes - t, emax, v, off));
    }
    lastTrim = t;
    sink.coded(emax + ZfpbFormat.EXPONENT_BIAS, t, u, planes - t, planeBits);
    return true;
  }

  // Rate mode: code within the budget into scratch, decode it back, and keep it only if within tolerance.
  private boolean encodeRateBlock(float[] v, int off, int emax) {
    if (scratch == null) {
      scratch = new BitWriter(1024);
      scratchReader = new BitReader();
      rateCoeffs = new int[BLOCK];
    }
    int budget = settings.blockBits() - 1 - ZfpbFormat.EXPONENT_BITS;
    scratch.reset();
    int used = BitPlaneCoder.encodeBudget(scratch, u, 32, budget);
    int len = scratch.snapshot();
    scratchReader.reset(scratch.array(), 0, len);
    try {
      BitPlaneCoder.decodeBudget(scratchReader, rateCoeffs, 32, budget);
    } catch (io.vdfc.codec.CorruptRecordException ex) {
      throw new IllegalStateException("zfpb rate coder could not read back its own block", ex);
    }
    int[] order = BlockTransform.ORDER;
    for (int i = 0; i < BLOCK; i++) {
      r[order[i]] = BlockTransform.fromNegabinary(rateCoeffs[i]);
    }
    if (!reconstructionWithinTolerance(r, emax, v, off)) {
      return false;
    }
    out.writeBits(1 | ((emax + ZfpbFormat.EXPONENT_BIAS) << 1), 1 + ZfpbFormat.EXPONENT_BITS);
    out.append(scratch, used);
    out.writeZeros(budget - used);
    return true;
  }

  // q holds the negabinary coefficients in block order here: truncate them in place order, no reordering needed
  private boolean wholePlanesWithinTolerance(int planes, int emax, float[] v, int off) {
    int mask = BitPlaneCoder.keptMask(planes);
    if (settings.round()) {
      int offset = ZfpbFormat.roundingOffset(planes);
      for (int i = 0; i < BLOCK; i++) {
        int kept = q[i] & mask;
        r[i] = kept == 0 ? 0 : BlockTransform.fromNegabinary(kept) + offset;
      }
    } else {
      for (int i = 0; i < BLOCK; i++) {
        r[i] = BlockTransform.fromNegabinary(q[i] & mask);
      }
    }
    return reconstructionWithinTolerance(r, emax, v, off);
  }

  // Inverse-transforms coefficients in place and compares with the originals exactly as the decoder rounds.
  private boolean reconstructionWithinTolerance(int[] coeffs, int emax, float[] v, int off) {
    BlockTransform.inverse(coeffs);
    double scale = Math.scalb(1.0, emax - 30);
    double tol = tolerance;
    double worst = 0;
    for (int i = 0; i < BLOCK; i++) {
      float d = (float) (coeffs[i] * scale);
      double e = Math.abs((double) d - v[off + i]);
      if (!(e <= tol)) {
        return false;
      }
      worst = e > worst ? e : worst;
    }
    lastError = worst;
    if (reconstruction != null) {
      // the same values again (cheaper than storing every candidate); a later passing candidate of the block overwrites
      for (int i = 0; i < BLOCK; i++) {
        reconstruction[off + i] = (float) (coeffs[i] * scale);
      }
    }
    return true;
  }

  private static IllegalArgumentException nonFinite(float[] v, int off, int block) {
    for (int i = 0; i < BLOCK; i++) {
      if (!Float.isFinite(v[off + i])) {
        return new IllegalArgumentException(
            "zfpb cannot encode block " + block + ": value " + i + " of the block is " + v[off + i]);
      }
    }
    return new IllegalArgumentException("zfpb cannot encode block " + block + ": a value is not finite");
  }
}
