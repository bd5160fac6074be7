package nodenogg.sync.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimitedLogTest {
  @Test
  void holdsBackPastTheLimitAndReportsTheCountLater() {
    AtomicLong now = new AtomicLong(5_000);
    RateLimitedLog log = new RateLimitedLog(2, 10_000, now::get);
    assertEquals(0, log.admit("origin"));
    assertEquals(0, log.admit("origin"));
    assertEquals(-1, log.admit("origin"));
    assertEquals(-1, log.admit("origin"));
    assertEquals(0, log.admit("token"), "each reason has its own budget");
    now.addAndGet(10_000);
    assertEquals(
        2, log.admit("origin"), "the first line of the next window says how many were held back");
    assertEquals(0, log.admit("origin"));
  }
}
