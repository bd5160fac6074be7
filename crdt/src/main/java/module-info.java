/**
 * The Yjs 13.6-compatible CRDT engine and the lib0 encoding. No dependencies. The engine's
 * internals are package-private inside {@code nodenogg.crdt}; both packages are public API.
 */
module nodenogg.crdt {
  exports nodenogg.crdt;
  exports nodenogg.crdt.encoding;
}
