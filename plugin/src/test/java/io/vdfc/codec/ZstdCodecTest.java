package io.vdfc.codec;

import io.vdfc.codec.zstd.ZstdCodec;

class ZstdCodecTest extends AbstractCodecContractTest {
  @Override
  protected VdfCodec codec() {
    return new ZstdCodec();
  }
}
