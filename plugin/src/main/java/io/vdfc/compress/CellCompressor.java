package io.vdfc.compress;

import io.vdfc.codec.CodecRegistry;
import io.vdfc.codec.CorruptRecordException;
import io.vdfc.codec.Tolerance;
import io.vdfc.codec.VdfCodec;
import io.vdfc.conserve.MomentConservation;
import io.vdfc.metrics.Moments;
import io.vdfc.record.CellRecord;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VelocityMesh;
import java.nio.ByteBuffer;

/**
 * The per-cell pipeline: validate, encode, decode and correct exactly as the reader will, check the pointwise bound on
 * every value, tighten and retry when it does not hold, and fall back to lossless storage as a last resort. So the bound
 * recorded with each cell is one the decoder is known to meet.
 *
 * <p>Defined behaviour for input that is not a clean VDF: block IDs outside the mesh or repeated within a cell are
 * rejected ({@link BadVdfException}); NaN or infinite values make the cell lossless (reported); negative values are
 * kept by the codec within the bound (moment correction treats reconstructed negatives as 0, so with moments conserved
 * a cell with values below minus the bound is stored losslessly, reported); empty cells produce a
 * record with no blocks (written by the lossless fallback codec whatever the codec asked for); all-zero cells are
 * stored losslessly (they cost a few bytes).
 *
 * <p>Thread-safe: one instance may compress cells from many threads.
 */
public final class CellCompressor {
  /**
   * Fraction of the bound the codec gets first when moments are conserved, leaving the correction room; multiplied by
   * {@link #retryFactor} at each retry whose corrected values leave the bound. Measured on the real restart at
   * 1*minValue with zfpb (trim on): 1.0 gives 13.0x (most cells needed a retry), 0.9 14.4x, 0.8 14.8x, 0.75 14.6x,
   * 0.65 14.0x; with trim off, 1.0 gives 9.02x and 0.75 8.91x.
   */
  static final double CONSERVE_HEADROOM = 0.8;
  static final int MAX_ATTEMPTS = 8;
  /**
   * Largest factor on the codec's bound at a retry ({@link #retryFactor}). Measured with zfpb, moments conserved, on the
   * real restart at 1e-15: with a fixed factor of 0.7, 28 cells were retried, 15 of them twice (ratio 28.98x); sized by
   * the miss within [0.5, 0.85], every one of them fitted at its first retry (29.13x).
   */
  static final double RETRY_FACTOR = 0.85;
  /**
   * Smallest factor on the codec's bound at a retry. Where the correction misses by much (on the study VDF, tolerances
   * above 2 % of the peak) the miss shrinks faster than the codec's bound, so a retry sized by it alone overshot, and a
   * looser tolerance gave a much larger file: 83x at 2.8 % of the peak, 43x at 7.2 %. With this floor a looser tolerance
   * costs at most the sawtooth every retry scheme has where one more retry starts (measured over 1 % to 25 % of the peak
   * in steps of 15 %: drops of up to 13 %; 15 % with the fixed factor 0.7 used before), and on the real restart at 1e-15
   * every cell still fits by its first retry (29.13x).
   */
  static final double RETRY_FLOOR = 0.5;
  /** The retry aims at this fraction of the bound. */
  static final double RETRY_MARGIN = 0.9;
  static final String LOSSLESS_FALLBACK = "zstd";

  private final CompressionSettings settings;
  private final VdfCodec fallback;

  public CellCompressor(CompressionSettings settings) {
    this.settings = settings;
    this.fallback = CodecRegistry.get().byName(LOSSLESS_FALLBACK);
  }

  public CompressionSettings settings() {
    return settings;
  }

  /**
   * Compresses one cell.
   *
   * @param minValue the population's sparsity threshold (NaN if unknown; needed only by {@code *minValue} tolerances)
   */
  public EncodedCell compress(CellVdf cell, double minValue) {
    return compressRestoring(cell, minValue).encoded();
  }

  /**
   * A cell's record and the values a reader restores from it ({@link #decompress}), known without decoding; with the
   * original cell's moments when the compressor computed them (moments conserved), else null.
   */
  public record Restoring(EncodedCell encoded, float[] restored, Moments original) {}

  /**
   * As {@link #compress}, also handing back the values the reader will restore from the record: the pipeline already
   * holds them (the codec's reconstruction, after the moment correction the reader applies), so a caller that needs the
   * errors of the record, e.g. the trials of {@code codec = auto}, need not decode it.
   */
  public Restoring compressRestoring(CellVdf cell, double minValue) {
    validate(cell);
    VdfCodec codec = settings.codec();
    if (codec.lossless()) {
      return lossless(cell, codec, 0, "");
    }
    if (cell.blockCount() == 0) {
      return lossless(cell, fallback, 0, ""); // nothing to bound: lossy codecs need a positive tolerance
    }
    boolean conserve = settings.conserve();
    Moments moments = conserve ? Moments.of(cell) : null;
    float peak = 0f;
    // The moments' sums are finite exactly when every value is (float32 values cannot overflow a double sum), so with
    // them and a tolerance that does not need the peak, the pass below is not needed: it was 4 % of zfpb's compression
    // time with conservation on the real bulk file.
    if (moments == null || !Double.isFinite(moments.n()) || settings.tolerance().kind() == Tolerance.Kind.PEAK) {
      // one pass for both: the count of NaN/Inf values and, when all are finite, the peak (as CellVdf.peak)
      int nonFinite = 0;
      for (float v : cell.values()) {
        if (!(Math.abs(v) <= Float.MAX_VALUE)) {
          nonFinite++;
        } else if (v > peak) {
          peak = v;
        }
      }
      if (nonFinite > 0) {
        return lossless(cell, fallback, CellRecord.LOSSLESS_FALLBACK,
            nonFinite + (nonFinite == 1 ? " NaN/Inf value" : " NaN/Inf values") + ": stored losslessly");
      }
    }
    double tol = settings.tolerance().resolve(minValue, peak);
    if (!(tol > 0)) {
      return lossless(cell, fallback, CellRecord.LOSSLESS_FALLBACK, "all values zero: stored losslessly");
    }
    double codecTol = conserve ? tol * CONSERVE_HEADROOM : tol;
    String note = "";
    boolean negativesChecked = false;
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      // the payload and exactly what the reader's decode of it gives (VdfCodec's contract, tested per codec)
      VdfCodec.Reconstructed coded = codec.encodeReconstructing(cell, codecTol);
      byte[] payload = coded.payload();
      float[] decoded = coded.values();
      byte[] targets = new byte[0];
      int flags = 0;
      double maxAbs = Double.NaN;
      if (conserve) {
        MomentConservation.Encoded c = MomentConservation.encode(cell, moments, cell.withValues(decoded), codecTol, tol);
        if (c.targets() != null) {
          targets = c.targets();
          decoded = c.result().values();
          maxAbs = c.maxDifference(); // of these decoded values: encode has compared every one
          flags = CellRecord.CONSERVED;
        } else if (c.result().failure() == MomentConservation.Failure.OUT_OF_BOUND) {
          if (!negativesChecked) {
            negativesChecked = true;
            MomentConservation.Below below = MomentConservation.Below.of(cell.values(), tol);
            if (below != null) { // no retry can help: the correction sets every negative to 0
              return lossless(cell, fallback, CellRecord.LOSSLESS_FALLBACK, below.count()
                  + (below.count() == 1 ? " value" : " values") + " below -bound (lowest " + below.lowest()
                  + "), which the moment correction sets to 0: stored losslessly");
            }
          }
          codecTol *= retryFactor(c.maxDifference(), tol); // the correction needs more room inside the bound
          continue;
        } else if (c.result().failure() == MomentConservation.Failure.EMPTY && moments.n() == 0
            && allZero(cell.values())) {
          // as for a bound relative to the peak (0 here); it was tightened 10x, not conserved, and said so
          return lossless(cell, fallback, CellRecord.LOSSLESS_FALLBACK, "all values zero: stored losslessly");
        } else {
          // Conservation impossible for this cell (degenerate): store it tighter instead, and say so.
          String why = c.result().failure().toString();
          if (c.result().failure() == MomentConservation.Failure.EMPTY) {
            // usually a bound above the cell's values (an absolute tolerance meant as a fraction of the peak?)
            why += String.format(java.util.Locale.ROOT, ": the codec's bound %.3e left no value above 0, the cell's "
                + "peak is %.3e", codecTol, cell.peak());
            double zerosOff = maxAbsDiff(cell.values(), decoded);
            if (zerosOff <= tol) {
              // the bound is above every value: what was asked for is met by the codec's zeros, which no tightening
              // of the bound would conserve either (it gave a few non-zero values with large negatives around them)
              byte[] rec = CellRecord.write(codec.id(), codec.version(), 0, cell.blockIds(), tol, zerosOff,
                  new byte[0], payload);
              return new Restoring(new EncodedCell(cell.cellId(), rec, report(cell, rec, tol, zerosOff, 0, attempt,
                  "moments not conserved (" + why + "): stored as zeros within the bound")), decoded, moments);
            }
          }
          conserve = false;
          tol /= 10;
          codecTol = tol;
          note = "moments not conserved (" + why + "): bound tightened 10x";
          continue;
        }
      }
      if (!note.isEmpty()) {
        flags |= CellRecord.TIGHTENED;
      }
      if (Double.isNaN(maxAbs)) {
        maxAbs = maxAbsDiff(cell.values(), decoded);
      }
      if (maxAbs <= tol) {
        byte[] rec = CellRecord.write(codec.id(), codec.version(), flags, cell.blockIds(), tol, maxAbs, targets, payload);
        return new Restoring(new EncodedCell(cell.cellId(), rec, report(cell, rec, tol, maxAbs, flags, attempt, note)),
            decoded, moments);
      }
      codecTol *= retryFactor(maxAbs, tol);
    }
    return lossless(cell, fallback, CellRecord.LOSSLESS_FALLBACK,
        "bound not met after " + MAX_ATTEMPTS + " attempts: stored losslessly");
  }

  private static boolean allZero(float[] values) {
    for (float v : values) {
      if (v != 0) {
        return false;
      }
    }
    return true;
  }

  private Restoring lossless(CellVdf cell, VdfCodec codec, int flags, String note) {
    byte[] payload = codec.encode(cell, 0);
    byte[] rec = CellRecord.write(codec.id(), codec.version(), flags, cell.blockIds(), 0, 0, new byte[0], payload);
    return new Restoring(new EncodedCell(cell.cellId(), rec, report(cell, rec, 0, 0, flags, 1, note)), cell.values(),
        null);
  }

  private static CellReport report(CellVdf cell, byte[] rec, double tol, double maxAbs, int flags, int attempts, String note) {
    return new CellReport(cell.cellId(), cell.blockCount(), cell.referenceBytes(), rec.length, tol, maxAbs,
        (flags & CellRecord.CONSERVED) != 0, attempts, note);
  }

  /**
   * Decodes one record written by {@link #compress}.
   *
   * @param record positioned at the record, limit at its end
   * @param maxBlocks the largest block count this cell may have (from the file's index)
   */
  public static CellVdf decompress(ByteBuffer record, VelocityMesh mesh, long cellId, long maxBlocks)
      throws CorruptRecordException {
    return decompress(record, mesh, cellId, maxBlocks, CodecBinder.NONE);
  }

  /** Gives the codec a record names its shared model, if it has one ({@link io.vdfc.codec.SharedModelCodec}). */
  @FunctionalInterface
  public interface CodecBinder {
    /** No shared model available: a record of a shared-model codec is an error. */
    CodecBinder NONE = codec -> {
      CorruptRecordException.verify(!(codec instanceof io.vdfc.codec.SharedModelCodec),
          "codec %s needs the population's shared model, and the file has none", codec.name());
      return codec;
    };

    VdfCodec bind(VdfCodec registered) throws CorruptRecordException;
  }

  /** As {@link #decompress(ByteBuffer, VelocityMesh, long, long)}, binding shared-model codecs with {@code binder}. */
  public static CellVdf decompress(ByteBuffer record, VelocityMesh mesh, long cellId, long maxBlocks, CodecBinder binder)
      throws CorruptRecordException {
    CellRecord r = CellRecord.read(record, mesh.blockCount(), maxBlocks);
    VdfCodec codec = binder.bind(CodecRegistry.get().byId(r.codecId()));
    CorruptRecordException.verify(r.codecVersion() <= codec.version(),
        "codec %s payload version %d is newer than this vdfc reads (%d)", codec.name(), r.codecVersion(), codec.version());
    float[] values;
    try {
      values = codec.decode(r.payload(), mesh, r.blockIds(), r.codecVersion());
    } catch (RuntimeException e) {
      throw new CorruptRecordException("codec " + codec.name() + " failed on a corrupt payload: " + e, e);
    }
    CorruptRecordException.verify(!r.payload().hasRemaining(), "codec %s left %d payload bytes unread",
        codec.name(), r.payload().remaining());
    CellVdf cell = new CellVdf(cellId, mesh, r.blockIds(), values);
    if (r.has(CellRecord.CONSERVED)) {
      MomentConservation.Result c = MomentConservation.apply(cell, ByteBuffer.wrap(r.conservation()));
      CorruptRecordException.verify(c.ok(), "moment correction of a conserved cell failed: %s", c.failure());
      cell = cell.withValues(c.values());
    }
    return cell;
  }

  static void validate(CellVdf cell) {
    VelocityMesh mesh = cell.mesh();
    int[] ids = cell.blockIds();
    for (int b = 0; b < ids.length; b++) {
      if (!mesh.contains(ids[b])) {
        throw new BadVdfException(mesh.population() + " cell " + cell.cellId() + ": block " + b + " has ID "
            + Integer.toUnsignedLong(ids[b]) + " outside the velocity mesh of " + mesh.blockCount() + " blocks");
      }
    }
    // duplicates: an open-addressing set of the IDs, at most half full (linear time, no sort); it holds ID + 1, so 0
    // marks a free slot and the ID 2^32 - 1 (whose + 1 is 0) is tracked apart
    int bits = 32 - Integer.numberOfLeadingZeros(Math.max(1, ids.length)) + 1;
    int[] table = new int[1 << bits];
    int mask = table.length - 1;
    boolean lastIdSeen = false;
    for (int id : ids) {
      int key = id + 1;
      boolean twice;
      if (key == 0) {
        twice = lastIdSeen;
        lastIdSeen = true;
      } else {
        int h = (key * 0x9e3779b9) >>> (32 - bits);
        while (table[h] != 0 && table[h] != key) {
          h = (h + 1) & mask;
        }
        twice = table[h] == key;
        table[h] = key;
      }
      if (twice) {
        throw new BadVdfException(mesh.population() + " cell " + cell.cellId() + ": block ID " + Integer.toUnsignedLong(id)
            + " appears twice");
      }
    }
  }

  /**
   * The factor on the codec's bound for the next attempt after a correction that solved but left the bound by
   * {@code missedBy}: the codec's error and the correction's change both grow with the codec's bound, so it shrinks in
   * proportion to the miss, with a margin, within [{@link #RETRY_FLOOR}, {@link #RETRY_FACTOR}].
   */
  static double retryFactor(double missedBy, double tol) {
    double f = RETRY_MARGIN * tol / missedBy;
    if (!(f < RETRY_FACTOR)) {
      return RETRY_FACTOR; // NaN (no solved form) too
    }
    return f > RETRY_FLOOR ? f : RETRY_FLOOR;
  }

  static double maxAbsDiff(float[] a, float[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs((double) b[i] - a[i]));
    }
    return m;
  }
}
