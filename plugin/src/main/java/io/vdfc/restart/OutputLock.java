package io.vdfc.restart;

import io.vdfc.vlsv.IoErrors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps two runs from writing the same output at once: rank 0 of a run holds it from the check of the output path
 * ({@link VlsvRewrite#prepareTarget}) until the file is renamed into place or the run has failed. Without it the second
 * run would remove the first one's temporary file as a stale one, or both would write into it, and a half-written file
 * could be renamed into place over an earlier good one. The second run stops instead, before any work, naming the run
 * that holds the output.
 *
 * <p>On disk: {@code <out>.vdfc-lock} beside the output, held with an exclusive {@link FileLock} (released by the
 * operating system when the holding process ends, however it ends) and holding one line of UTF-8 text that says who
 * holds it: {@code vdfc pid <pid> on <host> since <UTC time>}. The holder removes the file when it is done;
 * a file left by a killed run is not locked, and the next run takes it over. A run that took the lock checks that the
 * path still names the file it locked (by its device and inode, without opening it again), since a run finishing at the
 * same moment removes the file: otherwise it tries again.
 *
 * <p>On a file system that takes no locks (Lustre mounted without {@code flock}, say: {@code tryLock} fails), the run
 * goes on without this guard, as before there was one.
 *
 * <p>Within one JVM (the MPI driver's ranks, the in-situ adapter's sessions) the held files are also kept in a set, so
 * that a second claim in the same JVM is refused without opening the file: closing a second descriptor of a locked file
 * can release the process's lock on it.
 */
public final class OutputLock implements AutoCloseable {
  /** Suffix of the lock file beside the output. */
  public static final String SUFFIX = ".vdfc-lock";
  /** What ranks other than 0 hold: nothing. */
  public static final OutputLock NONE = new OutputLock(null, null, null, "");

  /** The locks this JVM holds, by their file's key (device and inode). */
  private static final Map<Object, OutputLock> HELD = new HashMap<>();
  private static final int ATTEMPTS = 8;

  private final Path path;
  private final FileChannel channel;
  private final Object key;
  private final String holder;

  private OutputLock(Path path, FileChannel channel, Object key, String holder) {
    this.path = path;
    this.channel = channel;
    this.key = key;
    this.holder = holder;
  }

  /** The lock file of {@code out}: {@code <out>.vdfc-lock} beside it. */
  public static Path lockName(Path out) {
    return out.resolveSibling(out.getFileName() + SUFFIX);
  }

  /**
   * Takes the lock of {@code out}, whose directory exists.
   *
   * @throws IOException naming {@code out} and the run holding it if another run (in this JVM or another process) holds
   *     it, or naming {@code out} and the reason if the lock file cannot be created
   */
  static OutputLock take(Path out) throws IOException {
    Path p = lockName(out);
    String me = "vdfc pid " + ProcessHandle.current().pid() + " on " + VlsvRewrite.hostName() + " since "
        + Instant.now().truncatedTo(ChronoUnit.SECONDS);
    byte[] line = (me + "\n").getBytes(StandardCharsets.UTF_8);
    synchronized (HELD) {
      for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
        Object known;
        try {
          known = identity(p);
        } catch (IOException e) { // a name too long, a directory not searchable: named as the output's problem
          throw new IOException("output " + out + " cannot be written: " + IoErrors.describe(e), e);
        }
        if (known != null && HELD.containsKey(known)) { // not read: that would open it (see openHere)
          throw held(out, p, HELD.get(known).holder);
        }
        FileChannel ch;
        try {
          ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) { // as for the temporary file: the directory refuses new files
          throw new IOException("output " + out + " cannot be written: " + IoErrors.describe(e), e);
        }
        boolean keep = false;
        try {
          FileLock lock;
          try {
            lock = ch.tryLock();
          } catch (OverlappingFileLockException e) {
            lock = null; // this JVM locked it outside this class: held all the same
          } catch (IOException e) {
            // the file system takes no locks (Lustre mounted without flock, say): the run goes on without the guard,
            // as before there was one, rather than never writing a restart there
            ch.close();
            Files.deleteIfExists(p);
            return NONE;
          }
          if (lock == null) {
            throw held(out, p, holder(p));
          }
          ch.truncate(0);
          ch.write(ByteBuffer.wrap(line), 0);
          Object key = identity(p);
          if (key != null && openHere(key)) {
            OutputLock taken = new OutputLock(p, ch, key, me);
            HELD.put(key, taken);
            keep = true;
            return taken;
          }
          // the path no longer names the file locked here: a run that was finishing removed it
        } finally {
          if (!keep) {
            ch.close();
          }
        }
      }
    }
    throw new IOException("output " + out + ": could not take its lock " + p + " in " + ATTEMPTS
        + " attempts (other runs kept replacing it)");
  }

  /** Removes the lock file and releases it; nothing for {@link #NONE}. */
  @Override
  public void close() throws IOException {
    if (channel == null) {
      return;
    }
    synchronized (HELD) {
      try {
        Files.deleteIfExists(path); // while still locked: a run that opened it meanwhile finds it gone and retries
      } finally {
        HELD.remove(key);
        channel.close();
      }
    }
  }

  /**
   * Removes the lock files this JVM holds, for a JVM about to end (the operating system releases the locks): see {@link
   * VlsvRewrite#removePartialsInProgress}.
   */
  static void removeAllHeld() {
    List<Path> held;
    synchronized (HELD) {
      held = HELD.values().stream().map(l -> l.path).toList();
    }
    for (Path p : held) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException | RuntimeException e) {
        // the JVM is ending; the next run takes a left lock file over
      }
    }
  }

  private static IOException held(Path out, Path lock, String holder) {
    return new IOException("output " + out + " is being written by another run (" + (holder.isEmpty() ? "holder unknown"
        : holder) + ", which holds " + lock.getFileName() + "); wait for it to finish or give another output path");
  }

  /** What the lock file says about its holder, or "" if it cannot be read. */
  private static String holder(Path p) {
    byte[] b = readOrNull(p);
    return b == null ? "" : new String(b, StandardCharsets.UTF_8).strip();
  }

  /**
   * Whether this process has the file {@code key} open: then the path, which names that file, names the one just locked
   * here (the only lock file this process opens meanwhile). Asked of the descriptors in {@code /proc/self/fd} by
   * {@code stat}, which opens nothing: reading the lock file through its path would open and close a second descriptor
   * of it, and closing any descriptor of a file releases the process's locks on it. Where there is no {@code
   * /proc/self/fd} (not Linux), true.
   */
  private static boolean openHere(Object key) {
    Path fds = Path.of("/proc/self/fd");
    if (!Files.isDirectory(fds)) {
      return true;
    }
    try (DirectoryStream<Path> all = Files.newDirectoryStream(fds)) {
      for (Path fd : all) {
        try {
          if (key.equals(Files.readAttributes(fd, BasicFileAttributes.class).fileKey())) {
            return true;
          }
        } catch (IOException e) {
          // a descriptor closed meanwhile, or one that is not a file
        }
      }
    } catch (IOException e) {
      return true; // cannot tell: as where there is no /proc
    }
    return false;
  }

  private static byte[] readOrNull(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      return null;
    }
  }

  /** The file key of {@code p} (its path where the file system has none), or null if there is no such file. */
  private static Object identity(Path p) throws IOException {
    try {
      Object key = Files.readAttributes(p, BasicFileAttributes.class).fileKey();
      return key != null ? key : p.toAbsolutePath().normalize();
    } catch (NoSuchFileException e) {
      return null;
    }
  }

}
