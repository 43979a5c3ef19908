package io.vdfc.codec.zfpb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vdfc.codec.CodecOptions;
import io.vdfc.codec.CorruptRecordException;
import io.vdfc.codec.VdfCodec;
import io.vdfc.testing.SharedData;
import io.vdfc.testing.StudyVdf;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VlsvVdfSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link ZfpbCodec#encodeReconstructing}: the payload is {@link ZfpbCodec#encode}'s, and the values are bit for bit what
 * {@link ZfpbCodec#decode} of it returns, in every mode, on the study VDF, synthetic awkward blocks (zero, subnormal,
 * negative, 40 decades, huge, raw-stored) and every proton cell of the real restart.
 */
class ZfpbReconstructionTest {
  private static final String[] MODES = {
    "trim=on", "trim=off", "mode=precision,precision=6", "mode=precision,precision=20",
    "mode=precision,precision=9,trim=on", "mode=rate,rate=2", "mode=rate,rate=12"
  };
  private static final List<CellVdf> restart = new ArrayList<>();

  @BeforeAll
  static void load() throws Exception {
    try (VlsvVdfSource s = VlsvVdfSource.open(SharedData.realRestart())) {
      for (int i = 0; i < s.cellIds("proton").length; i++) {
        restart.add(s.cellAt("proton", i));
      }
    }
  }

  @Test
  void givenStudyAndSyntheticCells_whenEncodedReconstructing_thenValuesAreTheDecodersInEveryMode() throws Exception {
    CellVdf synthetic = ZfpbCodecTest.synthetic(new Random(11));
    for (String m : MODES) {
      VdfCodec codec = new ZfpbCodec().configure(CodecOptions.parse(m));
      for (double tol : new double[] {1e-13, 1e-16, 1e-20, 1e-30, 1e-40, 1e-3}) {
        assertReconstructionIsTheDecoders(codec, synthetic, tol, "synthetic");
      }
      for (double tol : new double[] {1e-14, 1e-16}) {
        assertReconstructionIsTheDecoders(codec, StudyVdf.cell(), tol, "study VDF");
      }
    }
  }

  @Test
  void givenEveryRealRestartCell_whenEncodedReconstructing_thenValuesAreTheDecodersInEveryMode() throws Exception {
    assertTrue(restart.size() >= 60, "the real restart has 60 proton cells, read " + restart.size());
    for (String m : MODES) {
      VdfCodec codec = new ZfpbCodec().configure(CodecOptions.parse(m));
      for (CellVdf cell : restart) {
        assertReconstructionIsTheDecoders(codec, cell, 0.8e-16, "restart");
      }
    }
  }

  private static void assertReconstructionIsTheDecoders(VdfCodec codec, CellVdf cell, double tol, String what)
      throws CorruptRecordException {
    String label = what + " cell " + cell.cellId() + " " + codec + " tol " + tol;
    VdfCodec.Reconstructed r = codec.encodeReconstructing(cell, tol);
    assertArrayEquals(codec.encode(cell, tol), r.payload(), label + ": payload differs from encode's");
    float[] decoded = ZfpbCodecTest.decode(codec, r.payload(), cell);
    assertArrayEquals(bits(decoded), bits(r.values()), label + ": reconstruction differs from decode");
  }

  private static int[] bits(float[] v) {
    int[] b = new int[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = Float.floatToRawIntBits(v[i]);
    }
    return b;
  }
}
