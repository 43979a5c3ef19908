package io.vdfc.adapter;

import io.vdfc.codec.CorruptRecordException;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VelocityMesh;

/**
 * What an {@link AdapterSession} needs from the compression pipeline: one cell of one population to a
 * self-contained record and back. The real pipeline ({@code io.vdfc.compress.CellCompressor}) plugs in here; until
 * then {@link DeflateCellCodec} is a lossless stand-in.
 */
public interface CellCodec {

  /** The record of one cell; it must not keep references to {@code cell}'s arrays. */
  byte[] encode(CellVdf cell);

  /** The cell that {@link #encode} turned into {@code record}. */
  CellVdf decode(byte[] record, VelocityMesh mesh, long cellId) throws CorruptRecordException;
}
