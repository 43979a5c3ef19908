package io.vdfc.cli;

import io.vdfc.codec.CodecRegistry;
import io.vdfc.codec.VdfCodec;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code vdfc codecs}: the registered codecs. */
@Command(name = "codecs", mixinStandardHelpOptions = true, description = "List the registered codecs.")
public final class CodecsCommand implements Callable<Integer> {
  @picocli.CommandLine.Option(names = "--json", description = "print as JSON") boolean json;

  @Override
  public Integer call() {
    if (json) {
      java.util.List<Object> list = new java.util.ArrayList<>();
      for (VdfCodec c : CodecRegistry.get().all()) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("name", c.name());
        m.put("id", c.id());
        m.put("version", c.version());
        m.put("lossless", c.lossless());
        list.add(m);
      }
      System.out.println(Json.write(java.util.Map.of("codecs", list)));
      return Vdfc.EXIT_OK;
    }
    System.out.printf("%-10s %4s %8s  %s%n", "name", "id", "version", "kind");
    for (VdfCodec c : CodecRegistry.get().all()) {
      System.out.printf("%-10s %4d %8d  %s%n", c.name(), c.id(), c.version(), c.lossless() ? "lossless" : "lossy, error-bounded");
    }
    return Vdfc.EXIT_OK;
  }
}
