package io.vdfc.adapter;

import io.vdfc.codec.CodecRegistry;
import io.vdfc.codec.SharedModelCodec;
import io.vdfc.codec.VdfCodec;
import io.vdfc.compress.CompressionSettings;
import io.vdfc.config.CompressionConfig;
import io.vdfc.config.ConfigException;
import io.vdfc.config.VlasiatorConfig;
import io.vdfc.parallel.Collectives;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.StringJoiner;
import java.util.zip.CRC32;

/**
 * A session's configuration: the simulation's Vlasiator config file, its {@code [compression]} section
 * ({@link CompressionConfig}: unknown keys, bad values and conflicts are errors) and the per-cell settings built from
 * it. Other sections are the simulation's and are not looked at, except {@code <pop>_sparse.minValue} (the
 * population's sparsity threshold, which {@code tolerance = minValue} refers to).
 *
 * <p>In situ, a session needs a named codec: {@code codec = auto} chooses by trialling candidates over a whole file
 * ({@code vdfc restart compress}), and shared-model codecs need a model trained over all cells first; both are
 * refused with {@link Status#CONFIG}, as is {@code enabled = off} (the host should then not open a session).
 */
record SessionConfig(Path path, VlasiatorConfig vlasiator, CompressionConfig compression, CompressionSettings settings) {

  /**
   * Collective: reads the config on every rank and checks that all ranks read the same bytes. Every rank fails with
   * {@link Status#CONFIG} if any rank fails, so no rank is left waiting in a later collective.
   */
  static SessionConfig readAgreed(Path path, Collectives collectives) {
    SessionConfig config = null;
    AdapterException failure = null;
    long crc = 0;
    try {
      byte[] bytes = Files.readAllBytes(path);
      CRC32 c = new CRC32();
      c.update(bytes);
      crc = c.getValue();
      config = parse(path);
    } catch (IOException e) {
      failure = new AdapterException(Status.CONFIG, "cannot read config " + path + ": " + e, e);
    } catch (AdapterException e) {
      failure = e;
    }
    // every failing rank's message reaches every rank, so that the others say which rank failed and why
    byte[] mine = failure == null ? new byte[0]
        : ("rank " + collectives.rank() + ": " + failure.getMessage()).getBytes(StandardCharsets.UTF_8);
    StringJoiner others = new StringJoiner("; ");
    for (byte[] message : collectives.allgather(mine)) {
      if (message.length > 0) {
        others.add(new String(message, StandardCharsets.UTF_8));
      }
    }
    long[] max = collectives.allreduceMax(new long[] {crc, -crc}); // CRC32s are non-negative: -max(-crc) = min(crc)
    if (failure != null) {
      throw failure;
    }
    if (others.length() > 0) {
      throw new AdapterException(Status.CONFIG, "rank " + collectives.rank() + ": another rank could not read or accept"
          + " its config: " + others);
    }
    if (max[0] != -max[1]) {
      throw new AdapterException(Status.CONFIG, "rank " + collectives.rank() + ": the ranks read different configs at "
          + path + " (CRC32 from " + Long.toHexString(-max[1]) + " to " + Long.toHexString(max[0]) + ")");
    }
    return config;
  }

  /** Parses one rank's config; every problem is a {@link Status#CONFIG} error naming the file (and line, key). */
  static SessionConfig parse(Path path) throws IOException {
    try {
      VlasiatorConfig v = VlasiatorConfig.parse(path);
      CompressionConfig c = CompressionConfig.from(v);
      // FILE:LINE: where the key stands (FILE: for a key left at its default)
      java.util.function.Function<String, String> at = key -> {
        int line = v.line(CompressionConfig.SECTION + "." + key);
        return path + (line > 0 ? ":" + line : "") + ": [" + CompressionConfig.SECTION + "] ";
      };
      if (!c.enabled()) {
        boolean section = v.keys().stream().anyMatch(k -> k.startsWith("compression."));
        throw new AdapterException(Status.CONFIG, at.apply("enabled") + (section
            ? "enabled = off: the simulation should not open a vdfc session" : "section missing: nothing to configure"));
      }
      if (c.codec().equals(CompressionConfig.AUTO)) {
        throw new AdapterException(Status.CONFIG, at.apply("codec") + "codec = auto (the default) cannot run in situ: it"
            + " trials the candidates over a whole file; name a codec, e.g. codec = zfpb (vdfc codecs lists them)");
      }
      VdfCodec codec;
      try {
        codec = CodecRegistry.get().byName(c.codec()).configure(c.codecOptions());
      } catch (IllegalArgumentException e) {
        throw new AdapterException(Status.CONFIG, at.apply("codec") + "codec = " + c.codec() + " with codec_options '"
            + c.codecOptions() + "': " + e.getMessage(), e);
      }
      if (codec instanceof SharedModelCodec) {
        throw new AdapterException(Status.CONFIG, at.apply("codec") + "codec = " + c.codec() + " needs a model trained"
            + " over every cell first; in situ, use a per-cell codec such as zfpb");
      }
      return new SessionConfig(path, v, c, new CompressionSettings(codec, c.tolerance(), c.conserve(),
          c.codecOptions().toString()));
    } catch (ConfigException e) {
      throw new AdapterException(Status.CONFIG, "config " + path + ": " + e.getMessage(), e);
    }
  }

  /** The sparsity threshold of {@code population} from the config ({@code <pop>_sparse.minValue}, default 1e-15). */
  double minValue(String population) {
    try {
      return vlasiator.minValue(population);
    } catch (ConfigException e) {
      throw new AdapterException(Status.CONFIG, "config " + path + ": " + e.getMessage(), e);
    }
  }

  /** {@code restart_in}, resolved against the config's directory; {@link Status#CONFIG} if not given. */
  Path restartIn() {
    return required(compression.restartIn(), "restart_in");
  }

  /** {@code restart_out}, resolved against the config's directory; {@link Status#CONFIG} if not given. */
  Path restartOut() {
    return required(compression.restartOut(), "restart_out");
  }

  private Path required(Path p, String key) {
    if (p == null) {
      throw new AdapterException(Status.CONFIG, path + ": [" + CompressionConfig.SECTION + "] has no " + key
          + "; give the file there or pass a path");
    }
    return p;
  }

  /**
   * A typed value of the section as text, for the host: the keys of {@link CompressionConfig#KEYS} (paths resolved
   * and absolute, empty when unset; {@code jvm_heap} defaults to 256m), and {@code settings}, the per-cell settings.
   */
  String value(String key) {
    CompressionConfig c = compression;
    return switch (key) {
      case "enabled" -> c.enabled() ? "on" : "off";
      case "codec" -> c.codec();
      case "tolerance" -> c.tolerance().toString();
      case "conserve" -> c.conserve() ? "on" : "off";
      case "codec_options" -> c.codecOptions().toString();
      case "restart_in" -> c.restartIn() == null ? "" : c.restartIn().toAbsolutePath().toString();
      case "restart_out" -> c.restartOut() == null ? "" : c.restartOut().toAbsolutePath().toString();
      case "jvm_heap" -> c.jvmHeap() == null ? DEFAULT_JVM_HEAP : c.jvmHeap();
      case "settings" -> settings.toString();
      default -> throw new AdapterException(Status.ARGUMENT, "no config value '" + key
          + "'; known: enabled, codec, tolerance, conserve, codec_options, restart_in, restart_out, jvm_heap, settings");
    };
  }

  /** The embedded JVM's -Xmx when {@code jvm_heap} is not set (fits the real restart on one rank). */
  static final String DEFAULT_JVM_HEAP = "256m";
}
