package io.vdfc.conserve;

import io.vdfc.codec.CorruptRecordException;
import io.vdfc.vdf.CellVdf;
import java.nio.ByteBuffer;

/** PLACEHOLDER until the conservation branch lands: never conserves. */
public final class MomentConservation {
  private MomentConservation() {}

  public record Result(float[] values, String failure) {
    public boolean ok() {
      return failure == null;
    }
  }

  public static byte[] targets(CellVdf original) {
    return new byte[0];
  }

  public static Result apply(CellVdf reconstruction, ByteBuffer targets) throws CorruptRecordException {
    return new Result(null, "conservation not built yet");
  }
}
