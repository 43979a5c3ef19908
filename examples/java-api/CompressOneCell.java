import io.vdfc.codec.CodecRegistry;
import io.vdfc.codec.Tolerance;
import io.vdfc.compress.CellCompressor;
import io.vdfc.compress.CompressionSettings;
import io.vdfc.compress.EncodedCell;
import io.vdfc.metrics.ErrorMetrics;
import io.vdfc.restart.VdfSources;
import io.vdfc.vdf.CellVdf;
import io.vdfc.vdf.VdfSource;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * The vdfc Java API on one cell: read a cell's VDF from a Vlasiator file, compress it with zfpb within the run's
 * sparsity threshold (moments conserved), decode the record again and compare.
 *
 * <pre>java -cp 'plugin/target/classes:plugin/target/lib/*' examples/java-api/CompressOneCell.java [FILE [CELL_ID]]</pre>
 */
public class CompressOneCell {
  public static void main(String[] args) throws Exception {
    Path file = Path.of(args.length > 0 ? args[0] : "../shared/data/ipshock/restart.0000100.vlsv");
    try (VdfSource src = VdfSources.open(file)) {
      String pop = src.choosePopulation(null); // the first population, or an error naming a file without VDFs
      long id = args.length > 1 ? Long.parseLong(args[1]) : src.cellIds(pop)[src.cellIds(pop).length / 2];
      CellVdf cell = src.cell(pop, id);
      double minValue = src.minValue(pop);

      var settings = new CompressionSettings(CodecRegistry.get().byName("zfpb"), Tolerance.parse("minValue"), true);
      EncodedCell encoded = new CellCompressor(settings).compress(cell, minValue);
      CellVdf decoded = CellCompressor.decompress(ByteBuffer.wrap(encoded.record()), cell.mesh(), id, cell.blockCount());
      ErrorMetrics m = ErrorMetrics.compare(cell, decoded);

      System.out.printf("%s, cell %d of %s: %d blocks, %d bytes -> %d bytes (ratio %.2f)%n", file.getFileName(), id, pop,
          cell.blockCount(), cell.referenceBytes(), encoded.record().length,
          (double) cell.referenceBytes() / encoded.record().length);
      System.out.printf("bound %.3e, max |f'-f| %.3e, err_n %.2e, err_V %.2e, err_P %.2e%n",
          encoded.report().tolerance(), m.maxAbs(), m.errN(), m.errV(), m.errP());
      if (!(m.maxAbs() <= encoded.report().tolerance())) {
        throw new AssertionError("bound not met");
      }
      System.out.println("OK");
    }
  }
}
