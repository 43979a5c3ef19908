package io.vdfc.compress;

/** A cell's record bytes ({@link io.vdfc.record.CellRecord}) and the report of how it was made. */
public record EncodedCell(long cellId, byte[] record, CellReport report) {}
