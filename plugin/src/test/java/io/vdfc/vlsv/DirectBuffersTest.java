package io.vdfc.vlsv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class DirectBuffersTest {
  /** Each case on a new thread: the buffer a thread keeps is its own, and other tests' threads may keep one. */
  private static void onFreshThread(Runnable body) throws Exception {
    Throwable[] failure = new Throwable[1];
    Thread t = new Thread(() -> {
      try {
        body.run();
      } catch (Throwable e) {
        failure[0] = e;
      }
    });
    t.start();
    t.join();
    if (failure[0] instanceof Error e) {
      throw e;
    }
    if (failure[0] != null) {
      throw new AssertionError(failure[0]);
    }
  }

  @Test
  void aBufferGivenBackIsTakenAgainClearedToTheSizeAskedFor() throws Exception {
    onFreshThread(DirectBuffersTest::takeGiveTake);
  }

  @Test
  void tooSmallOrTooLargeBuffersAreNotHandedOutOrKept() throws Exception {
    onFreshThread(DirectBuffersTest::sizes);
  }

  private static void takeGiveTake() {
    ByteBuffer a = DirectBuffers.take(1 << 16);
    assertTrue(a.isDirect());
    assertEquals(1 << 16, a.limit());
    a.position(100);
    DirectBuffers.give(a);
    ByteBuffer b = DirectBuffers.take(1000);
    assertSame(a, b);
    assertEquals(0, b.position());
    assertEquals(1000, b.limit());
    // taken and not given back: the next take is a new buffer, not one still in use
    ByteBuffer c = DirectBuffers.take(1000);
    assertNotSame(b, c);
    DirectBuffers.give(b);
    DirectBuffers.give(c); // smaller than the kept one: not kept
    assertSame(b, DirectBuffers.take(2000));
  }

  private static void sizes() {
    ByteBuffer small = DirectBuffers.take(10);
    DirectBuffers.give(small);
    ByteBuffer bigger = DirectBuffers.take(100);
    assertNotSame(small, bigger);
    assertEquals(100, bigger.limit());
    ByteBuffer huge = ByteBuffer.allocateDirect(DirectBuffers.MAX_KEPT + 1);
    DirectBuffers.give(huge);
    assertNotSame(huge, DirectBuffers.take(DirectBuffers.MAX_KEPT + 1));
    DirectBuffers.give(ByteBuffer.allocate(100)); // a heap buffer is never kept
    assertTrue(DirectBuffers.take(50).isDirect());
  }
}
