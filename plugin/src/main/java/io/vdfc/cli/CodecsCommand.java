package io.vdfc.cli;

import io.vdfc.codec.CodecRegistry;
import io.vdfc.codec.VdfCodec;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code vdfc codecs}: the registered codecs. */
@Command(name = "codecs", mixinStandardHelpOptions = true, description = "List the registered codecs.")
public final class CodecsCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.out.printf("%-10s %4s %8s  %s%n", "name", "id", "version", "kind");
    for (VdfCodec c : CodecRegistry.get().all()) {
      System.out.printf("%-10s %4d %8d  %s%n", c.name(), c.id(), c.version(), c.lossless() ? "lossless" : "lossy, error-bounded");
    }
    return Vdfc.EXIT_OK;
  }
}
