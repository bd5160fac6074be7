package nodenogg.webrtc;

import java.util.Objects;
import java.util.function.Consumer;
import nodenogg.ymicrocosm.spi.MicrocosmProvider;

/**
 * y-webrtc as a microcosm transport: the room is the microcosm id (as nodenogg.in's {@code
 * createWebRTCProvider} names it), the microcosm's document and presence are synced, and the
 * microcosm reports {@code connected} while at least one data channel is open.
 *
 * <pre>{@code
 * try (YMicrocosm m = YMicrocosm.inMemory(microcosmId)) {
 *   m.attach(WebrtcTransport.provider(WebrtcOptions.signaling("ws://localhost:8787/signal")));
 * }
 * }</pre>
 */
public final class WebrtcTransport {
  private WebrtcTransport() {}

  /** A transport joining the microcosm's room with {@code options}. */
  public static MicrocosmProvider provider(WebrtcOptions options) {
    return provider(options, p -> {});
  }

  /**
   * Like {@link #provider(WebrtcOptions)}, and hands each started {@link WebrtcProvider} to {@code
   * opened} (to await the first sync or listen to peers), on the thread that attaches.
   */
  public static MicrocosmProvider provider(WebrtcOptions options, Consumer<WebrtcProvider> opened) {
    Objects.requireNonNull(options, "options");
    return ctx -> {
      WebrtcProvider p =
          WebrtcProvider.open(ctx.documentName(), ctx.doc(), ctx.awareness(), options);
      p.onOpenConnections(n -> ctx.connectionChanged(n > 0));
      opened.accept(p);
      return () -> {
        p.close();
        ctx.connectionChanged(false);
      };
    };
  }
}
