package nodenogg.sync.server.internal;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import nodenogg.sync.server.websocket.RequestGate;

/**
 * Per-address connection throttle with the meaning of Hocuspocus' throttle extension (the one the
 * nodenogg.in server's {@code THROTTLE_CONNECTIONS} / {@code THROTTLE_BAN_TIME} configure): an
 * address that opens more than {@code limit} connections within 60 seconds is banned for {@code
 * banMinutes} minutes; while banned, each attempt is refused (HTTP 429 with Retry-After) and is not
 * counted. The address is {@code X-Real-IP}, else the first {@code X-Forwarded-For} entry, else the
 * socket's (as the extension reads it; behind a proxy these headers carry the client's address,
 * without one a client can set them, so run it behind a proxy that overwrites them).
 *
 * <p>Memory: at most {@code limit + 1} timestamps per address, and addresses without recent
 * attempts or a ban are dropped by {@link #cleanup()}. Thread-safe.
 */
public final class ConnectionThrottle implements RequestGate {
  /** The window in which attempts are counted (the extension's {@code consideredSeconds}). */
  public static final long WINDOW_MILLIS = 60_000;

  private final int limit;
  private final long banMillis;
  private final LongSupplier clock;
  private final Predicate<String> paths;
  private final Map<String, Record> byAddress = new ConcurrentHashMap<>();

  private static final class Record {
    final ArrayDeque<Long> attempts = new ArrayDeque<>();
    long bannedAt = Long.MIN_VALUE;
  }

  /**
   * @param limit attempts allowed per address within 60 s (the next one is refused and bans); at
   *     least 1
   * @param banMinutes how long a ban lasts, in minutes (0: refuse only the attempts over the limit)
   * @param paths which upgrade paths count (for example the document paths, not signalling)
   * @param clock milliseconds
   */
  public ConnectionThrottle(
      int limit, long banMinutes, Predicate<String> paths, LongSupplier clock) {
    if (limit < 1) {
      throw new IllegalArgumentException(
          "the throttle limit must be at least 1 connection per minute, got " + limit);
    }
    if (banMinutes < 0) {
      throw new IllegalArgumentException(
          "the ban time must be 0 or more minutes, got " + banMinutes);
    }
    this.limit = limit;
    this.banMillis = banMinutes * 60_000;
    this.paths = paths;
    this.clock = clock;
  }

  public int limit() {
    return limit;
  }

  public long banMinutes() {
    return banMillis / 60_000;
  }

  /** The address a request is counted under (see the class comment). */
  static String clientAddress(Map<String, String> headers, String remoteAddress) {
    String real = headers.get("x-real-ip");
    if (real != null && !real.isBlank()) {
      return real.trim();
    }
    String forwarded = headers.get("x-forwarded-for");
    if (forwarded != null && !forwarded.isBlank()) {
      int comma = forwarded.indexOf(',');
      return (comma < 0 ? forwarded : forwarded.substring(0, comma)).trim();
    }
    int colon = remoteAddress.lastIndexOf(':');
    return colon > 0 ? remoteAddress.substring(0, colon) : remoteAddress;
  }

  @Override
  public Refusal check(String path, Map<String, String> headers, String remoteAddress) {
    if (!paths.test(path)) {
      return null;
    }
    String address = clientAddress(headers, remoteAddress);
    long now = clock.getAsLong();
    Record r = byAddress.computeIfAbsent(address, a -> new Record());
    synchronized (r) {
      if (banned(r, now)) {
        return refusal(r, now);
      }
      r.attempts.addLast(now);
      while (!r.attempts.isEmpty() && r.attempts.peekFirst() + WINDOW_MILLIS <= now) {
        r.attempts.removeFirst();
      }
      if (r.attempts.size() > limit) {
        r.bannedAt = now;
        while (r.attempts.size() > limit + 1) {
          r.attempts.removeFirst();
        }
        return refusal(r, now);
      }
      return null;
    }
  }

  private boolean banned(Record r, long now) {
    return r.bannedAt != Long.MIN_VALUE && now < r.bannedAt + banMillis;
  }

  private Refusal refusal(Record r, long now) {
    long left = Math.max(1, (r.bannedAt + banMillis - now + 999) / 1000);
    return new Refusal(
        "throttled",
        429,
        "too many connections from this address; try again in " + left + " s",
        left);
  }

  /**
   * Drops addresses with no attempt in the window and no ban in force. Call now and then (every ~90
   * s).
   */
  public void cleanup() {
    long now = clock.getAsLong();
    for (Iterator<Map.Entry<String, Record>> it = byAddress.entrySet().iterator(); it.hasNext(); ) {
      Record r = it.next().getValue();
      synchronized (r) {
        while (!r.attempts.isEmpty() && r.attempts.peekFirst() + WINDOW_MILLIS <= now) {
          r.attempts.removeFirst();
        }
        if (r.attempts.isEmpty() && !banned(r, now)) {
          it.remove();
        }
      }
    }
  }

  /** Addresses tracked right now (for tests and status). */
  public int trackedAddresses() {
    return byAddress.size();
  }
}
