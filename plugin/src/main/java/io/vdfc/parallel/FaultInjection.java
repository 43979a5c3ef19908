package io.vdfc.parallel;

/**
 * TEST-ONLY fault injection: makes one rank fail at a named point of the restart pipeline, so that tests can check
 * that every rank stops (never hangs) and that no partial file appears under the output name. Off unless both system
 * properties are set; production runs never set them.
 *
 * <ul>
 *   <li>{@code -Dvdfc.fault.rank=R}: the rank that fails.
 *   <li>{@code -Dvdfc.fault.at=POINT}: where: {@code encode} (halfway through the rank's cells during compression,
 *       {@code VlsvCompressor}), {@code write} (after the rank has written and synced its parts of the temporary file,
 *       before the ranks agree to rename it into place, {@code VlsvRewrite}: compression and decompression).
 *   <li>{@code -Dvdfc.fault.action=throw|stall} (default {@code throw}): {@code throw} raises {@link InjectedFault};
 *       {@code stall} prints {@code rank R: vdfc.fault: stalled at POINT} on standard error and sleeps until the process
 *       is killed (to test a SIGKILL at that point).
 * </ul>
 *
 * <p>With the multicore MPI driver all ranks share one JVM and its properties; each rank compares its own rank.
 */
public final class FaultInjection {
  public static final String RANK = "vdfc.fault.rank";
  public static final String AT = "vdfc.fault.at";
  public static final String ACTION = "vdfc.fault.action";

  /** The exception an injected {@code throw} raises. */
  public static final class InjectedFault extends RuntimeException {
    public InjectedFault(String message) {
      super(message);
    }
  }

  private FaultInjection() {
    throw new AssertionError("no instances");
  }

  /** Fails here when the properties name this point and this rank; otherwise returns at once. */
  public static void at(String point, int rank) {
    String where = System.getProperty(AT);
    String who = System.getProperty(RANK);
    if (where == null || who == null || !where.equals(point) || !who.trim().equals(Integer.toString(rank))) {
      return;
    }
    String action = System.getProperty(ACTION, "throw");
    if (action.equals("stall")) {
      System.err.println("rank " + rank + ": vdfc.fault: stalled at " + point);
      System.err.flush();
      try {
        Thread.sleep(Long.MAX_VALUE);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InjectedFault("injected stall at " + point + " on rank " + rank + " interrupted");
      }
    }
    throw new InjectedFault("injected fault at " + point + " on rank " + rank + " (-D" + AT + "=" + point + ")");
  }
}
