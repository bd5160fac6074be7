package nodenogg.sync.server.signal;

/** A token bucket for message rates; not thread-safe (one per connection, used serially). */
final class TokenBucket {

  private final double perNano;
  private final double capacity;
  private double tokens;
  private long last;
  private boolean started;

  TokenBucket(double perSecond, int burst) {
    this.perNano = perSecond / 1e9;
    this.capacity = burst;
    this.tokens = burst;
  }

  boolean tryTake(long nowNanos) {
    if (started) {
      tokens = Math.min(capacity, tokens + (nowNanos - last) * perNano);
    }
    started = true;
    last = nowNanos;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
