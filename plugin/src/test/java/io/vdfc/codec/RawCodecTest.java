package io.vdfc.codec;

import io.vdfc.codec.raw.RawCodec;

class RawCodecTest extends AbstractCodecContractTest {
  @Override
  protected VdfCodec codec() {
    return new RawCodec();
  }
}
