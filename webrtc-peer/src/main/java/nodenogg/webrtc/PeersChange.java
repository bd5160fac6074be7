package nodenogg.webrtc;

import java.util.List;

/**
 * y-webrtc's {@code peers} event: who was added or removed, and the peer ids now known.
 *
 * @param webrtcPeers remote peers with a WebRTC connection (open or being set up)
 * @param bcPeers peers that other peers reported as reachable over their BroadcastChannel
 */
public record PeersChange(
    List<String> added, List<String> removed, List<String> webrtcPeers, List<String> bcPeers) {
  public PeersChange {
    added = List.copyOf(added);
    removed = List.copyOf(removed);
    webrtcPeers = List.copyOf(webrtcPeers);
    bcPeers = List.copyOf(bcPeers);
  }
}
