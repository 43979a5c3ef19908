package io.vdfc.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The proton block values of the real restart, cell by cell, read through a minimal footer lookup (the proton
 * BLOCKSPERCELL and BLOCKVARIABLE arrays only): enough for codec tests on real data without the VLSV reader.
 */
public final class RestartProtonBlocks {
  private RestartProtonBlocks() {
    throw new AssertionError("no instances");
  }

  /** {@code cells[c]} holds {@code 64 * blocks} float32 values of the c-th stored cell. */
  public static float[][] cells() {
    try {
      ByteBuffer file = ByteBuffer.wrap(Files.readAllBytes(SharedData.realRestart())).order(ByteOrder.LITTLE_ENDIAN);
      int footerAt = (int) file.getLong(8);
      String footer = new String(file.array(), footerAt, file.capacity() - footerAt, StandardCharsets.US_ASCII);
      int cells = (int) attribute(footer, "BLOCKSPERCELL", "arraysize");
      int bpcAt = (int) attribute(footer, "BLOCKSPERCELL", null);
      int valuesAt = (int) attribute(footer, "BLOCKVARIABLE", null);
      float[][] out = new float[cells][];
      int at = valuesAt;
      for (int c = 0; c < cells; c++) {
        int n = file.getInt(bpcAt + 4 * c);
        out[c] = new float[n * 64];
        file.position(at);
        file.asFloatBuffer().get(out[c]);
        at += n * 64 * 4;
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // The proton array's offset (attr null) or an attribute of its footer line.
  private static long attribute(String footer, String tag, String attr) {
    Matcher line = Pattern.compile("<" + tag + " ([^>]*name=\"proton\"[^>]*)>(\\d+)<").matcher(footer);
    if (!line.find()) {
      throw new AssertionError("no proton " + tag + " in the real restart's footer");
    }
    if (attr == null) {
      return Long.parseLong(line.group(2));
    }
    Matcher m = Pattern.compile(attr + "=\"(\\d+)\"").matcher(line.group(1));
    if (!m.find()) {
      throw new AssertionError("no " + attr + " on " + tag);
    }
    return Long.parseLong(m.group(1));
  }
}
