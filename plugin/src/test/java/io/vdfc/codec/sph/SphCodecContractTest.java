package io.vdfc.codec.sph;

import io.vdfc.codec.AbstractCodecContractTest;
import io.vdfc.codec.VdfCodec;

class SphCodecContractTest extends AbstractCodecContractTest {
  @Override
  protected VdfCodec codec() {
    return new SphCodec();
  }
}
