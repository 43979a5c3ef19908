package io.vdfc.vlsv;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Direct memory that a compressor puts its records into as it makes them, so that the writer hands them to the kernel
 * as they are. A record in a heap array goes to the kernel through a direct copy made at write time, when the record is
 * long out of the caches: staging the real restart's 2.9 MB of records that way took about a third of a millisecond of
 * a 4 ms write. Copied here right after its encoding, a record is still in cache, and the copy belongs to the encoding.
 *
 * <p>{@link #put} copies bytes into the current chunk ({@value #CHUNK} bytes; a larger record gets a chunk of its own)
 * and returns a read-only view of them; views of consecutive puts lie back to back while they fit in one chunk. Puts
 * may come from several threads. An arena holds a limit of bytes ({@value #DEFAULT_LIMIT} by default), beyond which,
 * or when the JVM has no direct memory left, {@code put} returns a view of the array itself: that record then goes to
 * the kernel through the writer's staging copy, as without an arena. {@link #close} hands the chunks back to a
 * process-wide pool (at most {@value #MAX_POOLED} chunks), so that the next arena does not map and zero fresh pages;
 * the views must not be used after it.
 *
 * <p>A decompressor makes its restored block data straight into an arena instead ({@link #take}: writable direct memory,
 * never the heap), so that decompressing again, or compressing, reuses the pooled chunks.
 */
public final class DirectArena implements AutoCloseable {
  /** Bytes per chunk. */
  public static final int CHUNK = 1 << 20;
  /** Chunks kept for later arenas, over the whole process (64 MB). */
  static final int MAX_POOLED = 64;

  /** Default most bytes of chunks per arena (256 MB): a rank's records beyond it stay where they are. */
  public static final long DEFAULT_LIMIT = 256L << 20;

  private static final ArrayDeque<ByteBuffer> POOL = new ArrayDeque<>();

  private final long limit;
  private final List<ByteBuffer> chunks = new ArrayList<>();
  private long held;
  private ByteBuffer current;
  private boolean closed;

  /** An arena of at most {@link #DEFAULT_LIMIT} bytes. */
  public DirectArena() {
    this(DEFAULT_LIMIT);
  }

  /** An arena of at most {@code limit} bytes of chunks. */
  public DirectArena(long limit) {
    this.limit = limit;
  }

  /**
   * A read-only view of a copy of {@code bytes} in direct memory (position 0, limit {@code bytes.length}), valid until
   * {@link #close}; past the arena's limit, or without direct memory, a read-only view of {@code bytes} itself.
   */
  public synchronized ByteBuffer put(byte[] bytes) {
    boolean fits;
    try {
      fits = room(bytes.length);
    } catch (OutOfMemoryError noDirectMemory) { // -XX:MaxDirectMemorySize reached: the array itself will do
      current = null;
      fits = false;
    }
    if (!fits) {
      return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
    }
    int at = current.position();
    current.put(bytes);
    return current.slice(at, bytes.length).asReadOnlyBuffer();
  }

  /**
   * A writable buffer of {@code size} bytes of direct memory (position 0, little-endian), valid until {@link #close}, for
   * bytes made straight into it (a decompressor's restored block data): from the current chunk while it fits, else from
   * a new chunk (a pooled one first; a buffer larger than a chunk gets one of its own). Unlike {@link #put} it does not
   * fall back to the heap: past the arena's limit it returns direct memory outside the arena, which is not pooled.
   *
   * @throws OutOfMemoryError if the JVM has no direct memory left ({@code -XX:MaxDirectMemorySize})
   */
  public synchronized ByteBuffer take(int size) {
    if (!room(size)) {
      return ByteBuffer.allocateDirect(size).order(ByteOrder.LITTLE_ENDIAN);
    }
    int at = current.position();
    current.position(at + size);
    return current.slice(at, size).order(ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * Makes the current chunk hold {@code size} more bytes, taking a new chunk when it does not ({@link #put} and {@link
   * #take} alike).
   *
   * @return false if a new chunk would take the arena past its limit (the current chunk is left as it was)
   * @throws IllegalStateException if the arena is closed
   * @throws OutOfMemoryError if the JVM has no direct memory left for a new chunk
   */
  private boolean room(int size) {
    if (closed) {
      throw new IllegalStateException("arena closed");
    }
    if (current != null && current.remaining() >= size) {
      return true;
    }
    if (held + Math.max(CHUNK, size) > limit) {
      return false;
    }
    current = chunk(size);
    chunks.add(current);
    held += current.capacity();
    return true;
  }

  /** Bytes held in chunks (used or not). */
  public synchronized long capacity() {
    return held;
  }

  /** Gives the chunks back to the pool; every view of this arena is invalid afterwards. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    synchronized (POOL) {
      for (ByteBuffer c : chunks) {
        if (c.capacity() == CHUNK && POOL.size() < MAX_POOLED) {
          POOL.push(c.clear());
        }
      }
    }
    chunks.clear();
    current = null;
    held = 0;
  }

  private static ByteBuffer chunk(int atLeast) {
    if (atLeast <= CHUNK) {
      synchronized (POOL) {
        ByteBuffer pooled = POOL.poll();
        if (pooled != null) {
          return pooled;
        }
      }
      return ByteBuffer.allocateDirect(CHUNK);
    }
    return ByteBuffer.allocateDirect(atLeast);
  }

  /** Chunks in the pool now (tests). */
  static int pooled() {
    synchronized (POOL) {
      return POOL.size();
    }
  }
}
