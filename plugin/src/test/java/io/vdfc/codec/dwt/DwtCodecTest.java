package io.vdfc.codec.dwt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vdfc.codec.AbstractCodecContractTest;
import io.vdfc.codec.CodecOptions;
import io.vdfc.codec.RealCellsCheck;
import io.vdfc.codec.VdfCodec;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DwtCodecTest extends AbstractCodecContractTest {
  @Override
  protected VdfCodec codec() {
    return new DwtCodec();
  }

  @Test
  void givenEachWavelet_whenTransformedAndInverted_thenPerfectReconstruction() {
    Random r = new Random(1);
    for (Wavelet w : Wavelet.values()) {
      for (int n : new int[] {2, 4, 6, 8, 16, 34}) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
          x[i] = r.nextGaussian();
        }
        double[] y = x.clone();
        double[] tmp = new double[n];
        w.apply(y, n, tmp, false);
        w.apply(y, n, tmp, true);
        for (int i = 0; i < n; i++) {
          assertEquals(x[i], y[i], 1e-9, w + " n=" + n + " i=" + i);
        }
      }
    }
  }

  @Test
  void givenStationaryTransform_whenInverted_thenPerfectReconstruction() {
    Random r = new Random(2);
    for (Wavelet w : new Wavelet[] {Wavelet.HAAR, Wavelet.DB4}) {
      Stationary t = new Stationary(8, 4, 12, 2, w);
      double[] x = new double[t.n];
      for (int i = 0; i < x.length; i++) {
        x[i] = r.nextGaussian();
      }
      double[] back = t.inverse(t.forward(x));
      for (int i = 0; i < x.length; i++) {
        assertEquals(x[i], back[i], 1e-9, w + " value " + i);
      }
    }
  }

  @Test
  void givenStationaryOption_whenRoundTripped_thenBoundHolds() throws Exception {
    RealCellsCheck.syntheticWithinBound(new DwtCodec().configure(CodecOptions.parse("stationary=on,levels=2")));
    RealCellsCheck.syntheticWithinBound(new DwtCodec().configure(CodecOptions.parse("stationary=on,wavelet=db4,levels=1")));
  }

  @Test
  void givenEveryWavelet_whenRoundTripped_thenBoundHolds() throws Exception {
    for (String o : new String[] {"wavelet=haar,levels=1", "wavelet=db4,levels=4", "wavelet=cdf97,levels=2,step=6,deadzone=1"}) {
      RealCellsCheck.syntheticWithinBound(new DwtCodec().configure(CodecOptions.parse(o)));
    }
  }

  @Test
  void givenRealRestartCells_whenCompressed_thenBoundAndMomentsHold() {
    RealCellsCheck.realRestartWithinBoundAndConserved(new DwtCodec());
  }
}
