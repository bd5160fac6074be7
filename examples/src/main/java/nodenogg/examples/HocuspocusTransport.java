package nodenogg.examples;

import java.util.function.Consumer;
import nodenogg.sync.client.HocuspocusClient;
import nodenogg.sync.client.HocuspocusDocument;
import nodenogg.ymicrocosm.spi.MicrocosmProvider;

/**
 * Moved to the library as {@link nodenogg.sync.client.HocuspocusTransport} (module sync-client);
 * this forwarder keeps code written against the example compiling.
 *
 * @deprecated use {@link nodenogg.sync.client.HocuspocusTransport}
 */
@Deprecated
public final class HocuspocusTransport {
  /** The token the web app sends when a microcosm has no password. */
  public static final String DEFAULT_TOKEN = nodenogg.sync.client.HocuspocusTransport.DEFAULT_TOKEN;

  private HocuspocusTransport() {}

  /** See {@link nodenogg.sync.client.HocuspocusTransport#over(HocuspocusClient, String)}. */
  public static MicrocosmProvider over(HocuspocusClient client, String token) {
    return nodenogg.sync.client.HocuspocusTransport.over(client, token);
  }

  /**
   * See {@link nodenogg.sync.client.HocuspocusTransport#over(HocuspocusClient, String, Consumer)}.
   */
  public static MicrocosmProvider over(
      HocuspocusClient client, String token, Consumer<HocuspocusDocument> opened) {
    return nodenogg.sync.client.HocuspocusTransport.over(client, token, opened);
  }

  /** See {@link nodenogg.sync.client.HocuspocusTransport#connect(String)}. */
  public static HocuspocusClient connect(String url) {
    return nodenogg.sync.client.HocuspocusTransport.connect(url);
  }
}
