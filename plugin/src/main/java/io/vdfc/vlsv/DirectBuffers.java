package io.vdfc.vlsv;

import java.nio.ByteBuffer;

/**
 * One direct buffer kept per thread for the writers' windows (the copies of {@link VlsvWriter#writeCopies}, the staging
 * of gathered parts), so that a write does not allocate them anew. A fresh direct buffer of a megabyte costs about half
 * a millisecond (the allocator maps new pages and zeroes them: one page fault per 4 kB), which was a tenth of writing
 * the real restart's 2.9 MB compressed file; and allocations faster than the collector frees them end in the JVM
 * throttling for direct memory.
 *
 * <p>{@link #take} hands out the thread's buffer (or a new one) and {@link #give} puts one back; a buffer taken and not
 * given back is simply collected. A thread that takes twice before giving back gets a new buffer the second time.
 */
public final class DirectBuffers {
  /** Buffers larger than this are not kept. */
  static final int MAX_KEPT = VlsvFile.WINDOW;

  private static final ThreadLocal<ByteBuffer> KEPT = new ThreadLocal<>();

  private DirectBuffers() {
    throw new AssertionError("no instances");
  }

  /** A direct buffer with position 0 and limit {@code size} (its capacity may be larger; use the limit). */
  public static ByteBuffer take(int size) {
    ByteBuffer b = KEPT.get();
    if (b != null && b.capacity() >= size) {
      KEPT.remove();
      return b.clear().limit(size);
    }
    return ByteBuffer.allocateDirect(size);
  }

  /** Keeps {@code b} for this thread's next {@link #take} (the larger of it and the one kept); the caller drops it. */
  public static void give(ByteBuffer b) {
    if (b == null || !b.isDirect() || b.capacity() > MAX_KEPT) {
      return;
    }
    ByteBuffer kept = KEPT.get();
    if (kept == null || kept.capacity() < b.capacity()) {
      KEPT.set(b);
    }
  }
}
