package io.vdfc.conserve;

import static io.vdfc.codec.CorruptRecordException.verify;

import io.vdfc.codec.CorruptRecordException;
import io.vdfc.metrics.Moments;
import io.vdfc.vdf.CellVdf;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * What the decoder needs to restore a cell's moments: the original's density, bulk velocity and pressure tensor
 * ({@link Moments#of}, unit mass) and the correction form the encoder chose.
 *
 * <p><b>Byte layout</b> (little-endian, 57 or 81 bytes, 4 more for the capped forms):
 *
 * <pre>
 * offset size  field
 * 0      1     header: bits 7..4 layout version (1), bit 3 pressure width (0 = float32, 1 = float64),
 *              bits 2..0 {@link CorrectionForm#id()}
 * 1      8     n   float64   sum f dV of the original (negative values included, as in metrics.md)
 * 9      24    V   3 x float64  bulk velocity (vx, vy, vz), in the mesh's velocity units
 * 33     24|48 P   6 x float32 | 6 x float64  pressure tensor about V for m = 1: xx, yy, zz, xy, xz, yz
 * 57|81  4     tau float32   only for CAPPED and CAPPED_EXPONENTIAL: the cap of the correction weight (positive, finite)
 * </pre>
 *
 * <p>Why these widths: {@code err_V} is measured in thermal speeds, and a fast cold beam has {@code |V| / v_th} above 10,
 * so a float32 V (relative 6e-8 of |V|) would already use most of the 1e-6 budget; V stays float64. Each pressure
 * component rounded to float32 moves {@code err_P} (Frobenius) by at most 6e-8, so P is float32 whenever its scale sits
 * well inside float32's normal range (trace above 1e-30, every component below 1e38), else float64 (bit 3 set). n is
 * float64 because cells of tiny values (bulk.1d's subnormal blocks) would lose it in float32. The encoder must correct
 * with the targets as decoded, so {@link #of} already rounds P the way {@link #toBytes} will store it.
 *
 * @param form the correction form the decoder applies
 * @param moments the original's moments (P already rounded to the stored width)
 * @param cap the weight cap tau of {@link CorrectionForm#CAPPED} (float32-exact), 0 for the other forms
 * @since 0.1
 */
public record MomentTargets(CorrectionForm form, Moments moments, double cap) {

  /** Layout version in the header's high nibble. */
  public static final int VERSION = 1;
  /** Encoded length with a float32 pressure tensor. */
  public static final int FLOAT_PRESSURE_LENGTH = 1 + 8 * 4 + 4 * 6;
  /** Encoded length with a float64 pressure tensor. */
  public static final int DOUBLE_PRESSURE_LENGTH = 1 + 8 * 4 + 8 * 6;

  private static final int WIDE_PRESSURE_BIT = 0x08;

  public MomentTargets {
    Objects.requireNonNull(form, "form");
    Objects.requireNonNull(moments, "moments");
    if (form.capped() ? !(cap > 0 && cap <= Float.MAX_VALUE && (float) cap == cap) : cap != 0) {
      throw new IllegalArgumentException("moment targets of form " + form + ": bad weight cap " + cap
          + (form.capped() ? " (need a positive float32)" : " (must be 0)"));
    }
  }

  /** The targets of {@code original} for {@link CorrectionForm#MULTIPLICATIVE} or {@link CorrectionForm#EXPONENTIAL}. */
  public static MomentTargets of(CellVdf original, CorrectionForm form) {
    return of(original, form, 0);
  }

  /**
   * The targets of {@code original}: its moments, P rounded as {@link #toBytes} will store it.
   *
   * @param cap for the capped forms the weight cap tau (rounded up to float32), else ignored
   */
  public static MomentTargets of(CellVdf original, CorrectionForm form, double cap) {
    return of(Moments.of(original), form, cap);
  }

  /** As {@link #of(CellVdf, CorrectionForm, double)} from the original's moments {@code m} ({@link Moments#of}). */
  static MomentTargets of(Moments m, CorrectionForm form, double cap) {
    double[] p = m.pressure().clone();
    if (pressureFitsFloat(p)) {
      for (int i = 0; i < p.length; i++) {
        p[i] = (float) p[i];
      }
    }
    double tau = 0;
    if (form.capped()) {
      tau = (float) cap < cap ? Math.nextUp((float) cap) : (float) cap;
    }
    return new MomentTargets(form, new Moments(m.n(), m.vx(), m.vy(), m.vz(), p), tau);
  }

  /** The bytes of the layout above. */
  public byte[] toBytes() {
    double[] p = moments.pressure();
    boolean narrow = pressureFitsFloat(p);
    ByteBuffer out = ByteBuffer.allocate(encodedLength()).order(ByteOrder.LITTLE_ENDIAN);
    out.put((byte) (VERSION << 4 | (narrow ? 0 : WIDE_PRESSURE_BIT) | form.id()));
    out.putDouble(moments.n()).putDouble(moments.vx()).putDouble(moments.vy()).putDouble(moments.vz());
    for (double v : p) {
      if (narrow) {
        out.putFloat((float) v);
      } else {
        out.putDouble(v);
      }
    }
    if (form.capped()) {
      out.putFloat((float) cap);
    }
    return out.array();
  }

  /** Encoded length of these targets: 57 or 81, plus 4 for the capped forms. */
  public int encodedLength() {
    return (pressureFitsFloat(moments.pressure()) ? FLOAT_PRESSURE_LENGTH : DOUBLE_PRESSURE_LENGTH)
        + (form.capped() ? 4 : 0);
  }

  /**
   * Reads targets from {@code in} at its position, whatever its byte order, and advances the position past them.
   *
   * @throws CorruptRecordException on a short buffer, an unknown version or form, or a non-finite value
   */
  public static MomentTargets read(ByteBuffer in) throws CorruptRecordException {
    int start = in.position();
    verify(in.remaining() >= 1, "moment targets at offset %d: empty, expected at least %d bytes", start, FLOAT_PRESSURE_LENGTH);
    ByteBuffer b = in.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    int header = b.get() & 0xff;
    verify(header >>> 4 == VERSION, "moment targets at offset %d: layout version %d, expected %d", start, header >>> 4, VERSION);
    CorrectionForm form = CorrectionForm.byId(header & 0x07);
    verify(form != null, "moment targets at offset %d: unknown correction form %d", start, header & 0x07);
    boolean wide = (header & WIDE_PRESSURE_BIT) != 0;
    int length = (wide ? DOUBLE_PRESSURE_LENGTH : FLOAT_PRESSURE_LENGTH) + (form.capped() ? 4 : 0);
    verify(in.remaining() >= length, "moment targets at offset %d: %d bytes left, expected %d", start, in.remaining(), length);
    double[] nv = new double[4];
    for (int i = 0; i < 4; i++) {
      nv[i] = b.getDouble();
    }
    double[] p = new double[6];
    for (int i = 0; i < 6; i++) {
      p[i] = wide ? b.getDouble() : b.getFloat();
    }
    for (int i = 0; i < 10; i++) {
      double v = i < 4 ? nv[i] : p[i - 4];
      verify(Double.isFinite(v), "moment targets at offset %d: field %d is %s, expected a finite number", start, i, v);
    }
    double cap = 0;
    if (form.capped()) {
      cap = b.getFloat();
      verify(cap > 0 && cap <= Float.MAX_VALUE, "moment targets at offset %d: weight cap %s, expected a positive finite float", start, cap);
    }
    in.position(start + length);
    return new MomentTargets(form, new Moments(nv[0], nv[1], nv[2], nv[3], p), cap);
  }

  /** Whether float32 keeps every pressure component to 6e-8 of the tensor's norm. */
  static boolean pressureFitsFloat(double[] p) {
    double trace = p[0] + p[1] + p[2];
    if (!(trace > 1e-30)) {
      return false;
    }
    for (double v : p) {
      if (!(Math.abs(v) < 1e38)) {
        return false;
      }
    }
    return true;
  }
}
