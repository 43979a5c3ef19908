package io.vdfc.codec.hermite;

import io.vdfc.codec.AbstractCodecContractTest;
import io.vdfc.codec.VdfCodec;

class HermiteCodecContractTest extends AbstractCodecContractTest {
  @Override
  protected VdfCodec codec() {
    return new HermiteCodec();
  }
}
