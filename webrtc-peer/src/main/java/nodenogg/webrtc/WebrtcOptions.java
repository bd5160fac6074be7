package nodenogg.webrtc;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Options of a {@link WebrtcProvider}, named as y-webrtc 10.3.0's {@code ProviderOptions}.
 * Immutable; each {@code with...} method returns a copy.
 *
 * <ul>
 *   <li>{@code signaling}: one or more y-webrtc signalling server URLs ({@code ws://} or {@code
 *       wss://}); the provider keeps a socket to each and reconnects.
 *   <li>{@code password}: the room password, or null; with it every signalling message is AES-GCM
 *       encrypted with y-webrtc's PBKDF2 key, and peers with another password are never connected.
 *       Data channel messages are not additionally encrypted (y-webrtc does not; DTLS protects
 *       them).
 *   <li>{@code maxConns}: stop announcing (and accepting announces) at this many connections;
 *       y-webrtc's default, {@code 20 + floor(random × 15)}, keeps n peers from forming the same
 *       clusters.
 *   <li>{@code filterBcConns}: accepted for parity. A JVM has no BroadcastChannel, so this peer
 *       never has BroadcastChannel peers of its own; peer ids that others report as theirs (message
 *       type 4) are skipped in signalling exactly as y-webrtc does, whatever this flag says.
 *   <li>{@code iceServers}: STUN/TURN URLs ({@code stun:host:port}); default none (host candidates
 *       only: loopback and LAN). Set STUN servers to cross NATs.
 *   <li>{@code connectTimeoutMillis}: a connection not up after this long is dropped and the room
 *       announced again (default 30 s; simple-peer waits for ICE to fail instead).
 * </ul>
 */
public final class WebrtcOptions {
  final List<URI> signaling;
  final String password;
  final int maxConns;
  final boolean filterBcConns;
  final List<String> iceServers;
  final long connectTimeoutMillis;

  private WebrtcOptions(
      List<URI> signaling,
      String password,
      int maxConns,
      boolean filterBcConns,
      List<String> iceServers,
      long connectTimeoutMillis) {
    this.signaling = List.copyOf(signaling);
    this.password = password;
    this.maxConns = maxConns;
    this.filterBcConns = filterBcConns;
    this.iceServers = List.copyOf(iceServers);
    this.connectTimeoutMillis = connectTimeoutMillis;
  }

  /**
   * Options for the given signalling server(s), no password, y-webrtc's random {@code maxConns}.
   */
  public static WebrtcOptions signaling(String... urls) {
    if (urls.length == 0) {
      throw new IllegalArgumentException(
          "at least one signalling URL is needed (ws://host:port/signal)");
    }
    List<URI> list = new java.util.ArrayList<>();
    for (String u : urls) {
      list.add(checkUrl(u));
    }
    return new WebrtcOptions(
        list, null, 20 + ThreadLocalRandom.current().nextInt(15), true, List.of(), 30_000);
  }

  private static URI checkUrl(String url) {
    URI u;
    try {
      u = URI.create(Objects.requireNonNull(url, "signalling url"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "not a URL: '" + url + "' (expected ws://host:port/signal)", e);
    }
    if (!"ws".equals(u.getScheme()) && !"wss".equals(u.getScheme()) || u.getHost() == null) {
      throw new IllegalArgumentException(
          "a signalling URL must be ws://host[:port]/path or wss://..., got '" + url + "'");
    }
    return u;
  }

  /** The room password (null or empty: none, as y-webrtc treats a falsy password). */
  public WebrtcOptions withPassword(String newPassword) {
    String p = newPassword == null || newPassword.isEmpty() ? null : newPassword;
    return new WebrtcOptions(
        signaling, p, maxConns, filterBcConns, iceServers, connectTimeoutMillis);
  }

  public WebrtcOptions withMaxConns(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("maxConns must be at least 1, got " + n);
    }
    return new WebrtcOptions(
        signaling, password, n, filterBcConns, iceServers, connectTimeoutMillis);
  }

  public WebrtcOptions withFilterBcConns(boolean filter) {
    return new WebrtcOptions(
        signaling, password, maxConns, filter, iceServers, connectTimeoutMillis);
  }

  public WebrtcOptions withIceServers(List<String> urls) {
    return new WebrtcOptions(
        signaling, password, maxConns, filterBcConns, urls, connectTimeoutMillis);
  }

  public WebrtcOptions withConnectTimeoutMillis(long millis) {
    return new WebrtcOptions(signaling, password, maxConns, filterBcConns, iceServers, millis);
  }

  public List<URI> signalingUrls() {
    return signaling;
  }

  public boolean hasPassword() {
    return password != null;
  }

  public int maxConns() {
    return maxConns;
  }

  public boolean filterBcConns() {
    return filterBcConns;
  }

  public List<String> iceServers() {
    return iceServers;
  }

  public long connectTimeoutMillis() {
    return connectTimeoutMillis;
  }

  @Override
  public String toString() {
    return "WebrtcOptions{signaling="
        + signaling
        + ", password="
        + (password != null ? "set" : "none")
        + ", maxConns="
        + maxConns
        + ", iceServers="
        + iceServers
        + "}";
  }
}
