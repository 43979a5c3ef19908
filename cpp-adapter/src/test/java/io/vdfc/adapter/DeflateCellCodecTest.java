package io.vdfc.adapter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import io.vdfc.codec.CorruptRecordException;
import io.vdfc.vdf.CellVdf;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DeflateCellCodecTest {
  @Test
  void realCellRoundTripsAndDamagedRecordsFailCleanly() throws Exception {
    CellVdf cell = StudyVdf.load(5);
    DeflateCellCodec codec = new DeflateCellCodec(1);
    byte[] record = codec.encode(cell);
    CellVdf back = codec.decode(record, cell.mesh(), 5);
    assertArrayEquals(cell.blockIds(), back.blockIds());
    assertArrayEquals(cell.values(), back.values());
    for (int cut = 0; cut < record.length; cut += Math.max(1, record.length / 97)) {
      byte[] truncated = Arrays.copyOf(record, cut);
      assertThrows(CorruptRecordException.class, () -> codec.decode(truncated, cell.mesh(), 5), "cut at " + cut);
    }
    for (int at = 0; at < 64; at++) {
      byte[] flipped = record.clone();
      flipped[at] ^= (byte) 0x55;
      try {
        codec.decode(flipped, cell.mesh(), 5);  // a flip in the stream's tail may still inflate: the CRC catches it
      } catch (CorruptRecordException expected) {
        // fine: only this exception type may come out
      } catch (RuntimeException e) {
        fail("bit flip at " + at + " gave " + e);
      }
    }
  }
}
