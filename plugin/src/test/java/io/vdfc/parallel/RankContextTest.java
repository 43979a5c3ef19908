package io.vdfc.parallel;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Ranks that are threads of one JVM sharing this class (bin/vdfc-mpirun) each see their own collectives, and so do the
 * threads they start afterwards (a command's worker pool); a thread outside every rank sees the last one installed.
 */
class RankContextTest {
  private static Collectives rank(int r) {
    return (Collectives) Proxy.newProxyInstance(Collectives.class.getClassLoader(), new Class<?>[] {Collectives.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "rank" -> r;
          case "toString" -> "rank " + r;
          case "hashCode" -> System.identityHashCode(proxy);
          case "equals" -> proxy == args[0];
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }

  @Test
  @SuppressWarnings("unchecked")
  void givenTwoRankThreads_whenBothInstalled_thenEachAndItsWorkersSeeItsOwn() throws Exception {
    Collectives[] ranks = {rank(0), rank(1)};
    AtomicReference<Collectives>[] seen = new AtomicReference[4];
    for (int i = 0; i < seen.length; i++) {
      seen[i] = new AtomicReference<>();
    }
    CountDownLatch bothInstalled = new CountDownLatch(2);
    Thread[] threads = new Thread[2];
    for (int r = 0; r < 2; r++) {
      final int me = r;
      threads[r] = new Thread(() -> {
        RankContext.install(ranks[me]);
        bothInstalled.countDown();
        try {
          bothInstalled.await(); // the other rank has installed too: its install must not leak into this one
          seen[me].set(RankContext.collectives());
          ExecutorService pool = Executors.newFixedThreadPool(1); // started after install, as encodeRange does
          seen[2 + me].set(pool.submit(RankContext::collectives).get());
          pool.shutdown();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      threads[r].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    for (int r = 0; r < 2; r++) {
      assertSame(ranks[r], seen[r].get(), "rank thread " + r);
      assertSame(ranks[r], seen[2 + r].get(), "worker of rank " + r);
    }
    Collectives last = RankContext.collectives(); // this test thread installed nothing: the last installed
    assertTrue(last == ranks[0] || last == ranks[1]);
    RankContext.install(SingleRank.INSTANCE); // leave the JVM's other tests single-rank
  }
}
