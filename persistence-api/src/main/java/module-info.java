/**
 * The update-store seam ({@code UpdateStore}), its format SPI, an in-memory store and the Yjs
 * format.
 */
module nodenogg.persistence {
  requires transitive nodenogg.crdt;

  exports nodenogg.persistence;
  exports nodenogg.persistence.yjs;
}
