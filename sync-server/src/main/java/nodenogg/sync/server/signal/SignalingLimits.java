package nodenogg.sync.server.signal;

/**
 * Per-socket caps for the signalling protocol. Immutable.
 *
 * @param maxTopicsPerSocket topics one socket may be subscribed to at once (more closes it, 1008)
 * @param maxTopicLength longest accepted topic name in characters (longer closes the socket, 1008)
 * @param maxMessageBytes largest accepted JSON message in UTF-8 bytes (larger closes, 1009)
 * @param messagesPerSecond sustained message rate per socket (faster closes it, 1008)
 * @param burst messages a socket may send at once before the rate applies
 */
public record SignalingLimits(
    int maxTopicsPerSocket,
    int maxTopicLength,
    int maxMessageBytes,
    double messagesPerSecond,
    int burst) {

  /**
   * Generous for y-webrtc: a client subscribes to its rooms once, announces, then relays a few
   * dozen offers, answers and ICE candidates per peer (up to ~35 peers); encrypted signals are
   * base64 of SDP, a few KiB each.
   */
  public static final SignalingLimits DEFAULT =
      new SignalingLimits(256, 1024, 256 * 1024, 200, 2000);

  public SignalingLimits {
    if (maxTopicsPerSocket < 1
        || maxTopicLength < 1
        || maxMessageBytes < 64
        || !(messagesPerSecond > 0)
        || burst < 1) {
      throw new IllegalArgumentException(
          "signalling limits must be positive (maxMessageBytes >= 64)");
    }
  }
}
