package io.vdfc.cli;

import io.vdfc.parallel.Collectives;
import io.vdfc.parallel.RankContext;
import io.vdfc.restart.VlsvDecompressor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vdfc decompress IN OUT}: a standard Vlasiator VLSV file again. */
@Command(name = "decompress", mixinStandardHelpOptions = true,
    description = {"Restore a standard Vlasiator VLSV file (same cells, block IDs and block order) from a vdfc file.",
        "Byte-identical to the original when the codec was lossless."})
public final class DecompressCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "vdfc-compressed VLSV file") Path in;
  @Parameters(index = "1", description = "output VLSV file") Path out;
  @Option(names = {"-q", "--quiet"}, description = "no progress lines") boolean quiet;
  @Option(names = "--json", description = "print figures as JSON") boolean json;

  @Override
  public Integer call() throws Exception {
    Collectives c = RankContext.collectives();
    long start = System.nanoTime();
    long cells = new VlsvDecompressor(quiet).decompress(in, out, c);
    long all = c.allreduceSum(new long[] {cells})[0];
    double seconds = (System.nanoTime() - start) / 1e9;
    if (c.rank() == 0 && json) {
      Map<String, Object> top = new LinkedHashMap<>();
      top.put("input", in.toString());
      top.put("output", out.toString());
      top.put("cells", all);
      top.put("seconds", seconds);
      System.out.println(Json.write(top));
    } else if (c.rank() == 0) {
      System.out.printf("%s -> %s: %d cells restored in %.2f s%n", in, out, all, seconds);
    }
    return Vdfc.EXIT_OK;
  }
}
