/**
 * A microcosm on Automerge (native, JNI): {@code AutomergeMicrocosm}, the Automerge store format
 * and a Java automerge-repo client. {@code nodenogg.automerge.internal} is not part of the API; it
 * is shared with the sync server's automerge-repo service only.
 */
module nodenogg.automerge {
  requires transitive nodenogg.microcosm;
  requires transitive nodenogg.persistence;
  requires transitive automerge; // org.automerge:automerge declares no module name: the name comes
  // from its jar
  requires java.net.http;
  requires org.slf4j;

  exports nodenogg.automerge;
  exports nodenogg.automerge.repo;
  exports nodenogg.automerge.store;
  exports nodenogg.automerge.internal to
      nodenogg.sync.server;
}
