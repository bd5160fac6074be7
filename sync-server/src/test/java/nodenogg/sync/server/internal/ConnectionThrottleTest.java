package nodenogg.sync.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import nodenogg.sync.server.websocket.RequestGate;
import org.junit.jupiter.api.Test;

/** The throttle extension's rules, on a fake clock. */
class ConnectionThrottleTest {
  private final AtomicLong now = new AtomicLong(1_000_000);
  private final ConnectionThrottle t =
      new ConnectionThrottle(3, 2, p -> !p.equals("/signal"), now::get);

  private RequestGate.Refusal attempt(String address) {
    return t.check("/sync", Map.of(), address + ":50000");
  }

  @Test
  void theAttemptOverTheLimitBansForTheBanTime() {
    for (int i = 0; i < 3; i++) {
      assertNull(attempt("10.1.1.1"));
      now.addAndGet(1000);
    }
    RequestGate.Refusal r = attempt("10.1.1.1");
    assertNotNull(r);
    assertEquals(429, r.status());
    assertEquals(120, r.retryAfterSeconds());
    assertNull(attempt("10.1.1.2"), "other addresses are not affected");
    now.addAndGet(119_000);
    assertNotNull(attempt("10.1.1.1"), "still banned (attempts while banned do not count)");
    now.addAndGet(1_000);
    assertNull(attempt("10.1.1.1"), "the ban is over, and the old attempts left the 60 s window");
  }

  @Test
  void attemptsOutsideTheWindowDoNotCount() {
    for (int i = 0; i < 10; i++) {
      assertNull(attempt("10.1.1.1"), "attempt " + i);
      now.addAndGet(21_000); // at most 3 within any 60 s
    }
  }

  @Test
  void cleanupForgetsQuietAddresses() {
    attempt("10.1.1.1");
    for (int i = 0; i < 4; i++) {
      attempt("10.1.1.2");
    }
    assertEquals(2, t.trackedAddresses());
    now.addAndGet(61_000);
    t.cleanup();
    assertEquals(1, t.trackedAddresses(), "the banned address is kept until its ban ends");
    now.addAndGet(60_000);
    t.cleanup();
    assertEquals(0, t.trackedAddresses());
  }

  @Test
  void addressComesFromTheProxyHeadersFirst() {
    assertEquals(
        "203.0.113.9",
        ConnectionThrottle.clientAddress(
            Map.of("x-real-ip", "203.0.113.9", "x-forwarded-for", "1.2.3.4"), "127.0.0.1:1"));
    assertEquals(
        "1.2.3.4",
        ConnectionThrottle.clientAddress(
            Map.of("x-forwarded-for", "1.2.3.4, 10.0.0.1"), "127.0.0.1:1"));
    assertEquals("127.0.0.1", ConnectionThrottle.clientAddress(Map.of(), "127.0.0.1:4000"));
    assertEquals(
        "0:0:0:0:0:0:0:1", ConnectionThrottle.clientAddress(Map.of(), "0:0:0:0:0:0:0:1:4000"));
    assertNull(t.check("/signal", Map.of(), "1.1.1.1:1"));
  }
}
