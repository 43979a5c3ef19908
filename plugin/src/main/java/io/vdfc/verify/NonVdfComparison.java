package io.vdfc.verify;

import io.vdfc.restart.CompressedVlsv;
import io.vdfc.vlsv.VlsvArray;
import io.vdfc.vlsv.VlsvFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks that two VLSV files hold the same non-VDF content: every array other than the VDFs ({@link #isVdf}) appears
 * in both with the same tag, the same attributes and the same bytes.
 */
public final class NonVdfComparison {
  /**
   * The arrays that hold or describe the VDFs: which cells have blocks and how many, the blocks themselves, and vdfc's
   * own arrays. A candidate with other blocks than the original (another tool dropped some) differs in them, which the
   * error metrics judge (a missing block counts as zeros), not this comparison.
   */
  private static final Set<String> VDF_TAGS = Set.of(CompressedVlsv.CELLSWITHBLOCKS, CompressedVlsv.BLOCKSPERCELL,
      CompressedVlsv.BLOCKIDS, CompressedVlsv.BLOCKVARIABLE, CompressedVlsv.INDEX, CompressedVlsv.RECORDS,
      CompressedVlsv.SETTINGS, CompressedVlsv.MODEL, io.vdfc.restart.FileChecksums.TAG);

  private NonVdfComparison() {
    throw new AssertionError("no instances");
  }

  /** The first difference, described, or empty when the non-VDF content is identical. */
  public static Optional<String> firstDifference(VlsvFile a, VlsvFile b) throws IOException {
    List<VlsvArray> left = nonVdf(a);
    List<VlsvArray> right = nonVdf(b);
    if (left.size() != right.size()) {
      return Optional.of(left.size() + " non-VDF arrays in " + a.path().getFileName() + " vs " + right.size() + " in "
          + b.path().getFileName());
    }
    List<VlsvArray> unmatched = new ArrayList<>(right);
    for (VlsvArray x : left) {
      VlsvArray y = null;
      for (VlsvArray cand : unmatched) {
        if (cand.tag().equals(x.tag()) && cand.attributes().equals(x.attributes())) {
          y = cand;
          break;
        }
      }
      if (y == null) {
        return Optional.of("no " + x.describe() + " in " + b.path().getFileName());
      }
      unmatched.remove(y);
      if (!sameBytes(a, x, b, y)) {
        return Optional.of(x.describe() + " differs in its data");
      }
    }
    return Optional.empty();
  }

  /** Whether {@code x} holds or describes VDFs, vdfc's format version included ({@link #VDF_TAGS}). */
  public static boolean isVdf(VlsvArray x) {
    return VDF_TAGS.contains(x.tag())
        || x.tag().equals("PARAMETER") && x.name().equals(CompressedVlsv.VERSION_PARAMETER);
  }

  private static List<VlsvArray> nonVdf(VlsvFile f) {
    List<VlsvArray> out = new ArrayList<>();
    for (VlsvArray x : f.arrays()) {
      if (!isVdf(x)) {
        out.add(x);
      }
    }
    return out;
  }

  private static boolean sameBytes(VlsvFile a, VlsvArray x, VlsvFile b, VlsvArray y) throws IOException {
    long n = x.byteSize();
    long elem = x.elementBytes();
    if (elem == 0) {
      return y.byteSize() == 0;
    }
    long step = elem * Math.max(1, (1 << 20) / elem);
    for (long off = 0; off < n; off += step) {
      int len = (int) Math.min(step, n - off);
      ByteBuffer p = a.read(x, off / elem, (int) (len / elem));
      ByteBuffer q = b.read(y, off / elem, (int) (len / elem));
      if (!p.equals(q)) {
        return false;
      }
    }
    return true;
  }
}
