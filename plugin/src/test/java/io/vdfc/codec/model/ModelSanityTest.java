package io.vdfc.codec.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vdfc.codec.CodecOptions;
import io.vdfc.codec.CodecRegistry;
import io.vdfc.codec.VdfCodec;
import io.vdfc.metrics.ErrorMetrics;
import io.vdfc.testing.TestCells;
import io.vdfc.vdf.CellVdf;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The models alone ({@code residual=off}) on cells they describe exactly or nearly. */
class ModelSanityTest {
  private static final CellVdf MAXWELLIAN = TestCells.maxwellian(1, 1e6, -7.5e5, 9e4, 0, 1);

  private static ErrorMetrics modelOnly(String codec, String options, CellVdf cell) throws Exception {
    VdfCodec c = CodecRegistry.get().byName(codec).configure(CodecOptions.parse(options));
    byte[] p = c.encode(cell, 1e-30);
    float[] back = c.decode(ByteBuffer.wrap(p), cell.mesh(), cell.blockIds(), c.version());
    return ErrorMetrics.compare(cell, cell.withValues(back));
  }

  @Test
  void hermiteOfAMaxwellianReproducesItAtLowDegree() throws Exception {
    for (int d = 0; d <= 2; d++) {
      ErrorMetrics m = modelOnly("hermite", "residual=off,bits=32,degree=" + d, MAXWELLIAN);
      assertTrue(m.l2() < 1e-3, "degree " + d + ": L2 " + m.l2());
      assertTrue(m.errN() < 1e-3, "degree " + d + ": err_n " + m.errN());
    }
  }

  @Test
  void gmmWithOneComponentRecoversDensityDriftAndTemperature() throws Exception {
    ErrorMetrics m = modelOnly("gmm", "residual=off,components=1", MAXWELLIAN);
    assertTrue(m.errN() < 1e-3, "err_n " + m.errN());
    assertTrue(m.errV() < 1e-3, "err_V " + m.errV());
    assertTrue(m.errP() < 1e-2, "err_P " + m.errP());
    assertTrue(m.l2() < 1e-2, "L2 " + m.l2());
  }

  @Test
  void sphOfAnIsotropicMaxwellianNeedsOnlyDegreeZero() throws Exception {
    ErrorMetrics m = modelOnly("sph", "residual=off,bits=32,degree=0,shell=0.25", MAXWELLIAN);
    assertTrue(m.l2() < 0.05, "L2 " + m.l2());
  }

  @Test
  void octreeRefinesUntilTheLeafToleranceHolds() throws Exception {
    double peak = MAXWELLIAN.peak();
    ErrorMetrics m = modelOnly("octree", "residual=off,bits=32,leaftol=1e-3,minleaf=2", MAXWELLIAN);
    assertTrue(m.maxAbs() <= 1e-3 * peak * 1.0001, "max_abs " + m.maxAbs() + " vs " + 1e-3 * peak);
  }

  @Test
  void residualOffCanMissTheBoundAndResidualOnMeetsIt() throws Exception {
    for (String name : new String[] {"hermite", "sph", "gmm", "octree"}) {
      VdfCodec on = CodecRegistry.get().byName(name);
      double tol = MAXWELLIAN.peak() * 1e-5;
      byte[] p = on.encode(MAXWELLIAN, tol);
      float[] back = on.decode(ByteBuffer.wrap(p), MAXWELLIAN.mesh(), MAXWELLIAN.blockIds(), on.version());
      assertTrue(ModelPayload.maxAbs(MAXWELLIAN.values(), back) <= tol, name);
      assertEquals(MAXWELLIAN.values().length, back.length);
    }
  }
}
