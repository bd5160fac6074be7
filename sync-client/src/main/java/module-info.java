/**
 * Hocuspocus and y-websocket client providers on java.net.http. {@code
 * nodenogg.sync.client.internal} is not exported.
 */
module nodenogg.sync.client {
  requires transitive nodenogg.crdt;
  requires transitive nodenogg.sync.protocol;
  requires static nodenogg.ymicrocosm; // HocuspocusTransport only (optional dependency)
  requires java.net.http;
  requires org.slf4j;

  exports nodenogg.sync.client;
}
