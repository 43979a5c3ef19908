package io.vdfc.codec.octree;

import io.vdfc.codec.AbstractCodecContractTest;
import io.vdfc.codec.VdfCodec;

class OctreeCodecContractTest extends AbstractCodecContractTest {
  @Override
  protected VdfCodec codec() {
    return new OctreeCodec();
  }
}
