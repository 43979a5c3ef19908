package io.vdfc.mpi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command as a subprocess with a deadline and returns its exit code, stdout and stderr. */
record Launch(int exitCode, String out, String err, Duration elapsed) {

  /** This module's directory (Maven sets {@code basedir}; the forked JVM also starts there). */
  static Path moduleDir() {
    return Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
  }

  static Path mpirun() {
    return moduleDir().resolve("bin/vdfc-mpirun");
  }

  static Launch run(Path workDir, Duration timeout, Map<String, String> env, String... command)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile("vdfc-launch", ".out");
    Path err = Files.createTempFile("vdfc-launch", ".err");
    try {
      ProcessBuilder builder = new ProcessBuilder(List.of(command)).directory(workDir.toFile());
      builder.environment().putAll(env);
      builder.redirectOutput(out.toFile()).redirectError(err.toFile());
      long start = System.nanoTime();
      Process process = builder.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor();
        throw new AssertionError(String.join(" ", command) + " still running after " + timeout + "; stderr:\n"
            + Files.readString(err, StandardCharsets.UTF_8));
      }
      return new Launch(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8), Duration.ofNanos(System.nanoTime() - start));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
