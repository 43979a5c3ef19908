package io.vdfc.codec;

import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VelocityMesh;
import java.nio.ByteBuffer;

/**
 * A named, versioned codec for the values of one cell's sparse VDF (one population).
 *
 * <p>A codec sees only the cell: its mesh, its block IDs in stored order and its float values. Block IDs, the record
 * header (codec id, version, tolerances, CRC) and moment-conservation data are written by the record layer
 * ({@code io.vdfc.restart.CellRecord}), so the payload holds only what the values need. A codec never touches files,
 * ranks or configuration strings.
 *
 * <p>Implementations are registered for {@link java.util.ServiceLoader} in
 * {@code META-INF/services/io.vdfc.codec.VdfCodec}, have a public no-argument constructor giving the default settings,
 * are immutable and thread-safe, and live in a package of their own.
 */
public interface VdfCodec {

  /** Stable name used on the command line and in configs ({@code zfpb}). */
  String name();

  /** Stable one-byte id stored in every record; never reused. */
  int id();

  /** Format version of the payload this codec writes; decoders keep reading every older version. */
  int version();

  /** True when {@code decode(encode(cell))} returns the stored float bits exactly. */
  boolean lossless();

  /**
   * A codec with the given settings (codec-specific keys, e.g. {@code mode=precision}). Unknown keys or bad values throw
   * {@link IllegalArgumentException} naming the key. The default returns {@code this} for empty options.
   */
  default VdfCodec configure(CodecOptions options) {
    options.requireOnly();
    return this;
  }

  /**
   * Why this codec cannot code cells on {@code mesh} (a sentence naming the codec and what it needs), or null when it
   * can. Asked before any cell is encoded (at the C API's {@code vdfc_define_population}, at the start of a compress),
   * so that a mesh the codec cannot take stops the run at once; {@link #encode} refuses such cells as well. The default
   * takes any mesh.
   */
  default String meshProblem(VelocityMesh mesh) {
    return null;
  }

  /**
   * Throws if {@link #meshProblem} refuses the cell's mesh, with its sentence and the cell: the check each encode of a
   * codec that refuses some meshes makes, so that what it announces and what it refuses are one rule.
   */
  default void requireCodable(CellVdf cell) {
    String problem = meshProblem(cell.mesh());
    if (problem != null) {
      throw new IllegalArgumentException(problem + " (cell " + cell.cellId() + ")");
    }
  }

  /** The {@link #meshProblem} of a codec that codes 4x4x4 blocks only (Vlasiator's default WID 4). */
  static String unless4x4x4(String codec, VelocityMesh mesh) {
    return mesh.wid() == 4 ? null : codec + " codes 4x4x4 blocks, and the velocity mesh of " + mesh.population()
        + " has blocks of width " + mesh.wid();
  }

  /**
   * Encodes the cell's values so that every decoded value differs from the original by at most {@code tolerance}
   * (absolute; ignored by lossless codecs). The payload must carry whatever settings decoding needs.
   *
   * @param cell the cell, not modified
   * @param tolerance the absolute pointwise bound, {@code > 0}
   */
  byte[] encode(CellVdf cell, double tolerance);

  /**
   * {@link #encode} that also returns the values {@link #decode} of the payload gives, bit for bit. Callers that check
   * the reconstruction (the compressor verifies the bound and corrects moments) use it to skip a decode; codecs that
   * reconstruct while encoding override it. The default encodes, then decodes.
   *
   * @throws IllegalStateException when the codec cannot decode its own payload (a codec bug)
   * @since 0.2
   */
  default Reconstructed encodeReconstructing(CellVdf cell, double tolerance) {
    byte[] payload = encode(cell, tolerance);
    try {
      return new Reconstructed(payload, decode(ByteBuffer.wrap(payload), cell.mesh(), cell.blockIds(), version()));
    } catch (CorruptRecordException e) {
      throw new IllegalStateException("codec " + name() + " cannot decode its own output for cell " + cell.cellId(), e);
    }
  }

  /**
   * A payload and the values its decoding gives.
   *
   * @param payload what {@link #encode} returns
   * @param values what {@link #decode} of {@code payload} returns
   */
  record Reconstructed(byte[] payload, float[] values) {}

  /**
   * Decodes a payload written by {@link #encode} with format version {@code version}.
   *
   * @param payload positioned at the payload's first byte, limit at its end; must be consumed exactly
   * @param mesh the population's velocity mesh
   * @param blockIds the cell's blocks, in stored order
   * @param version the payload's format version, {@code <= version()}
   * @return {@code blockIds.length * mesh.cellsPerBlock()} values
   * @throws CorruptRecordException when the payload is malformed; never another runtime exception
   */
  float[] decode(ByteBuffer payload, VelocityMesh mesh, int[] blockIds, int version) throws CorruptRecordException;
}
