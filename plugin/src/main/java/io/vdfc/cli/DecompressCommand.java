package io.vdfc.cli;

import io.vdfc.parallel.Collectives;
import io.vdfc.parallel.RankContext;
import io.vdfc.restart.VlsvDecompressor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
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
    VlsvDecompressor d = new VlsvDecompressor(quiet);
    long cells = d.decompress(in, out, c);
    byte[][] perRank = c.allgather(Long.toString(cells).getBytes(StandardCharsets.US_ASCII));
    double seconds = (System.nanoTime() - start) / 1e9;
    if (c.rank() == 0) {
      List<Long> counts = new ArrayList<>();
      long all = 0;
      for (byte[] b : perRank) {
        counts.add(Long.parseLong(new String(b, StandardCharsets.US_ASCII)));
        all += counts.get(counts.size() - 1);
      }
      if (json) {
        Map<String, Object> top = new LinkedHashMap<>();
        top.put("input", in.toString());
        top.put("output", out.toString());
        top.put("ranks", c.size());
        top.put("cells", all);
        top.put("cells_per_rank", counts);
        top.put("bytes", Files.size(out));
        top.put("seconds", seconds);
        top.put("decode_s", d.phases().decodeSeconds());
        top.put("write_s", d.phases().writeSeconds());
        System.out.println(Json.write(top));
      } else {
        System.out.printf("%s -> %s: %d cells restored in %.2f s on %d rank%s (cells decoded per rank: %s)%n", in, out,
            all, seconds, c.size(), c.size() == 1 ? "" : "s",
            counts.stream().map(String::valueOf).collect(Collectors.joining(",")));
      }
    }
    return Vdfc.EXIT_OK;
  }
}
