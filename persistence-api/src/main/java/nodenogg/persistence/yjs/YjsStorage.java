package nodenogg.persistence.yjs;

import java.util.List;
import nodenogg.crdt.Doc;
import nodenogg.crdt.Updates;
import nodenogg.persistence.CorruptDocumentException;
import nodenogg.persistence.StoreException;
import nodenogg.persistence.UpdateStore;

/**
 * Engine documents and update stores: load a {@link Doc} from a store, or bind one to it so that
 * every change is stored ({@link DocBinding}).
 *
 * <pre>{@code
 * try (UpdateStore store = SqliteUpdateStore.openDirectory(dataDir);           // or new InMemoryUpdateStore()
 *      DocBinding binding = YjsStorage.bind(store, doc, "my-doc")) {          // load, then persist every update
 *   doc.getText("t").insert(0, "hello");                                     // returns without waiting for the disk
 *   binding.flush().join();                                                  // durable now
 * }
 * }</pre>
 *
 * Stateless and thread-safe.
 */
public final class YjsStorage {
  private YjsStorage() {}

  /** {@link #load(UpdateStore, Doc, String, Object)} with the store as transaction origin. */
  public static boolean load(UpdateStore store, Doc doc, String name) {
    return load(store, doc, name, store);
  }

  /**
   * Applies every stored update of {@code name} to {@code doc} in one transaction with the given
   * origin (so a binding or listener that skips that origin does not write them back). Every update
   * is checked first, so a damaged document changes nothing.
   *
   * @return false if nothing is stored under {@code name}
   * @throws CorruptDocumentException if a stored update is damaged
   * @throws StoreException if the store cannot be read
   */
  public static boolean load(UpdateStore store, Doc doc, String name, Object origin) {
    List<byte[]> rows = store.load(name);
    if (rows.isEmpty()) {
      return false;
    }
    for (int i = 0; i < rows.size(); i++) {
      try {
        YjsFormat.INSTANCE.check(rows.get(i));
      } catch (StoreException e) {
        throw new CorruptDocumentException(
            name, "stored update #" + (i + 1) + " is malformed: " + e.getMessage(), e);
      }
    }
    try {
      doc.transact(
          tr -> {
            for (byte[] u : rows) {
              Updates.applyUpdate(doc, u, origin);
            }
          },
          origin);
    } catch (RuntimeException e) {
      throw new CorruptDocumentException(
          name, "a stored update was rejected by the engine: " + e.getMessage(), e);
    }
    return true;
  }

  /**
   * {@link #bind(UpdateStore, Doc, String, Object, DocBinding.StatusListener)} with the store as
   * load origin and no listener.
   */
  public static DocBinding bind(UpdateStore store, Doc doc, String name) {
    return bind(store, doc, name, store, null);
  }

  /**
   * Loads {@code name} into {@code doc} (see {@link #load}, with {@code origin}), stores what the
   * doc already held, and from then on appends every update of {@code doc} whose origin is not
   * {@code origin}.
   *
   * @param listener told when an append fails and when the binding has caught up again; may be null
   * @throws CorruptDocumentException if the stored document is damaged (nothing is bound then)
   */
  public static DocBinding bind(
      UpdateStore store, Doc doc, String name, Object origin, DocBinding.StatusListener listener) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("document name must be a non-empty string");
    }
    return new DocBinding(store, doc, name, origin, listener);
  }
}
