package nodenogg.sync.client;

import java.net.URI;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import nodenogg.sync.protocol.DocSync;
import nodenogg.ymicrocosm.spi.MicrocosmProvider;

/**
 * The Hocuspocus WebSocket client (sync-client) as a microcosm transport: the same protocol,
 * document name (the microcosm id) and token ({@code "default"}) the nodenogg.in web app uses
 * against {@code wss://websockets.nodenogg.in/sync}. The microcosm reports {@code connected} while
 * the socket is open.
 *
 * <p>Needs module y-microcosm (an optional dependency of sync-client: add it to use this class):
 * {@code microcosm.attach(HocuspocusTransport.over(client, HocuspocusTransport.DEFAULT_TOKEN))}.
 * Thread-safe; the providers it makes may attach any number of microcosms to one client.
 */
public final class HocuspocusTransport {
  /** The token the web app sends when a microcosm has no password. */
  public static final String DEFAULT_TOKEN = "default";

  private HocuspocusTransport() {}

  /**
   * A provider that attaches microcosms to {@code client} (one socket can carry many microcosms).
   */
  public static MicrocosmProvider over(HocuspocusClient client, String token) {
    return over(client, token, d -> {});
  }

  /**
   * Like {@link #over(HocuspocusClient, String)}, and hands each attached microcosm's {@link
   * HocuspocusDocument} to {@code opened} (to await the first sync or count unacknowledged
   * changes). {@code opened} runs on the thread that attaches the microcosm.
   */
  public static MicrocosmProvider over(
      HocuspocusClient client, String token, Consumer<HocuspocusDocument> opened) {
    return ctx -> {
      AtomicBoolean attached = new AtomicBoolean(true);
      client.onStateChange(
          s -> {
            if (attached.get()) {
              ctx.connectionChanged(s == ConnectionState.CONNECTED);
            }
          });
      HocuspocusDocument d =
          client.open(ctx.documentName(), new DocSync(ctx.doc()), ctx.awareness(), token);
      opened.accept(d);
      ctx.connectionChanged(client.state() == ConnectionState.CONNECTED);
      return () -> {
        attached.set(false);
        d.close();
        ctx.connectionChanged(false);
      };
    };
  }

  /** Connects a new client to {@code url} (for example {@code ws://127.0.0.1:8787/sync}). */
  public static HocuspocusClient connect(String url) {
    return HocuspocusClient.connect(URI.create(url));
  }
}
