package io.vdfc.parallel;

import java.util.Objects;

/**
 * The collectives of the rank this code runs in. A launcher (the MPJ Express rank main, the C++ adapter) installs its
 * implementation before running any command; everything else defaults to {@link SingleRank}.
 *
 * <p>Under MPJ Express's multicore device the ranks are threads of one JVM that share the plugin's classes (loaded
 * once, so compiled once: {@code bin/vdfc-mpirun}), so the installed collectives belong to the installing thread and
 * the threads it starts afterwards (an inheritable thread-local). A thread outside every installing thread's descent
 * (e.g. a C++ host's other thread, one rank per JVM) sees the last one installed.
 */
public final class RankContext {
  private static final InheritableThreadLocal<Collectives> RANK = new InheritableThreadLocal<>();
  private static volatile Collectives last = SingleRank.INSTANCE;

  private RankContext() {
    throw new AssertionError("no instances");
  }

  public static Collectives collectives() {
    Collectives mine = RANK.get();
    return mine != null ? mine : last;
  }

  public static void install(Collectives collectives) {
    Objects.requireNonNull(collectives, "collectives");
    RANK.set(collectives);
    last = collectives;
  }
}
