package nodenogg.sync.server;

/**
 * Extension points for embedders, called by {@link SyncServer}. Every method has a do-nothing
 * default (authenticate allows read-write). Hooks may be called concurrently from several threads
 * for different connections and documents; they must be thread-safe and should not block for long
 * ({@link #authenticate} and {@link #onLoad} run on worker threads and may do I/O). A hook that
 * throws is logged; a throwing {@link #authenticate} denies access.
 */
public interface SyncServerHooks {

  /** Decides whether a client may open a document, and whether read-only. */
  default AuthResult authenticate(AuthRequest request) {
    return AuthResult.readWrite();
  }

  /** A document was loaded into memory from the store ({@code storedUpdates} rows). */
  default void onLoad(String documentName, int storedUpdates) {}

  /** A client's update changed a document (before it is stored). */
  default void onChange(String documentName, byte[] update) {}

  /** An update is durable in the store (it is acknowledged to clients right after). */
  default void onStore(String documentName, byte[] update) {}

  /** A client connection was opened to a document. */
  default void onConnect(String documentName, String remoteAddress, boolean readOnly) {}

  /** A client connection to a document ended. */
  default void onDisconnect(String documentName, String remoteAddress) {}

  /** A Hocuspocus stateless message from a client. */
  default void onStateless(String documentName, String payload) {}

  /** A document was unloaded from memory (no connections left, every write durable). */
  default void onUnload(String documentName) {}

  /** Hooks that do nothing and allow everyone read-write. */
  SyncServerHooks NONE = new SyncServerHooks() {};
}
