/**
 * The sync server: WebSocket on java.nio, Hocuspocus, y-websocket, y-webrtc signalling, WebTorrent
 * tracker, Earthstar, automerge-repo (when automerge-microcosm is present). {@code
 * nodenogg.sync.server.internal} and {@code .cluster.internal} are not exported.
 */
module nodenogg.sync.server {
  requires transitive nodenogg.crdt;
  requires transitive nodenogg.sync.protocol;
  requires transitive nodenogg.persistence;
  requires transitive nodenogg.persistence.sqlite;
  requires transitive nodenogg.persistence.postgres;
  requires transitive nodenogg.earthstar;
  requires nodenogg.microcosm;
  requires nodenogg.ymicrocosm;
  requires static nodenogg
      .automerge; // optional: /automerge is mounted only when automerge-microcosm is present
  requires com.fasterxml.jackson.databind;
  requires org.slf4j;

  exports nodenogg.sync.server;
  exports nodenogg.sync.server.cluster;
  exports nodenogg.sync.server.automerge;
  exports nodenogg.sync.server.earthstar;
  exports nodenogg.sync.server.signal;
  exports nodenogg.sync.server.tracker;
  exports nodenogg.sync.server.websocket;
}
