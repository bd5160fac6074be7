package nodenogg.sync.protocol;

import java.util.Objects;
import java.util.function.BiConsumer;
import nodenogg.crdt.ApplyResult;
import nodenogg.crdt.Doc;
import nodenogg.crdt.Subscription;
import nodenogg.crdt.UpdateContainment;
import nodenogg.crdt.Updates;

/**
 * {@link SyncDocument} over the engine's {@link Doc}: state vector, diff, apply and update events
 * as Yjs {@code encodeStateVector}, {@code encodeStateAsUpdate(doc, sv)}, {@code applyUpdate} and
 * {@code doc.on('update')}, all update format v1.
 *
 * <p>{@link #apply} returns the update the Doc emitted and whether it holds pending structs or
 * deletions afterwards (an update whose dependencies are missing is kept, so a server must still
 * store it); it must not be called from inside a transaction or observer of the same Doc. {@link
 * #containsUpdate} is the check Yjs does with {@code snapshotContainsUpdate}, answered from the
 * document itself without copying it ({@link UpdateContainment}). Thread-safe (the Doc serializes
 * calls).
 */
public final class DocSync implements SyncDocument {
  private final Doc doc;

  public DocSync(Doc doc) {
    this.doc = Objects.requireNonNull(doc, "doc");
  }

  /** A new empty document (gc on), as a server holds it. */
  public static DocSync newDocument() {
    return new DocSync(new Doc());
  }

  public Doc doc() {
    return doc;
  }

  @Override
  public byte[] stateVector() {
    return Updates.encodeStateVector(doc);
  }

  @Override
  public byte[] diff(byte[] remoteStateVector) {
    return Updates.encodeStateAsUpdate(doc, remoteStateVector);
  }

  @Override
  public Applied apply(byte[] update, Object origin) {
    ApplyResult r = doc.applyUpdate(update, origin);
    return new Applied(r.update(), r.hasPending());
  }

  /**
   * Costs what the update costs to decode, not what the document weighs (no copy; issue 12 finding
   * 5).
   */
  @Override
  public boolean containsUpdate(byte[] update) {
    return UpdateContainment.contains(doc, update);
  }

  @Override
  public byte[] merge(java.util.List<byte[]> updates) {
    return Updates.mergeUpdates(updates);
  }

  @Override
  public Registration onUpdate(BiConsumer<byte[], Object> listener) {
    Subscription s = doc.onUpdate((u, origin, tr) -> listener.accept(u, origin));
    return s::close;
  }
}
