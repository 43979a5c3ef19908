package io.vdfc.codec.vq;

import io.vdfc.codec.CodecOptions;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VlsvVdfSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Retrains the shipped VQ-VAE ({@code codebook=builtin}, {@code vqvae-v2.bin}) on every cell of the first population
 * of the given VLSV files, on the blocks whose largest magnitude exceeds four times the file's minValue, and writes it
 * with its encoder. Deterministic for the options (whatever the thread count). The shipped model was made, from the
 * repository root after {@code mvn -B -q -o -pl plugin -am -DskipTests package}, by
 * <pre>
 *   java -cp 'plugin/target/classes:plugin/target/lib/*' io.vdfc.codec.vq.VqTrain \
 *     plugin/src/main/resources/io/vdfc/codec/vq/vqvae-v2.bin \
 *     codes=1024,latent=8,layers=2,width=128,bits=10,epochs=12,warmup=1,blocks=400000,seed=1,progress=on \
 *     ../shared/data/ipshock/restart.0000100.vlsv ../shared/data/ipshock/bulk.0000004.vlsv
 * </pre>
 * (one line per epoch on stderr; 217 s on the two shared cores of the development machine, 103,043 training blocks,
 * 15 epochs). The same command with {@code threads=1} writes the same bytes; {@link VqCodec#BUILTIN_SHA256} pins them.
 * A new model gets a new resource name and version ({@code vqvae-v3.bin}, {@link VqCodec#BUILTIN_VERSION}): files
 * store the decoding part of the model they were written with, so older files keep decoding.
 */
public final class VqTrain {
  private VqTrain() {
    throw new AssertionError("no instances");
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("usage: VqTrain OUT.bin CODEC_OPTIONS FILE.vlsv...   (e.g. codes=1024,epochs=12,progress=on)");
      System.exit(2);
    }
    VqCodec codec = (VqCodec) new VqCodec().configure(CodecOptions.parse("codebook=file," + args[1]));
    List<CellVdf> cells = new ArrayList<>();
    double floor = 0;
    for (int f = 2; f < args.length; f++) {
      try (VlsvVdfSource src = VlsvVdfSource.open(Path.of(args[f]))) {
        String pop = src.populations().get(0);
        double minValue = src.minValue(pop);
        if (!(minValue > 0)) {
          throw new IllegalArgumentException(args[f] + " has no minValue for " + pop);
        }
        if (floor != 0 && floor != 4 * minValue) {
          throw new IllegalArgumentException(args[f] + ": minValue " + minValue + " differs from the other files'");
        }
        floor = 4 * minValue;
        long[] ids = src.cellIds(pop);
        for (int i = 0; i < ids.length; i++) {
          cells.add(src.cellAt(pop, i));
        }
        System.err.printf("%s: %d cells of %s (minValue %s)%n", args[f], ids.length, pop, minValue);
      }
    }
    long t0 = System.nanoTime();
    VqVae vae = codec.trainVae(cells, floor);
    byte[] model = VqModel.writeNetwork(vae, codec.bits(), true);
    VqModel m = VqModel.read(java.nio.ByteBuffer.wrap(model));
    Files.write(Path.of(args[0]), model);
    System.err.printf("vq model: %d bytes with the encoder, %d stored per file (decoder and codebook; the %d decoded "
        + "blocks would take %d) -> %s in %.0f s%n", model.length, m.decodePart(model).length, m.codes,
        VqModel.writeTable(m.table.table, codec.bits()).length, args[0], (System.nanoTime() - t0) / 1e9);
  }
}
