package io.vdfc.bench;

import io.vdfc.vdf.CellVdf;

/** Something the benchmark measures: vdfc's pipeline with one setting, or a peer such as the real zfp library. */
public interface BenchSubject {
  /** Row label, e.g. {@code zfpb 0.5*minValue conserve}. */
  String label();

  /** Bytes a decoder needs for this cell, and the state needed to decode it. */
  Encoded encode(CellVdf cell, double minValue);

  CellVdf decode(Encoded e, CellVdf original);

  /** Bytes stored once per file whatever the cells (a shared model), counted once in a row's total. */
  default long sharedBytes() {
    return 0;
  }

  /** One encoded cell: its size (every byte a decoder needs) and the opaque data. */
  record Encoded(long bytes, Object data) {}
}
