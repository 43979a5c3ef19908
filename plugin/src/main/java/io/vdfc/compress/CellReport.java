package io.vdfc.compress;

/**
 * What happened to one cell: sizes, the bound requested and achieved, and any special handling.
 *
 * @param referenceBytes Vlasiator's own size of the cell (float32 values + 4-byte block IDs)
 * @param recordBytes every byte of the cell's record
 * @param tolerance the absolute bound requested (0 for lossless storage)
 * @param maxAbs the achieved max |f'-f| (after conservation)
 * @param note special handling, empty when none (lossless fallback, non-finite values, tightened bound)
 */
public record CellReport(
    long cellId, int blocks, long referenceBytes, long recordBytes, double tolerance, double maxAbs,
    boolean conserved, int attempts, String note) {}
