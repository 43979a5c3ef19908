package io.vdfc.parallel;

import java.util.Objects;

/**
 * The collectives of the rank this code runs in. A launcher (the MPJ Express rank main, the C++ adapter) installs its
 * implementation before running any command; everything else defaults to {@link SingleRank}. Under MPJ Express's
 * multicore device every rank has its own class loader, so this static is per rank.
 */
public final class RankContext {
  private static volatile Collectives current = SingleRank.INSTANCE;

  private RankContext() {
    throw new AssertionError("no instances");
  }

  public static Collectives collectives() {
    return current;
  }

  public static void install(Collectives collectives) {
    current = Objects.requireNonNull(collectives, "collectives");
  }
}
