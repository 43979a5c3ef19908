package io.vdfc.cli;

import io.vdfc.parallel.Collectives;
import io.vdfc.parallel.RankContext;
import io.vdfc.plot.CellErrorPlot;
import io.vdfc.restart.IntegrityCheck;
import io.vdfc.restart.VdfSources;
import io.vdfc.vdf.VdfSource;
import io.vdfc.verify.CellProfile;
import io.vdfc.verify.MetricSummary;
import io.vdfc.verify.NonVdfComparison;
import io.vdfc.verify.VdfComparison;
import io.vdfc.vlsv.VlsvFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vdfc verify ORIGINAL CANDIDATE}: every error metric per population, and whether non-VDF content is identical. */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = {"Compare the VDFs of ORIGINAL and CANDIDATE (plain or vdfc-compressed) cell by cell.",
        "Prints per population the maximum over cells and the density-weighted mean of each metric (metrics.md);",
        "exit code 1 when a compressed cell exceeds its recorded bound, when non-VDF content differs, when the",
        "candidate lacks a population or cell of the original (or has others), or when",
        "--max-abs/--max-err-n/--max-err-V/--max-err-P is exceeded. --png FILE draws every cell's errors."})
public final class VerifyCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "original VLSV file (with --integrity: the compressed file to check)") Path original;
  @Parameters(index = "1", arity = "0..1", description = "candidate: plain or vdfc-compressed VLSV file") Path candidate;
  @Option(names = "--integrity", description = {"check one compressed FILE without decoding it: header, footer, every",
      "file checksum and every record's CRC32C, streaming; names the first bad array or cell and its byte offset;",
      "exit code 3 when anything is bad"}) boolean integrity;
  @Option(names = "--max-abs", description = "fail when any cell's max_abs exceeds this") Double maxAbs;
  @Option(names = "--max-err-n", description = "fail when any cell's err_n exceeds this") Double maxErrN;
  @Option(names = "--max-err-V", description = "fail when any cell's err_V (in thermal speeds) exceeds this")
  Double maxErrV;
  @Option(names = "--max-err-P", description = "fail when any cell's err_P exceeds this") Double maxErrP;
  @Option(names = "--json", description = "print figures as JSON") boolean json;
  @Option(names = "--png", paramLabel = "FILE", description = {"also draw every cell's errors (max_abs over its bound,",
      "err_n, err_V, err_P) against its cell ID into this PNG: the file's error map"}) Path png;

  private boolean originalCompressed;

  @Override
  public Integer call() throws Exception {
    Collectives c = RankContext.collectives();
    for (var limit : new Object[][] {{"--max-abs", maxAbs}, {"--max-err-n", maxErrN}, {"--max-err-V", maxErrV},
        {"--max-err-P", maxErrP}}) {
      Double v = (Double) limit[1];
      if (v != null && !(v > 0 && v < Double.POSITIVE_INFINITY)) {
        throw new IllegalArgumentException(limit[0] + " " + v + ": give a positive number (a limit on every cell)");
      }
    }
    if (integrity) {
      if (candidate != null) {
        throw new IllegalArgumentException("--integrity checks one file; got two (" + original + ", " + candidate + ")");
      }
      if (json || png != null || maxAbs != null || maxErrN != null || maxErrV != null || maxErrP != null) {
        throw new IllegalArgumentException("--integrity prints its own listing and decodes nothing: it takes none of "
            + "--json, --png, --max-abs, --max-err-n, --max-err-V, --max-err-P");
      }
      IntegrityCheck.Result r = IntegrityCheck.run(original, c.rank() == 0 ? System.out : null);
      return r.ok() ? Vdfc.EXIT_OK : Vdfc.EXIT_BAD_INPUT;
    }
    if (candidate == null) {
      throw new IllegalArgumentException("verify needs ORIGINAL and CANDIDATE, or --integrity FILE");
    }
    Optional<String> diff;
    try (VlsvFile a = VlsvFile.open(original); VlsvFile b = VlsvFile.open(candidate)) {
      diff = NonVdfComparison.firstDifference(a, b);
    }
    if (png != null) {
      OutputPaths.notNamedLikeVlsv(png, "--png " + png + ":", "a .png name");
      OutputPaths.checkOutput(png, original, candidate);
    }
    Map<String, MetricSummary> result;
    Map<String, CellProfile> profiles = png == null ? null : new LinkedHashMap<>();
    try (VdfSource a = VdfSources.open(original); VdfSource b = VdfSources.open(candidate)) {
      originalCompressed = a instanceof io.vdfc.restart.CompressedFile;
      result = VdfComparison.compare(a, b, c, profiles);
    }
    if (png != null && c.rank() == 0) {
      String title = "vdfc verify: " + candidate.getFileName() + " against " + original.getFileName() + ", every cell";
      OutputPaths.writeThenRename(png, file -> CellErrorPlot.write(profiles, title, file));
    }
    List<String> failed = new ArrayList<>();
    diff.ifPresent(d -> failed.add("non-VDF content differs (" + d + ")"));
    for (var e : result.entrySet()) {
      MetricSummary s = e.getValue();
      if (s.boundViolations() > 0) {
        failed.add(e.getKey() + ": " + s.boundViolations() + " cells exceed their recorded bound");
      }
      exceeds(failed, e.getKey(), "max_abs", s.max(5), "--max-abs", maxAbs);
      exceeds(failed, e.getKey(), "err_n", s.max(0), "--max-err-n", maxErrN);
      exceeds(failed, e.getKey(), "err_V", s.max(1), "--max-err-V", maxErrV); // the config's per-cell budgets
      exceeds(failed, e.getKey(), "err_P", s.max(2), "--max-err-P", maxErrP);
    }
    if (c.rank() == 0) {
      print(result, diff, failed);
      if (png != null && !json) {
        System.out.println("error map: " + png);
      }
    }
    return failed.isEmpty() ? Vdfc.EXIT_OK : Vdfc.EXIT_CHECK_FAILED;
  }

  /** Adds a failed check when a population's worst cell exceeds a limit the user gave (null: none given). */
  private static void exceeds(List<String> failed, String pop, String metric, double worst, String option, Double limit) {
    if (limit != null && !(worst <= limit)) {
      failed.add(String.format(java.util.Locale.ROOT, "%s: %s %.3e exceeds %s %.3e", pop, metric, worst, option, limit));
    }
  }

  private void print(Map<String, MetricSummary> result, Optional<String> diff, List<String> failed) {
    if (json) {
      List<Object> pops = new ArrayList<>();
      result.forEach((name, s) -> {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("cells", s.cells());
        m.put("blocks", s.blocks());
        m.put("ref_bytes", s.blocks() * (64L * 4 + 4));
        m.put("max_abs", s.max(5));
        m.put("err_n_max", s.max(0));
        m.put("err_V_max", s.max(1));
        m.put("err_P_max", s.max(2));
        m.put("L1_max", s.max(3));
        m.put("L2_max", s.max(4));
        m.put("err_absV_max", s.max(6));
        Map<String, Object> mean = new LinkedHashMap<>();
        for (int i = 0; i < MetricSummary.NAMES.length; i++) {
          mean.put(MetricSummary.NAMES[i], s.mean(i));
        }
        m.put("density_weighted_mean", mean);
        m.put("neg", s.neg());
        m.put("bound_violations", s.boundViolations());
        pops.add(m);
      });
      Map<String, Object> top = new LinkedHashMap<>();
      top.put("original", original.toString());
      top.put("candidate", candidate.toString());
      top.put("populations", pops);
      top.put("non_vdf_identical", diff.isEmpty());
      diff.ifPresent(d -> top.put("non_vdf_difference", d));
      top.put("failed_checks", failed);
      if (png != null) {
        top.put("error_map", png.toString());
      }
      System.out.println(Json.write(top));
      return;
    }
    System.out.printf("%s vs %s%n", original, candidate);
    System.out.printf("%-12s %6s %9s  %-5s %10s %10s %10s %10s %10s %10s%n", "population", "cells", "blocks", "",
        "max_abs", "err_n", "err_V", "err_P", "L1", "L2");
    if (result.isEmpty()) {
      System.out.println("(no VDFs in either file: only their non-VDF content is compared)");
    }
    result.forEach((name, s) -> {
      System.out.printf("%-12s %6d %9d  %-5s %10.3e %10.3e %10.3e %10.3e %10.3e %10.3e%n", name, s.cells(), s.blocks(),
          "max", s.max(5), s.max(0), s.max(1), s.max(2), s.max(3), s.max(4));
      System.out.printf("%-12s %6s %9s  %-5s %10.3e %10.3e %10.3e %10.3e %10.3e %10.3e%n", "", "", "", "mean",
          s.mean(5), s.mean(0), s.mean(1), s.mean(2), s.mean(3), s.mean(4));
      if (s.boundViolations() > 0) {
        System.out.printf("  %d cells exceed their recorded bound%n", s.boundViolations());
      }
    });
    System.out.println("non-VDF content identical: " + diff.isEmpty() + diff.map(d -> " (" + d + ")").orElse(""));
    if (originalCompressed) {
      System.out.println("(ORIGINAL is vdfc-compressed: the candidate's recorded bounds hold against the true original,"
          + " so they are not checked here)");
    }
    for (String f : failed) {
      System.out.println("FAILED: " + f);
    }
  }
}
