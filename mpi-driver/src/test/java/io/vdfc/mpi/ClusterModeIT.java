package io.vdfc.mpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vdfc-mpirun --cluster} on the niodev device: builds a private MPJ_HOME with free ports ({@code
 * bin/vdfc-mpjhome}), starts one MPJ daemon on localhost, runs two rank JVMs through it, and stops exactly that daemon
 * (and processes it started), never {@code mpjclean}.
 */
@EnabledIfLocalDaemonPossible
class ClusterModeIT {
  private static final Duration LIMIT = Duration.ofSeconds(90);
  @TempDir Path work;

  @Test
  void twoRankJvmsRunTheCommandLineAndAgreeOnTheExitCode() throws Exception {
    int[] ports = freePorts(3);
    Path home = work.resolve("mpjhome");
    Launch made = Launch.run(work, LIMIT, Map.of(), Launch.moduleDir().resolve("bin/vdfc-mpjhome").toString(),
        home.toString(), Integer.toString(ports[0]), Integer.toString(ports[1]), Integer.toString(ports[2]));
    assertEquals(0, made.exitCode(), made.err());
    Path machines = Files.writeString(work.resolve("machines"), "localhost\n");
    Path daemonLog = work.resolve("daemon.log");
    ProcessBuilder daemonCommand =
        new ProcessBuilder("java", "-cp", home.resolve("lib/daemon.jar").toString(), "runtime.daemon.MPJDaemon",
                Integer.toString(ports[0]))
            .directory(work.toFile())
            .redirectErrorStream(true)
            .redirectOutput(daemonLog.toFile());
    daemonCommand.environment().put("MPJ_HOME", home.toString());
    Process daemon = daemonCommand.start();
    try {
      awaitListening(ports[0], daemon, daemonLog);
      Map<String, String> env = Map.of("MPJ_HOME", home.toString(), "VDFC_JAVA_OPTS", "-Xmx256m");
      String mpirun = Launch.mpirun().toString();

      Launch version = Launch.run(work, LIMIT, env, mpirun, "-np", "2", "--cluster", machines.toString(), "--version");
      assertEquals(0, version.exitCode(), version.out() + version.err());
      assertEquals(1, version.out().lines().filter("vdfc 0.1.0"::equals).count(), version.out() + version.err());

      Launch bad = Launch.run(work, LIMIT, env, mpirun, "-np", "2", "--cluster", machines.toString(), "no-such-command");
      assertEquals(2, bad.exitCode(), bad.out() + bad.err());
      String printed = bad.out() + bad.err(); // niodev relays the ranks' stderr to the starter's stdout
      assertEquals(1, printed.split("Unmatched argument at index 0: 'no-such-command'", -1).length - 1, printed);
    } finally {
      stop(daemon.toHandle());
    }
  }

  /** The daemon, after the processes it started; each gets 5 s to end on SIGTERM before SIGKILL. */
  private static void stop(ProcessHandle daemon) throws Exception {
    List<ProcessHandle> tree = daemon.descendants().toList();
    for (ProcessHandle p : tree) {
      p.destroy();
    }
    daemon.destroy();
    for (ProcessHandle p : concat(tree, daemon)) {
      try {
        p.onExit().get(5, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        p.destroyForcibly();
      }
    }
  }

  private static List<ProcessHandle> concat(List<ProcessHandle> tree, ProcessHandle last) {
    return java.util.stream.Stream.concat(tree.stream(), java.util.stream.Stream.of(last)).toList();
  }

  /** Polls the daemon's port (each probe makes the daemon log a harmless EOFException). */
  private static void awaitListening(int port, Process daemon, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      if (!daemon.isAlive()) {
        throw new AssertionError("MPJ daemon exited with " + daemon.exitValue() + ":\n" + Files.readString(log));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("localhost", port), 200);
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new AssertionError("MPJ daemon not listening on " + port + " after 20 s:\n" + Files.readString(log));
  }

  private static int[] freePorts(int n) throws IOException {
    ServerSocket[] sockets = new ServerSocket[n];
    try {
      int[] ports = new int[n];
      for (int i = 0; i < n; i++) {
        sockets[i] = new ServerSocket(0);
        ports[i] = sockets[i].getLocalPort();
      }
      assertTrue(ports[0] != ports[1] && ports[1] != ports[2] && ports[0] != ports[2]);
      return ports;
    } finally {
      for (ServerSocket s : sockets) {
        if (s != null) {
          s.close();
        }
      }
    }
  }
}
