package io.vdfc.codec.nn;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The training threads: runs a step's independent chunk tasks and waits for all of them (inline when there is one
 * thread or one task). Results never depend on the thread count as long as the tasks write only their own buffers and
 * the caller combines them in a fixed order.
 */
public final class Workers implements AutoCloseable {
  private final ExecutorService pool;

  public Workers(int threads) {
    pool = threads > 1 ? Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "vdfc-train");
      t.setDaemon(true);
      return t;
    }) : null;
  }

  /** Runs every task; a failure or an interruption surfaces as {@link IllegalStateException}. */
  public void runAll(List<? extends Callable<Void>> tasks) {
    try {
      if (pool == null || tasks.size() == 1) {
        for (Callable<Void> t : tasks) {
          t.call();
        }
      } else {
        for (Future<Void> f : pool.invokeAll(tasks)) {
          f.get();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("training interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("training failed: " + e.getCause(), e.getCause());
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("training failed: " + e, e);
    }
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }
}
