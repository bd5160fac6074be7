/** Sans-IO y-protocols sync/awareness/auth messages, Hocuspocus and y-websocket framing. */
module nodenogg.sync.protocol {
  requires transitive nodenogg.crdt;

  exports nodenogg.sync.protocol;
}
