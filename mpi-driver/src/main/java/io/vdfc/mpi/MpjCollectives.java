package io.vdfc.mpi;

import io.vdfc.parallel.Collectives;
import io.vdfc.parallel.OrderedDoubles;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleBinaryOperator;
import java.util.function.LongBinaryOperator;
import mpi.Intracomm;
import mpi.MPI;
import mpi.MPIException;
import mpi.Op;

/**
 * {@link Collectives} over an MPJ Express communicator (normally {@code MPI.COMM_WORLD}), for ranks started by
 * {@link RankMain} on the multicore (smpdev) or cluster (niodev) device.
 *
 * <h2>Failure guarantee</h2>
 *
 * Every collective starts with a <em>header exchange</em>: one {@code Allgather} of a slot per rank, {@value
 * #HEADER_INTS} ints {@code [state, op, length, arg, messageBytes, payloadBytes]} and then the inline room (below),
 * where {@code state} is 0 for a healthy rank and the exit code of a rank that called {@link #abort(String, int)},
 * {@code op} the operation's code, {@code length} the array length ({@code -1} for {@link #allgather}, whose lengths
 * may differ), {@code arg} the root of {@link #broadcast} (else 0), {@code messageBytes} the UTF-8 length of the abort
 * message and {@code payloadBytes} the bytes this rank gives to an {@link #allgather} (else 0), so that its {@code
 * Allgatherv} needs no exchange of lengths of its own. {@link #abort} takes part in the same header exchange as the
 * collective the other ranks are in (or will next enter), so, as long as every rank either keeps calling collectives or
 * aborts:
 *
 * <ol>
 *   <li>a rank that aborts makes the pending collective of every other rank (or the next one it calls) throw {@link
 *       Collectives.CollectiveFailure} with the message {@code rank N failed: <message>} (several failed ranks are joined
 *       by {@code "; "}), as soon as the slowest rank reaches that collective;
 *   <li>ranks that call different operations, array lengths or broadcast roots at the same step all throw a {@code
 *       CollectiveFailure} naming what each rank called, instead of exchanging mismatched buffers or hanging;
 *   <li>after a failure this object is <em>poisoned</em>: every later collective (and {@code abort}) throws the same
 *       failure at once, without communicating, so ranks that already know stay in step with ranks that learn later.
 * </ol>
 *
 * A rank that dies without aborting (its thread or JVM ends, it loops forever, it stops calling collectives) cannot be
 * told apart from a slow one. For that case a watchdog bounds every collective by a timeout ({@code -Dvdfc.mpi.timeout}
 * in seconds, default {@value #DEFAULT_TIMEOUT_SECONDS}): when a collective has not completed in time the {@link
 * TimeoutAction} runs with a message naming this rank, the operation and its sequence number. The default action, {@link
 * TimeoutAction#HALT}, prints that message and halts the JVM with {@link #EXIT_TIMEOUT}; under the multicore device this
 * ends every rank, under niodev every surviving rank's own watchdog fires in turn. {@link TimeoutAction#INTERRUPT}
 * instead turns the timeout into a {@code CollectiveFailure} with that message on each waiting rank (tests use it).
 *
 * <p>Cost: the header exchange takes about as long as the payload of a small collective (4 smpdev ranks on 2 busy cores:
 * a 1024-double {@code allreduceSum} 0.34 ms against 0.16 ms for a bare {@code Allreduce}; 2 ranks on an idle machine,
 * back to back: barrier 39 us, one-long {@code allreduceSum} 86 us against 47 us bare, 16-byte {@code allgather} 65 us,
 * 99 us while it exchanged its lengths in an {@code Allgather} of its own); vdfc calls collectives per file or per plan,
 * not per cell.
 *
 * <p><b>Small payloads travel inline.</b> Each rank's slot in the header exchange has room for {@link #inlineBytes}
 * bytes after the header (1 KiB, less with many ranks: at most {@value #INLINE_BUDGET} bytes of slots in all). An
 * {@code allreduce}, {@code broadcast} or {@code exclusiveScan} whose array fits, or an {@code allgather} where every
 * rank's bytes fit, is done by that one {@code Allgather}: each rank reduces (in rank order, the same on every rank) or
 * copies the slots itself, and no second MPJ call follows. On smpdev each MPJ call costs a few tenths of a millisecond
 * and leaves the ranks a little out of step; the restart writer's three collectives were a millisecond of its 4.7 ms
 * on 2 ranks. Larger payloads take the header exchange and then their own MPJ call, as before.
 *
 * <p>Not thread-safe: one rank calls its collectives from one thread, like MPI's {@code THREAD_SINGLE}.
 */
public final class MpjCollectives implements Collectives, AutoCloseable {
  /** Exit status of a JVM halted by {@link TimeoutAction#HALT} (the convention of {@code timeout(1)}). */
  public static final int EXIT_TIMEOUT = 124;

  /** System property: the collective timeout in seconds (decimal allowed). */
  public static final String TIMEOUT_PROPERTY = "vdfc.mpi.timeout";

  public static final long DEFAULT_TIMEOUT_SECONDS = 120;

  static final int HEADER_INTS = 6;
  private static final int STATE = 0;
  private static final int OP = 1;
  private static final int LENGTH = 2;
  private static final int ARG = 3;
  private static final int MESSAGE_BYTES = 4;
  private static final int PAYLOAD_BYTES = 5;
  /** Most bytes of inline room per rank (see the class comment). */
  static final int MAX_INLINE_BYTES = 1024;
  /** Most bytes of inline room over all ranks' slots together. */
  static final int INLINE_BUDGET = 64 * 1024;
  /** Abort messages are cut to this many UTF-8 bytes before they travel. */
  static final int MAX_MESSAGE_BYTES = 4096;

  /** What runs, on the watchdog thread, when a collective exceeds the timeout. */
  @FunctionalInterface
  public interface TimeoutAction {
    /**
     * Prints the message to {@code System.err}, removes the temporary file of a restart this JVM was writing, and halts
     * the JVM with {@link #EXIT_TIMEOUT}.
     */
    TimeoutAction HALT =
        (message, caller) -> {
          System.err.println(message);
          System.err.flush();
          io.vdfc.restart.VlsvRewrite.removePartialsInProgress(); // halt runs no shutdown hook
          Runtime.getRuntime().halt(EXIT_TIMEOUT);
        };

    /**
     * Interrupts the rank's thread, which (on smpdev: MPJ's {@code XDevException} "unexpected InterruptedException")
     * makes the stuck collective throw a {@link Collectives.CollectiveFailure} carrying the timeout message and poisons
     * this object. The communicator is unusable afterwards: for tests and embedders that own the JVM.
     */
    TimeoutAction INTERRUPT = (message, caller) -> caller.interrupt();

    /**
     * @param message names this rank, the operation, its sequence number and the timeout
     * @param caller the rank's thread, blocked in the collective
     */
    void timedOut(String message, Thread caller);
  }

  /** The operations, by header code. */
  private enum Kind {
    BARRIER("barrier", "-"),
    BROADCAST("broadcast", "byte"),
    SUM_LONG("allreduceSum", "long"),
    MIN_LONG("allreduceMin", "long"),
    MAX_LONG("allreduceMax", "long"),
    SUM_DOUBLE("allreduceSum", "double"),
    MIN_DOUBLE("allreduceMin", "double"),
    MAX_DOUBLE("allreduceMax", "double"),
    ALLGATHER("allgather", "byte"),
    SCAN("exclusiveScan", "long"),
    ABORT("abort", "-");

    final String method;
    final String element;

    Kind(String method, String element) {
      this.method = method;
      this.element = element;
    }

    static String describe(int code, int length, int arg) {
      if (code < 0 || code >= values().length) {
        return "unknown operation " + code;
      }
      Kind k = values()[code];
      if (k == BARRIER || k == ABORT) {
        return k.method + "()";
      }
      String array = k.element + "[" + (length < 0 ? "" : Integer.toString(length)) + "]";
      return k.method + "(" + array + (k == BROADCAST ? ", root " + arg : "") + ")";
    }
  }

  private final Intracomm comm;
  private final int rank;
  private final int size;
  /** Ints of inline room in each rank's slot of the header exchange. */
  private final int inlineInts;
  private final long timeoutNanos;
  private final TimeoutAction onTimeout;
  private final ScheduledExecutorService watchdog;
  private long sequence;
  private CollectiveFailure failure;
  private int failureExitCode;
  /** Set by the watchdog before its action runs, so that an interrupted collective fails with this message. */
  private volatile String timedOut;

  /** Over {@code MPI.COMM_WORLD}, with the timeout of {@link #configuredTimeout()} and {@link TimeoutAction#HALT}. */
  public static MpjCollectives world() {
    return new MpjCollectives(MPI.COMM_WORLD, configuredTimeout(), TimeoutAction.HALT);
  }

  /** {@code comm} must be initialised ({@code MPI.Init} done); the timeout must be positive. */
  public MpjCollectives(Intracomm comm, Duration timeout, TimeoutAction onTimeout) {
    this.comm = Objects.requireNonNull(comm, "comm");
    this.onTimeout = Objects.requireNonNull(onTimeout, "onTimeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("collective timeout must be positive, got " + timeout);
    }
    this.timeoutNanos = timeout.toNanos();
    try {
      this.rank = comm.Rank();
      this.size = comm.Size();
    } catch (MPIException e) {
      throw new CollectiveFailure("MPJ Express communicator not usable (was MPI.Init called?)", e);
    }
    this.inlineInts = Math.min(MAX_INLINE_BYTES, INLINE_BUDGET / Math.max(1, size)) / 8 * 2; // whole longs
    ScheduledThreadPoolExecutor pool =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "vdfc-mpi-watchdog-" + rank);
              t.setDaemon(true);
              return t;
            });
    pool.setRemoveOnCancelPolicy(true);
    this.watchdog = pool;
  }

  /** The timeout from {@value #TIMEOUT_PROPERTY} (seconds), else {@value #DEFAULT_TIMEOUT_SECONDS} s. */
  public static Duration configuredTimeout() {
    String text = System.getProperty(TIMEOUT_PROPERTY);
    if (text == null || text.isBlank()) {
      return Duration.ofSeconds(DEFAULT_TIMEOUT_SECONDS);
    }
    double seconds;
    try {
      seconds = Double.parseDouble(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "-D" + TIMEOUT_PROPERTY + " must be a number of seconds, got '" + text + "'", e);
    }
    if (!(seconds > 0) || Double.isInfinite(seconds)) {
      throw new IllegalArgumentException("-D" + TIMEOUT_PROPERTY + " must be positive, got '" + text + "'");
    }
    return Duration.ofNanos((long) (seconds * 1e9));
  }

  @Override
  public int rank() {
    return rank;
  }

  @Override
  public int size() {
    return size;
  }

  /** Bytes of a payload that travel inline in the header exchange (see the class comment). */
  public int inlineBytes() {
    return 4 * inlineInts;
  }

  /** The header exchange alone: no rank leaves an {@code Allgather} before every rank has entered it. */
  @Override
  public void barrier() {
    run(Kind.BARRIER, 0, 0, null);
  }

  @Override
  public void broadcast(byte[] data, int root) {
    if (root < 0 || root >= size) {
      throw new IllegalArgumentException("broadcast root " + root + " outside ranks 0.." + (size - 1));
    }
    if (data.length <= inlineBytes()) {
      ByteBuffer mine = rank == root ? ByteBuffer.wrap(data) : null;
      run(Kind.BROADCAST, data.length, root, 0, mine, (headers, slots) -> inline(slots, root).get(data));
      return;
    }
    run(Kind.BROADCAST, data.length, root, headers -> comm.Bcast(data, 0, data.length, MPI.BYTE, root));
  }

  @Override
  public long[] allreduceSum(long[] values) {
    return reduce(Kind.SUM_LONG, values, MPI.SUM, Long::sum);
  }

  @Override
  public long[] allreduceMin(long[] values) {
    return reduce(Kind.MIN_LONG, values, MPI.MIN, Math::min);
  }

  @Override
  public long[] allreduceMax(long[] values) {
    return reduce(Kind.MAX_LONG, values, MPI.MAX, Math::max);
  }

  @Override
  public double[] allreduceSum(double[] values) {
    return reduce(Kind.SUM_DOUBLE, values, MPI.SUM, Double::sum);
  }

  /** As {@link Math#min(double, double)} over the ranks, NaN included: reduced as {@link OrderedDoubles}. */
  @Override
  public double[] allreduceMin(double[] values) {
    return OrderedDoubles.fromOrdered(reduce(Kind.MIN_DOUBLE, OrderedDoubles.toOrdered(values, false), MPI.MIN,
        Math::min));
  }

  /** As {@link Math#max(double, double)} over the ranks, NaN included: reduced as {@link OrderedDoubles}. */
  @Override
  public double[] allreduceMax(double[] values) {
    return OrderedDoubles.fromOrdered(reduce(Kind.MAX_DOUBLE, OrderedDoubles.toOrdered(values, true), MPI.MAX,
        Math::max));
  }

  private long[] reduce(Kind kind, long[] in, Op op, LongBinaryOperator inlineOp) {
    long[] out = new long[in.length];
    if (8L * in.length <= inlineBytes()) {
      ByteBuffer mine = ByteBuffer.allocate(8 * in.length).order(ByteOrder.LITTLE_ENDIAN);
      mine.asLongBuffer().put(in);
      run(kind, in.length, 0, 0, mine, (headers, slots) -> {
        for (int r = 0; r < size; r++) {
          LongBuffer theirs = inline(slots, r).asLongBuffer();
          for (int i = 0; i < out.length; i++) {
            out[i] = r == 0 ? theirs.get(i) : inlineOp.applyAsLong(out[i], theirs.get(i));
          }
        }
      });
      return out;
    }
    run(kind, in.length, 0, headers -> comm.Allreduce(in, 0, out, 0, in.length, MPI.LONG, op));
    return out;
  }

  private double[] reduce(Kind kind, double[] in, Op op, DoubleBinaryOperator inlineOp) {
    double[] out = new double[in.length];
    if (8L * in.length <= inlineBytes()) {
      ByteBuffer mine = ByteBuffer.allocate(8 * in.length).order(ByteOrder.LITTLE_ENDIAN);
      mine.asDoubleBuffer().put(in);
      run(kind, in.length, 0, 0, mine, (headers, slots) -> {
        for (int r = 0; r < size; r++) {
          DoubleBuffer theirs = inline(slots, r).asDoubleBuffer();
          for (int i = 0; i < out.length; i++) {
            out[i] = r == 0 ? theirs.get(i) : inlineOp.applyAsDouble(out[i], theirs.get(i));
          }
        }
      });
      return out;
    }
    run(kind, in.length, 0, headers -> comm.Allreduce(in, 0, out, 0, in.length, MPI.DOUBLE, op));
    return out;
  }

  /**
   * In the header exchange when every rank's bytes fit inline; else in one {@code Allgatherv}, their lengths known from
   * the header exchange (one MPJ collective fewer: on smpdev each costs a few tenths of a millisecond, and the restart
   * writer agrees three times with this).
   */
  @Override
  public byte[][] allgather(byte[] mine) {
    byte[][] result = new byte[size][];
    int[] lengths = new int[size];
    run(
        Kind.ALLGATHER,
        -1,
        0,
        mine.length,
        mine.length <= inlineBytes() ? ByteBuffer.wrap(mine) : null,
        (headers, slots) -> {
          int longest = 0;
          for (int r = 0; r < size; r++) {
            lengths[r] = headers[r * HEADER_INTS + PAYLOAD_BYTES];
            longest = Math.max(longest, lengths[r]);
          }
          if (longest <= inlineBytes()) { // every rank's bytes came with its header
            for (int r = 0; r < size; r++) {
              result[r] = new byte[lengths[r]];
              inline(slots, r).get(result[r]);
            }
            return;
          }
          int[] offsets = offsets(lengths);
          byte[] all = new byte[offsets[size]];
          comm.Allgatherv(mine, 0, mine.length, MPI.BYTE, all, 0, lengths, offsets, MPI.BYTE);
          for (int r = 0; r < size; r++) {
            result[r] = Arrays.copyOfRange(all, offsets[r], offsets[r + 1]);
          }
        });
    return result;
  }

  /**
   * Every rank's value gathered (inline when there is room), summed below this rank: exact, and simple for the rank
   * counts we run.
   */
  @Override
  public long exclusiveScan(long value) {
    long[] all = new long[size];
    if (inlineBytes() >= 8) {
      ByteBuffer mine = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value);
      run(Kind.SCAN, 1, 0, 0, mine, (headers, slots) -> {
        for (int r = 0; r < size; r++) {
          all[r] = inline(slots, r).getLong(0);
        }
      });
    } else {
      run(Kind.SCAN, 1, 0, headers -> comm.Allgather(new long[] {value}, 0, 1, MPI.LONG, all, 0, 1, MPI.LONG));
    }
    long sum = 0;
    for (int r = 0; r < rank; r++) {
      sum += all[r];
    }
    return sum;
  }

  /** {@link #abort(String, int)} with exit code 1. */
  @Override
  public void abort(String message) {
    abort(message, 1);
  }

  /**
   * Tells every rank that this one failed with {@code message} and exit code {@code exitCode} (at least 1), by joining
   * the header exchange of the collective the others are in or will call next; then throws the resulting {@link
   * Collectives.CollectiveFailure} here too. When this object is already poisoned nothing is sent and the earlier failure
   * is thrown.
   */
  public void abort(String message, int exitCode) {
    if (failure == null) {
      byte[] text = truncate(String.valueOf(message).getBytes(StandardCharsets.UTF_8));
      exchange(Kind.ABORT, 0, 0, Math.max(1, exitCode), text, 0, null, null);
    }
    throw failure;
  }

  /** The failure that poisoned this object, or null. */
  public CollectiveFailure failure() {
    return failure;
  }

  /** The largest exit code of the ranks that aborted (0 while healthy; 1 for a mismatch or an MPJ error). */
  public int failureExitCode() {
    return failureExitCode;
  }

  /** Stops the watchdog thread; the communicator stays usable by MPJ (call before {@code MPI.Finalize}). */
  @Override
  public void close() {
    watchdog.shutdownNow();
  }

  @FunctionalInterface
  private interface MpjCall {
    /** @param headers every rank's header of this collective, {@value #HEADER_INTS} ints each */
    void call(int[] headers) throws MPIException;
  }

  /** The part of a collective after the header exchange, given every rank's slot (header and inline bytes). */
  @FunctionalInterface
  private interface SlotsCall {
    /**
     * @param headers every rank's header, {@value #HEADER_INTS} ints each
     * @param slots every rank's whole slot, {@link #slotInts} ints each: read the inline bytes with {@link #inline}
     */
    void call(int[] headers, int[] slots) throws MPIException;
  }

  private void run(Kind kind, int length, int arg, MpjCall payload) {
    run(kind, length, arg, 0, null, payload == null ? null : (headers, slots) -> payload.call(headers));
  }

  /** @param inline this rank's payload to send inline (at most {@link #inlineBytes}), or null */
  private void run(Kind kind, int length, int arg, int payloadBytes, ByteBuffer inline, SlotsCall payload) {
    if (failure != null) {
      throw failure;
    }
    exchange(kind, length, arg, 0, new byte[0], payloadBytes, inline, payload);
  }

  private int slotInts() {
    return HEADER_INTS + inlineInts;
  }

  /** Rank {@code r}'s inline bytes in {@code slots}, little-endian, position 0, limit the inline room. */
  private ByteBuffer inline(int[] slots, int r) {
    ByteBuffer b = ByteBuffer.allocate(4 * inlineInts).order(ByteOrder.LITTLE_ENDIAN);
    b.asIntBuffer().put(slots, r * slotInts() + HEADER_INTS, inlineInts);
    return b;
  }

  /**
   * One collective: the header exchange (with this rank's inline payload, if any), then (when every rank is healthy and
   * agrees) the rest, under the watchdog.
   */
  private void exchange(Kind kind, int length, int arg, int state, byte[] message, int payloadBytes, ByteBuffer inline,
      SlotsCall payload) {
    long seq = ++sequence;
    Thread caller = Thread.currentThread();
    ScheduledFuture<?> alarm =
        watchdog.schedule(
            () -> {
              timedOut = timeoutMessage(kind, length, arg, seq);
              onTimeout.timedOut(timedOut, caller);
            },
            timeoutNanos,
            TimeUnit.NANOSECONDS);
    try {
      int slot = slotInts();
      int[] mine = new int[slot];
      System.arraycopy(new int[] {state, kind.ordinal(), length, arg, message.length, payloadBytes}, 0, mine, 0,
          HEADER_INTS);
      if (inline != null) {
        ByteBuffer room = ByteBuffer.allocate(4 * inlineInts).order(ByteOrder.LITTLE_ENDIAN);
        room.put(inline.duplicate()).rewind(); // the whole room: the bytes, then zeros
        room.asIntBuffer().get(mine, HEADER_INTS, inlineInts);
      }
      int[] slots = new int[slot * size];
      comm.Allgather(mine, 0, slot, MPI.INT, slots, 0, slot, MPI.INT);
      int[] headers = new int[HEADER_INTS * size];
      for (int r = 0; r < size; r++) {
        System.arraycopy(slots, r * slot, headers, r * HEADER_INTS, HEADER_INTS);
      }
      if (anyFailed(headers)) {
        throw poison(failedMessage(headers, message), maxState(headers));
      }
      String mismatch = mismatch(headers);
      if (mismatch != null) {
        throw poison(mismatch, 1);
      }
      if (payload != null) {
        payload.call(headers, slots);
      }
    } catch (RuntimeException e) { // MPIException is unchecked in MPJ Express
      if (failure == null && timedOut != null) {
        Thread.interrupted(); // the watchdog's interrupt has done its job; MPI.Finalize must not see it
        throw poison(timedOut, EXIT_TIMEOUT, e);
      }
      if (failure == null) {
        throw poison("rank " + rank + ": MPJ Express failed in " + Kind.describe(kind.ordinal(), length, arg)
            + " #" + seq + ": " + e, 1, e);
      }
      throw failure;
    } finally {
      alarm.cancel(false);
    }
  }

  private boolean anyFailed(int[] headers) {
    for (int r = 0; r < size; r++) {
      if (headers[r * HEADER_INTS + STATE] != 0) {
        return true;
      }
    }
    return false;
  }

  private int maxState(int[] headers) {
    int max = 1;
    for (int r = 0; r < size; r++) {
      max = Math.max(max, headers[r * HEADER_INTS + STATE]);
    }
    return max;
  }

  /** Gathers the failed ranks' messages (an {@code Allgatherv}; healthy ranks send none) and joins them. */
  private String failedMessage(int[] headers, byte[] message) throws MPIException {
    int[] lengths = new int[size];
    for (int r = 0; r < size; r++) {
      int n = headers[r * HEADER_INTS + MESSAGE_BYTES];
      lengths[r] = n >= 0 && n <= MAX_MESSAGE_BYTES ? n : 0;
    }
    int[] offsets = offsets(lengths);
    byte[] all = new byte[offsets[size]];
    comm.Allgatherv(message, 0, message.length, MPI.BYTE, all, 0, lengths, offsets, MPI.BYTE);
    StringBuilder text = new StringBuilder();
    for (int r = 0; r < size; r++) {
      if (headers[r * HEADER_INTS + STATE] != 0) {
        if (text.length() > 0) {
          text.append("; ");
        }
        text.append("rank ").append(r).append(" failed: ")
            .append(new String(all, offsets[r], lengths[r], StandardCharsets.UTF_8));
      }
    }
    return text.toString();
  }

  /** Null when every rank called the same operation with the same length and root; else what each rank called. */
  private String mismatch(int[] headers) {
    boolean same = true;
    for (int r = 1; r < size && same; r++) {
      for (int f = OP; f <= ARG; f++) {
        same &= headers[r * HEADER_INTS + f] == headers[f];
      }
    }
    if (same) {
      return null;
    }
    StringBuilder text = new StringBuilder("collective mismatch at step " + sequence + ":");
    for (int r = 0; r < size; r++) {
      int at = r * HEADER_INTS;
      text.append(r == 0 ? " " : ", ").append("rank ").append(r).append(" called ")
          .append(Kind.describe(headers[at + OP], headers[at + LENGTH], headers[at + ARG]));
    }
    return text.toString();
  }

  private CollectiveFailure poison(String message, int exitCode) {
    return poison(message, exitCode, null);
  }

  private CollectiveFailure poison(String message, int exitCode, Throwable cause) {
    failure = cause == null ? new CollectiveFailure(message) : new CollectiveFailure(message, cause);
    failureExitCode = exitCode;
    return failure;
  }

  private String timeoutMessage(Kind kind, int length, int arg, long seq) {
    return "rank " + rank + ": collective " + Kind.describe(kind.ordinal(), length, arg) + " #" + seq
        + " did not complete within " + Duration.ofNanos(timeoutNanos).toMillis() / 1000.0
        + " s; a rank died or stopped calling collectives (-D" + TIMEOUT_PROPERTY + " sets the limit)";
  }

  private static int[] offsets(int[] lengths) {
    int[] offsets = new int[lengths.length + 1];
    for (int r = 0; r < lengths.length; r++) {
      offsets[r + 1] = Math.addExact(offsets[r], lengths[r]);
    }
    return offsets;
  }

  private static byte[] truncate(byte[] text) {
    return text.length <= MAX_MESSAGE_BYTES ? text : Arrays.copyOf(text, MAX_MESSAGE_BYTES);
  }
}
