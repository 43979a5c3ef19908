package io.vdfc.codec.vq;

import io.vdfc.codec.CodecOptions;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VlsvVdfSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Retrains the shipped codebook ({@code codebook=builtin}) from a VLSV file with VDFs, on the first population's cells
 * (every k-th, at most {@link VqCodec#maxTrainingCells()}) at a tolerance of 1*minValue. The shipped
 * {@code codebook-v1.bin} was made, from the repository root after {@code mvn -B -q package -DskipTests}, by
 * <pre>
 *   java -cp 'plugin/target/classes:plugin/target/lib/*' io.vdfc.codec.vq.VqTrain \
 *     ../shared/data/ipshock/restart.0000100.vlsv plugin/src/main/resources/io/vdfc/codec/vq/codebook-v1.bin
 * </pre>
 * (optional third argument: codec options such as {@code codes=128,iterations=12}).
 */
public final class VqTrain {
  private VqTrain() {
    throw new AssertionError("no instances");
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: VqTrain FILE.vlsv OUT.bin [codec options]");
      System.exit(2);
    }
    VqCodec codec = (VqCodec) new VqCodec().configure(CodecOptions.parse(args.length > 2 ? args[2] : ""));
    try (VlsvVdfSource src = VlsvVdfSource.open(Path.of(args[0]))) {
      String pop = src.populations().get(0);
      long[] ids = src.cellIds(pop);
      int stride = Math.max(1, (ids.length + codec.maxTrainingCells() - 1) / codec.maxTrainingCells());
      List<CellVdf> sample = new ArrayList<>();
      for (int i = 0; i < ids.length; i += stride) {
        sample.add(src.cellAt(pop, i));
      }
      double minValue = src.minValue(pop);
      byte[] model = codec.trainModel(sample, minValue);
      Files.write(Path.of(args[1]), model);
      System.err.printf("vq codebook from %d cells of %s (%s, minValue %s): %d bytes -> %s%n", sample.size(), args[0], pop,
          minValue, model.length, args[1]);
    }
  }
}
