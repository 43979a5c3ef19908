package io.vdfc.codec.gmm;

import io.vdfc.codec.AbstractCodecContractTest;
import io.vdfc.codec.VdfCodec;

class GmmCodecContractTest extends AbstractCodecContractTest {
  @Override
  protected VdfCodec codec() {
    return new GmmCodec();
  }
}
