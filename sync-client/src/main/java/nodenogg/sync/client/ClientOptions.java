package nodenogg.sync.client;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Connection settings shared by the providers. Immutable; start from {@link #defaults()}.
 *
 * @param initialBackoff first reconnect delay (doubles each failed attempt, with full jitter)
 * @param maxBackoff upper bound of the reconnect delay
 * @param connectTimeout how long opening the socket may take
 * @param messageTimeout no message from the server for this long means the connection is dead
 *     (reconnect); servers renew awareness every 15 s, y-websocket uses 30 s
 * @param headers extra HTTP headers for the upgrade request (e.g. Origin)
 * @param seed seed of the jitter (tests); 0 picks one from the clock
 */
public record ClientOptions(
    Duration initialBackoff,
    Duration maxBackoff,
    Duration connectTimeout,
    Duration messageTimeout,
    Map<String, String> headers,
    long seed) {

  public ClientOptions {
    Objects.requireNonNull(initialBackoff);
    Objects.requireNonNull(maxBackoff);
    Objects.requireNonNull(connectTimeout);
    Objects.requireNonNull(messageTimeout);
    headers = Map.copyOf(headers);
  }

  public static ClientOptions defaults() {
    return new ClientOptions(
        Duration.ofMillis(100),
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
        Duration.ofSeconds(30),
        Map.of(),
        0);
  }

  public ClientOptions withBackoff(Duration initial, Duration max) {
    return new ClientOptions(initial, max, connectTimeout, messageTimeout, headers, seed);
  }

  public ClientOptions withMessageTimeout(Duration t) {
    return new ClientOptions(initialBackoff, maxBackoff, connectTimeout, t, headers, seed);
  }

  public ClientOptions withHeaders(Map<String, String> h) {
    return new ClientOptions(initialBackoff, maxBackoff, connectTimeout, messageTimeout, h, seed);
  }

  public ClientOptions withSeed(long s) {
    return new ClientOptions(
        initialBackoff, maxBackoff, connectTimeout, messageTimeout, headers, s);
  }
}
