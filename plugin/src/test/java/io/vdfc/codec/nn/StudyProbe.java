package io.vdfc.codec.nn;

import io.vdfc.bench.StudyVdf;
import io.vdfc.codec.CodecOptions;
import io.vdfc.codec.CodecRegistry;
import io.vdfc.codec.VdfCodec;
import io.vdfc.metrics.ErrorMetrics;
import io.vdfc.testing.SharedData;
import io.vdfc.vdf.CellVdf;
import java.nio.ByteBuffer;

/** Manual probe: {@code StudyProbe codec options tolerance} on the study VDF; prints ratio, L2, n, time. */
public final class StudyProbe {
  public static void main(String[] a) throws Exception {
    CellVdf cell = StudyVdf.cell(SharedData.file("study-vdf/vdfData.bin"));
    VdfCodec c = CodecRegistry.get().byName(a[0]).configure(CodecOptions.parse(a.length > 1 ? a[1] : ""));
    double tol = a.length > 2 ? Double.parseDouble(a[2]) : 1e-13;
    long t0 = System.nanoTime();
    byte[] p = c.encode(cell, tol);
    long t1 = System.nanoTime();
    float[] back = c.decode(ByteBuffer.wrap(p), cell.mesh(), cell.blockIds(), c.version());
    long t2 = System.nanoTime();
    ErrorMetrics m = ErrorMetrics.compare(cell, cell.withValues(back));
    System.out.printf("%s %s tol %.1e: %d B ratio %.1f L1 %.4f L2 %.4f n %.3f%% maxAbs %.2e enc %.2fs dec %.2fs blocks %d%n",
        a[0], c, tol, p.length, StudyVdf.REFERENCE_BYTES / (double) p.length, m.l1(), m.l2(), 100 * m.errN(), m.maxAbs(),
        (t1 - t0) / 1e9, (t2 - t1) / 1e9, cell.blockCount());
  }
}
