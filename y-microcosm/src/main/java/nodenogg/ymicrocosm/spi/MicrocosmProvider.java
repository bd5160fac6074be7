package nodenogg.ymicrocosm.spi;

/**
 * A transport that keeps a microcosm's document and awareness in sync with other peers (a WebSocket
 * client, an in-memory link, ...). A microcosm calls {@link #connect} once per attachment and
 * closes the returned connection when the microcosm closes or the attachment is removed.
 *
 * <p>Contract: the provider applies remote document updates with {@code Updates.applyUpdate(doc, u,
 * origin)} using an origin object of its own (so it can skip echoing them), sends local updates
 * from {@code doc.onUpdate}, exchanges awareness the same way, and calls {@link
 * ProviderContext#connectionChanged(boolean)} with {@code true} only while a real connection is
 * open. It may do all of this on its own I/O threads: the microcosm never runs application
 * listeners on them.
 */
@FunctionalInterface
public interface MicrocosmProvider {

  /**
   * Starts syncing {@code context.doc()} and {@code context.awareness()}; must not block for long.
   */
  ProviderConnection connect(ProviderContext context) throws Exception;
}
