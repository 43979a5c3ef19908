package io.vdfc.mpi;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.regex.Pattern;

/**
 * Runs {@code np} MPJ Express multicore (smpdev) ranks as threads of the test JVM, the way {@code MulticoreStarter} does,
 * without a subprocess:
 *
 * <ul>
 *   <li>one <em>device</em> class loader (parent: the platform loader) holds smpdev, xdev, mpjbuf, mpiExp and log4j, whose
 *       statics every rank must share;
 *   <li>each rank has its own loader (parent: the device loader) over the test class path minus every MPJ jar, plus
 *       {@code mpi.jar} and {@code mpjdev.jar}, so each rank has its own {@code MPI.COMM_WORLD} and {@code RankContext};
 *   <li>each rank runs in a thread whose group is an {@code xdev.smpdev.SMPDevProcess} named {@code MPI<r>} (how smpdev
 *       tells ranks apart) and calls {@code public static Object run(String[] mpiArgs)} of the rank class, found by name,
 *       with {@code {rank, np, "smpdev", args...}}.
 * </ul>
 *
 * A fresh device loader per run keeps runs in one JVM independent, even after a failed or hung run. Rank threads are
 * daemons, so a rank stuck in a collective never keeps the JVM alive. Needs {@code -Dmpj.lib} (the MPJ jar directory)
 * and the {@code MPJ_HOME} environment variable, both set by the parent pom's Surefire configuration.
 */
public final class MpjHarness {
  private static final Pattern MPJ_JAR =
      Pattern.compile("(mpj|mpi|mpjdev|mpjbuf|xdev|smpdev|mpiExp|niodev|hybdev|mxdev)(-[0-9.]+)?\\.jar");
  private static final String[] DEVICE_JARS = {"smpdev.jar", "xdev.jar", "mpjbuf.jar", "mpiExp.jar"};
  private static final String[] RANK_JARS = {"mpi.jar", "mpjdev.jar"};
  private static final Path LOG4J = Path.of("/usr/share/java/log4j-1.2.jar");

  private MpjHarness() {
    throw new AssertionError("no instances");
  }

  /** What one rank did: its return value, or what it threw, or that it was still running at the deadline. */
  public record RankOutcome(int rank, Object value, Throwable failure, boolean hung) {
    public boolean succeeded() {
      return failure == null && !hung;
    }

    String describe() {
      return hung ? "rank " + rank + " hung" : "rank " + rank + " failed: " + failure;
    }
  }

  /** The outcomes of one run, by rank. */
  public record Run(List<RankOutcome> outcomes, Duration elapsed) {
    /** Every rank's return value, by rank; an {@link AssertionError} naming every failed or hung rank otherwise. */
    public List<Object> values() {
      List<RankOutcome> bad = outcomes.stream().filter(o -> !o.succeeded()).toList();
      if (!bad.isEmpty()) {
        AssertionError error =
            new AssertionError(String.join("; ", bad.stream().map(RankOutcome::describe).toList()));
        bad.stream().filter(o -> o.failure() != null).forEach(o -> error.addSuppressed(o.failure()));
        throw error;
      }
      return outcomes.stream().map(RankOutcome::value).toList();
    }

    public RankOutcome rank(int r) {
      return outcomes.get(r);
    }
  }

  /**
   * Runs {@code rankClass.run(mpiArgs)} on {@code np} ranks and waits until all return or {@code timeout} passes; ranks
   * still running then are reported as hung (their threads are left behind as daemons).
   */
  public static Run runRanks(int np, String rankClass, String[] args, Duration timeout) throws Exception {
    Path lib = mpjLib();
    long start = System.nanoTime();
    AtomicReferenceArray<Object> values = new AtomicReferenceArray<>(np);
    AtomicReferenceArray<Throwable> failures = new AtomicReferenceArray<>(np);
    List<Thread> threads = new ArrayList<>();
    List<URLClassLoader> loaders = new ArrayList<>();
    URLClassLoader device = loader("mpj-device", ClassLoader.getPlatformClassLoader(), deviceJars(lib));
    try {
      Class<?> groupType = device.loadClass("xdev.smpdev.SMPDevProcess");
      List<URL> rankPath = rankClassPath(lib);
      for (int r = 0; r < np; r++) {
        ThreadGroup group = (ThreadGroup) groupType.getConstructor(String.class).newInstance("MPI" + r);
        URLClassLoader rankLoader = loader("rank-" + r, device, rankPath);
        loaders.add(rankLoader);
        String[] mpiArgs = mpiArgs(r, np, args);
        int rank = r;
        Thread t =
            new Thread(
                group,
                () -> {
                  try {
                    values.set(rank, invoke(rankLoader, rankClass, mpiArgs));
                  } catch (Throwable e) {
                    failures.set(rank, e);
                  }
                },
                "rank-" + r);
        t.setDaemon(true);
        t.setContextClassLoader(rankLoader);
        threads.add(t);
        t.start();
      }
      long deadline = start + timeout.toNanos();
      for (Thread t : threads) {
        long left = deadline - System.nanoTime();
        if (left > 0) {
          t.join(Math.max(1, left / 1_000_000));
        }
      }
      List<RankOutcome> outcomes = new ArrayList<>();
      for (int r = 0; r < np; r++) {
        boolean hung = threads.get(r).isAlive();
        outcomes.add(new RankOutcome(r, values.get(r), failures.get(r), hung));
      }
      return new Run(outcomes, Duration.ofNanos(System.nanoTime() - start));
    } finally {
      if (threads.stream().noneMatch(Thread::isAlive)) {
        for (URLClassLoader l : loaders) {
          l.close();
        }
        device.close();
      }
    }
  }

  private static Object invoke(ClassLoader loader, String rankClass, String[] mpiArgs) throws Throwable {
    Method run = Class.forName(rankClass, true, loader).getMethod("run", String[].class);
    try {
      return run.invoke(null, (Object) mpiArgs);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static String[] mpiArgs(int rank, int np, String[] args) {
    String[] all = new String[3 + args.length];
    all[0] = Integer.toString(rank);
    all[1] = Integer.toString(np);
    all[2] = "smpdev";
    System.arraycopy(args, 0, all, 3, args.length);
    return all;
  }

  static Path mpjLib() {
    String lib = System.getProperty("mpj.lib");
    if (lib == null) {
      throw new IllegalStateException("-Dmpj.lib (the MPJ Express jar directory) is not set; run the tests with Maven");
    }
    Path dir = Path.of(lib);
    if (!Files.isRegularFile(dir.resolve("smpdev.jar"))) {
      throw new IllegalStateException("no smpdev.jar in -Dmpj.lib=" + dir + " (install Debian's libmpj-java)");
    }
    return dir;
  }

  private static List<URL> deviceJars(Path lib) {
    List<URL> urls = new ArrayList<>();
    for (String jar : DEVICE_JARS) {
      urls.add(url(lib.resolve(jar)));
    }
    urls.add(url(LOG4J));
    return urls;
  }

  /** The test class path minus every MPJ jar, then the two jars each rank loads for itself. */
  private static List<URL> rankClassPath(Path lib) {
    List<URL> urls = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!entry.isEmpty() && !isMpjJar(entry)) {
        urls.add(url(Path.of(entry)));
      }
    }
    Arrays.stream(RANK_JARS).map(lib::resolve).map(MpjHarness::url).forEach(urls::add);
    return urls;
  }

  /** Whether a class path entry is one of MPJ Express's jars (which a rank must not see through the app class path). */
  static boolean isMpjJar(String entry) {
    return MPJ_JAR.matcher(Path.of(entry).getFileName().toString()).matches();
  }

  private static URLClassLoader loader(String name, ClassLoader parent, List<URL> urls) {
    return new URLClassLoader(name, urls.toArray(URL[]::new), parent);
  }

  private static URL url(Path path) {
    try {
      return path.toUri().toURL();
    } catch (MalformedURLException e) {
      throw new UncheckedIOException(new IOException("bad class path entry " + path, e));
    }
  }
}
