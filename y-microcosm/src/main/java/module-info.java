/**
 * The Microcosm API on the Yjs engine, in the web app's layout. {@code
 * nodenogg.ymicrocosm.internal} is not exported.
 */
module nodenogg.ymicrocosm {
  requires transitive nodenogg.crdt;
  requires transitive nodenogg.sync.protocol;
  requires transitive nodenogg.microcosm;
  requires transitive nodenogg.persistence;
  requires org.slf4j;

  exports nodenogg.ymicrocosm;
  exports nodenogg.ymicrocosm.export;
  exports nodenogg.ymicrocosm.spi;
}
