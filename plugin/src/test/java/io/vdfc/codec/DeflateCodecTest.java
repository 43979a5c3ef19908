package io.vdfc.codec;

import io.vdfc.codec.deflate.DeflateCodec;

class DeflateCodecTest extends AbstractCodecContractTest {
  @Override
  protected VdfCodec codec() {
    return new DeflateCodec();
  }
}
