package io.vdfc.adapter;

import io.vdfc.parallel.Collectives;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;

/**
 * Stand-in for the real config parser: the file must exist and have a {@code [compression]} section; the only key
 * read is {@code deflate_level} (0..9, default 1). Other keys are left to the real parser.
 */
record PlaceholderConfig(int deflateLevel) {

  /**
   * Collective: reads the config on every rank and checks that all ranks read the same bytes. Every rank fails
   * with {@link Status#CONFIG} if any rank fails, so no rank is left waiting in a later collective.
   */
  static PlaceholderConfig readAgreed(Path path, Collectives collectives) {
    PlaceholderConfig config = null;
    AdapterException failure = null;
    long crc = 0;
    try {
      byte[] bytes = Files.readAllBytes(path);
      CRC32 c = new CRC32();
      c.update(bytes);
      crc = c.getValue();
      config = parse(path, new String(bytes, StandardCharsets.UTF_8));
    } catch (IOException e) {
      failure = new AdapterException(Status.CONFIG, "cannot read config " + path + ": " + e, e);
    } catch (AdapterException e) {
      failure = e;
    }
    long[] max = collectives.allreduceMax(new long[] {failure == null ? 0 : 1, crc});
    long[] min = collectives.allreduceMin(new long[] {crc});
    if (failure != null) {
      throw failure;
    }
    if (max[0] != 0) {
      throw new AdapterException(Status.CONFIG, "rank " + collectives.rank() + ": another rank could not read its config");
    }
    if (max[1] != min[0]) {
      throw new AdapterException(Status.CONFIG, "rank " + collectives.rank() + ": the ranks read different configs at "
          + path + " (CRC32 from " + Long.toHexString(min[0]) + " to " + Long.toHexString(max[1]) + ")");
    }
    return config;
  }

  static PlaceholderConfig parse(Path path, String text) {
    String section = "";
    boolean hasCompression = false;
    int level = 1;
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      int hash = line.indexOf('#');
      line = (hash >= 0 ? line.substring(0, hash) : line).strip();
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("[") && line.endsWith("]")) {
        section = line.substring(1, line.length() - 1).strip();
        hasCompression |= section.equals("compression");
        continue;
      }
      int eq = line.indexOf('=');
      if (eq < 0) {
        throw new AdapterException(Status.CONFIG, path + ":" + (i + 1) + ": expected key = value, got '" + line + "'");
      }
      String key = line.substring(0, eq).strip();
      String value = line.substring(eq + 1).strip();
      if (section.equals("compression") && key.equals("deflate_level")) {
        try {
          level = Integer.parseInt(value);
        } catch (NumberFormatException e) {
          level = -1;
        }
        if (level < 0 || level > 9) {
          throw new AdapterException(Status.CONFIG,
              path + ":" + (i + 1) + ": [compression] deflate_level must be an integer 0..9, got '" + value + "'");
        }
      }
    }
    if (!hasCompression) {
      throw new AdapterException(Status.CONFIG, path + ": no [compression] section");
    }
    return new PlaceholderConfig(level);
  }
}
