package io.vdfc.testing;

import io.vdfc.restart.FileChecksums;
import io.vdfc.restart.VlsvRewrite;
import java.util.List;

/**
 * A test's write plan that appends only the file checksums: the implementing test says which input arrays it replaces
 * and how many arrays the output has ({@link #arrays}, the checksum array's length).
 */
public interface ChecksummedPlan extends VlsvRewrite.Plan {
  /** Arrays in the output, the checksum array included. */
  int arrays();

  @Override
  default List<VlsvRewrite.NewArray> appended() {
    return List.of(FileChecksums.newArray(arrays()));
  }

  @Override
  default boolean checksummed() {
    return true;
  }
}
