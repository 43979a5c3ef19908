package io.vdfc.bench;

import io.vdfc.codec.Tolerance;
import io.vdfc.peer.zfp.ZfpPeer;
import io.vdfc.vdf.CellVdf;

/**
 * The real zfp library (Debian libzfp, in-process through JavaCPP) in fixed-accuracy mode on the same 4x4x4 blocks:
 * one 4 x 4 x 4n field per cell. Its size counts the zfp stream plus the 4-byte block IDs a decoder needs (zfp has no
 * header of its own here; the tolerance and block count are taken as known, which favours the peer slightly).
 */
public final class ZfpPeerSubject implements BenchSubject {
  private final Tolerance tolerance;

  public ZfpPeerSubject(Tolerance tolerance) {
    this.tolerance = tolerance;
  }

  @Override
  public String label() {
    return "libzfp " + tolerance;
  }

  @Override
  public Encoded encode(CellVdf cell, double minValue) {
    double tol = tolerance.resolve(minValue, cell.peak());
    byte[] z = cell.blockCount() == 0 ? new byte[0] : ZfpPeer.compress(cell.values(), cell.blockCount(), tol);
    return new Encoded(z.length + 4L * cell.blockCount(), new Object[] {z, tol});
  }

  @Override
  public CellVdf decode(Encoded e, CellVdf original) {
    Object[] d = (Object[]) e.data();
    if (original.blockCount() == 0) {
      return original;
    }
    return original.withValues(ZfpPeer.decompress((byte[]) d[0], original.blockCount(), (Double) d[1]));
  }
}
