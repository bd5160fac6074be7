package nodenogg.webrtc.internal;

import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCAnswerOptions;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelBuffer;
import dev.onvoid.webrtc.RTCDataChannelInit;
import dev.onvoid.webrtc.RTCDataChannelObserver;
import dev.onvoid.webrtc.RTCDataChannelState;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCIceConnectionState;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;

/**
 * One WebRTC connection to one remote peer, speaking simple-peer 9's signalling format (what
 * y-webrtc 10.3.0 wraps): {@code {type:'offer'|'answer', sdp}} and {@code {type:'candidate',
 * candidate:{candidate, sdpMLineIndex, sdpMid}}} with trickle ICE, a data channel opened by the
 * initiator with a random 40-hex-digit label (ordered, reliable), "connected" once ICE is connected
 * and the channel is open. Candidates that arrive before the remote description are kept until it
 * is set. The connection ends (once) when the channel closes, ICE fails or closes, or it is not
 * connected within the connect timeout.
 *
 * <p>Threading: every method must be called on the owning room's loop thread, and every event is
 * delivered there: native callbacks (on libwebrtc's threads) only copy their data and post to the
 * loop, so libwebrtc never waits on Java and no native call is made from a native callback.
 */
public final class PeerLink {
  /** What a link reports to its room; all on the loop thread. */
  public interface Events {
    void signal(Map<String, Object> signal);

    void connected();

    void data(byte[] message);

    /** Final event; {@code reason} is null for a normal close. */
    void closed(String reason);
  }

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final java.util.concurrent.atomic.AtomicInteger LIVE =
      new java.util.concurrent.atomic.AtomicInteger();

  private final Loop loop;
  private final Events events;
  private final boolean initiator;
  private final RTCPeerConnection pc;
  private final List<RTCDataChannel> channels = new ArrayList<>(2);
  private final List<Map<String, Object>> pendingCandidates = new ArrayList<>();
  private final ScheduledFuture<?> connectTimeout;
  private RTCDataChannel channel;
  private boolean remoteDescriptionSet;
  private boolean iceReady;
  private boolean connected;
  private boolean destroyed;
  private ScheduledFuture<?> disconnectTimer;

  /** How long ICE may stay disconnected before the connection is given up. */
  static final long DISCONNECT_GRACE_MILLIS = 10_000;

  /**
   * @param connectTimeoutMillis the link closes when not connected after this long (0 = never, as
   *     simple-peer)
   */
  public PeerLink(
      PeerConnectionFactory factory,
      RTCConfiguration config,
      boolean initiator,
      Loop loop,
      long connectTimeoutMillis,
      Events events) {
    this.loop = loop;
    this.events = events;
    this.initiator = initiator;
    this.pc = factory.createPeerConnection(config, new Observer());
    if (pc == null) {
      throw new IllegalStateException("libwebrtc refused to create a peer connection");
    }
    LIVE.incrementAndGet();
    this.connectTimeout =
        connectTimeoutMillis <= 0
            ? null
            : loop.schedule(
                () -> {
                  if (!connected && !destroyed) {
                    destroy("not connected within " + connectTimeoutMillis + " ms");
                  }
                },
                connectTimeoutMillis);
    if (initiator) {
      RTCDataChannelInit init = new RTCDataChannelInit();
      RTCDataChannel c;
      try {
        c = pc.createDataChannel(randomLabel(), init);
      } catch (RuntimeException | Error e) {
        pc.close();
        LIVE.decrementAndGet();
        throw new IllegalStateException(
            "libwebrtc refused to create a data channel: " + e.getMessage(), e);
      }
      adopt(c);
      createOffer();
    }
  }

  /** Peer connections created and not yet closed, in this process (for tests and diagnostics). */
  public static int live() {
    return LIVE.get();
  }

  public boolean isInitiator() {
    return initiator;
  }

  public boolean isConnected() {
    return connected && !destroyed;
  }

  public boolean isDestroyed() {
    return destroyed;
  }

  /** Bytes queued in the data channel and not yet sent. */
  public long bufferedAmount() {
    RTCDataChannel c = channel;
    return c == null || destroyed ? 0 : c.getBufferedAmount();
  }

  private static String randomLabel() {
    byte[] b = new byte[20];
    RANDOM.nextBytes(b);
    StringBuilder sb = new StringBuilder(40);
    for (byte x : b) {
      sb.append(Character.forDigit((x >> 4) & 15, 16)).append(Character.forDigit(x & 15, 16));
    }
    return sb.toString();
  }

  /** Feeds one signal from the remote peer (simple-peer {@code peer.signal(data)}). */
  public void signal(Map<String, Object> data) {
    if (destroyed) {
      return;
    }
    boolean understood = false;
    if (Boolean.TRUE.equals(data.get("renegotiate")) && initiator) {
      understood = true;
      createOffer();
    }
    if (data.get("transceiverRequest") != null) {
      understood = true; // media transceivers: this peer carries data only
    }
    Object candidate = data.get("candidate");
    if (candidate instanceof Map<?, ?> c) {
      understood = true;
      @SuppressWarnings("unchecked")
      Map<String, Object> cand = (Map<String, Object>) c;
      if (remoteDescriptionSet) {
        addCandidate(cand);
      } else {
        pendingCandidates.add(cand);
      }
    }
    Object sdp = data.get("sdp");
    if (sdp instanceof String s && !s.isEmpty()) {
      understood = true;
      RTCSdpType type = sdpType(data.get("type"));
      if (type == null) {
        destroy("signal with an unknown description type " + data.get("type"));
        return;
      }
      native_(
          () ->
              pc.setRemoteDescription(
                  new RTCSessionDescription(type, s),
                  new SetObserver(
                      () -> {
                        remoteDescriptionSet = true;
                        List<Map<String, Object>> pending = new ArrayList<>(pendingCandidates);
                        pendingCandidates.clear();
                        pending.forEach(this::addCandidate);
                        if (type == RTCSdpType.OFFER) {
                          createAnswer();
                        }
                      },
                      "set remote description")),
          "set remote description");
    }
    if (!understood) {
      destroy("signal() called with invalid signal data");
    }
  }

  private static RTCSdpType sdpType(Object type) {
    if ("offer".equals(type)) {
      return RTCSdpType.OFFER;
    }
    if ("answer".equals(type)) {
      return RTCSdpType.ANSWER;
    }
    if ("pranswer".equals(type)) {
      return RTCSdpType.PR_ANSWER;
    }
    return null;
  }

  private void addCandidate(Map<String, Object> c) {
    Object line = c.get("candidate");
    if (!(line instanceof String s) || s.isEmpty()) {
      return; // end-of-candidates marker
    }
    Object mid = c.get("sdpMid");
    Object index = c.get("sdpMLineIndex");
    int mLine = index instanceof Number n ? n.intValue() : 0;
    try {
      pc.addIceCandidate(new RTCIceCandidate(mid instanceof String m ? m : null, mLine, s));
    } catch (RuntimeException | Error e) {
      // simple-peer ignores candidates it cannot use (mDNS names, other generations)
    }
  }

  private void createOffer() {
    native_(
        () ->
            pc.createOffer(
                new RTCOfferOptions(),
                new CreateObserver(
                    d ->
                        native_(
                            () ->
                                pc.setLocalDescription(
                                    d,
                                    new SetObserver(
                                        () -> emitDescription("offer", d), "set local offer")),
                            "set local offer"),
                    "create offer")),
        "create offer");
  }

  private void createAnswer() {
    native_(
        () ->
            pc.createAnswer(
                new RTCAnswerOptions(),
                new CreateObserver(
                    d ->
                        native_(
                            () ->
                                pc.setLocalDescription(
                                    d,
                                    new SetObserver(
                                        () -> emitDescription("answer", d), "set local answer")),
                            "set local answer"),
                    "create answer")),
        "create answer");
  }

  /**
   * Runs a libwebrtc call; webrtc-java reports some failures by throwing (even {@code
   * java.lang.Error} for SDP it cannot parse): the connection is then given up, the room goes on.
   */
  private void native_(Runnable call, String what) {
    try {
      call.run();
    } catch (RuntimeException | Error e) {
      destroy("could not " + what + ": " + e.getMessage());
    }
  }

  private void emitDescription(String type, RTCSessionDescription d) {
    if (destroyed) {
      return;
    }
    Map<String, Object> signal = new LinkedHashMap<>();
    signal.put("type", type);
    signal.put("sdp", d.sdp);
    events.signal(signal);
  }

  /**
   * Sends one binary message; false when the channel is not open (the message is dropped, as
   * y-webrtc).
   */
  public boolean send(byte[] message) {
    RTCDataChannel c = channel;
    if (destroyed || !connected || c == null) {
      return false;
    }
    try {
      c.send(new RTCDataChannelBuffer(ByteBuffer.wrap(message), true));
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  /** Closes the connection and releases its native objects; reports {@link Events#closed} once. */
  public void destroy(String reason) {
    if (destroyed) {
      return;
    }
    destroyed = true;
    if (connectTimeout != null) {
      connectTimeout.cancel(false);
    }
    if (disconnectTimer != null) {
      disconnectTimer.cancel(false);
    }
    for (RTCDataChannel c : channels) {
      releaseChannel(c);
    }
    channels.clear();
    channel = null;
    try {
      pc.close();
    } catch (RuntimeException | Error e) {
      // already closed
    }
    LIVE.decrementAndGet();
    events.closed(reason);
  }

  private static void releaseChannel(RTCDataChannel c) {
    try {
      c.unregisterObserver();
      c.close();
    } catch (RuntimeException e) {
      // closed by the remote already
    } finally {
      c.dispose();
    }
  }

  private void adopt(RTCDataChannel c) {
    channels.add(c);
    channel = c; // simple-peer uses the latest channel it was given
    c.registerObserver(
        new RTCDataChannelObserver() {
          @Override
          public void onBufferedAmountChange(long previousAmount) {}

          @Override
          public void onStateChange() {
            RTCDataChannelState state;
            try {
              state = c.getState();
            } catch (RuntimeException e) {
              return;
            }
            loop.post(() -> channelState(c, state));
          }

          @Override
          public void onMessage(RTCDataChannelBuffer buffer) {
            ByteBuffer b = buffer.data; // only valid during this callback
            byte[] copy = new byte[b.remaining()];
            b.get(copy);
            loop.post(
                () -> {
                  if (!destroyed) {
                    events.data(copy);
                  }
                });
          }
        });
  }

  private void channelState(RTCDataChannel c, RTCDataChannelState state) {
    if (destroyed || c != channel) {
      return;
    }
    if (state == RTCDataChannelState.OPEN) {
      maybeReady();
    } else if (state == RTCDataChannelState.CLOSED) {
      destroy(null);
    }
  }

  private void maybeReady() {
    RTCDataChannel c = channel;
    if (connected || destroyed || !iceReady || c == null) {
      return;
    }
    RTCDataChannelState state;
    try {
      state = c.getState();
    } catch (RuntimeException e) {
      return;
    }
    if (state == RTCDataChannelState.OPEN) {
      connected = true;
      if (connectTimeout != null) {
        connectTimeout.cancel(false);
      }
      events.connected();
    }
  }

  private final class Observer implements PeerConnectionObserver {
    @Override
    public void onIceCandidate(RTCIceCandidate candidate) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("candidate", candidate.sdp);
      c.put("sdpMLineIndex", candidate.sdpMLineIndex);
      c.put("sdpMid", candidate.sdpMid);
      Map<String, Object> signal = new LinkedHashMap<>();
      signal.put("type", "candidate");
      signal.put("candidate", c);
      loop.post(
          () -> {
            if (!destroyed) {
              events.signal(signal);
            }
          });
    }

    @Override
    public void onIceConnectionChange(RTCIceConnectionState state) {
      loop.post(
          () -> {
            if (destroyed) {
              return;
            }
            switch (state) {
              case CONNECTED, COMPLETED -> {
                if (disconnectTimer != null) {
                  disconnectTimer.cancel(false);
                  disconnectTimer = null;
                }
                iceReady = true;
                maybeReady();
              }
              case DISCONNECTED -> {
                // a peer that vanished (process killed, network gone) leaves ICE disconnected;
                // libwebrtc only
                // calls it failed after ~30 s of consent checks, so give it DISCONNECT_GRACE_MILLIS
                // to recover
                if (disconnectTimer == null) {
                  disconnectTimer =
                      loop.schedule(
                          () -> {
                            if (!destroyed) {
                              destroy("ICE disconnected for " + DISCONNECT_GRACE_MILLIS + " ms");
                            }
                          },
                          DISCONNECT_GRACE_MILLIS);
                }
              }
              case FAILED -> destroy("ICE connection failed");
              case CLOSED -> destroy("ICE connection closed");
              default -> {}
            }
          });
    }

    @Override
    public void onConnectionChange(RTCPeerConnectionState state) {
      if (state == RTCPeerConnectionState.FAILED) {
        loop.post(() -> destroy("connection failed"));
      }
    }

    @Override
    public void onDataChannel(RTCDataChannel dataChannel) {
      loop.post(
          () -> {
            if (destroyed) {
              releaseChannel(dataChannel);
              return;
            }
            adopt(dataChannel);
            maybeReady();
          });
    }
  }

  private final class CreateObserver implements CreateSessionDescriptionObserver {
    private final Consumer<RTCSessionDescription> then;
    private final String what;

    CreateObserver(Consumer<RTCSessionDescription> then, String what) {
      this.then = then;
      this.what = what;
    }

    @Override
    public void onSuccess(RTCSessionDescription description) {
      loop.post(
          () -> {
            if (!destroyed) {
              then.accept(description);
            }
          });
    }

    @Override
    public void onFailure(String error) {
      loop.post(() -> destroy("could not " + what + ": " + error));
    }
  }

  private final class SetObserver implements SetSessionDescriptionObserver {
    private final Runnable then;
    private final String what;

    SetObserver(Runnable then, String what) {
      this.then = then;
      this.what = what;
    }

    @Override
    public void onSuccess() {
      loop.post(
          () -> {
            if (!destroyed) {
              then.run();
            }
          });
    }

    @Override
    public void onFailure(String error) {
      loop.post(() -> destroy("could not " + what + ": " + error));
    }
  }
}
