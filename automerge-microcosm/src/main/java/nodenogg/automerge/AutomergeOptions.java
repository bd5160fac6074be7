package nodenogg.automerge;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import nodenogg.automerge.store.AutomergeFormat;
import nodenogg.persistence.UpdateStore;

/**
 * How to open an {@link AutomergeMicrocosm}. Every setting is optional: the defaults give an
 * in-memory microcosm with no transport. Mutable builder; not thread-safe (build on one thread,
 * then open).
 */
public final class AutomergeOptions {
  UpdateStore store;
  final List<MicrocosmTransport> transports = new ArrayList<>();
  LongSupplier clock = System::currentTimeMillis;
  Executor listenerExecutor;
  byte[] actorId;
  long captureTimeoutMillis;
  String documentId;

  /** Defaults: no storage, no transport, random actor, the microcosm's own event thread. */
  public static AutomergeOptions defaults() {
    return new AutomergeOptions();
  }

  /**
   * Where to keep the document: a store of {@link AutomergeFormat} updates, e.g. {@code new
   * InMemoryUpdateStore(AutomergeFormat.INSTANCE)} or {@code
   * sqliteStore.withFormat(AutomergeFormat.INSTANCE)}. Its stored changes are loaded on open; every
   * later change is appended without waiting ({@link AutomergeMicrocosm#flush()} waits). The
   * microcosm is stored under its microcosm id; the store is not closed by the microcosm. Default
   * none; {@code null} removes it.
   *
   * @throws IllegalArgumentException if the store does not hold Automerge documents
   */
  public AutomergeOptions store(UpdateStore s) {
    if (s != null && !AutomergeFormat.NAME.equals(s.format().name())) {
      throw new IllegalArgumentException(
          "an Automerge microcosm needs a store of "
              + AutomergeFormat.NAME
              + " updates, not "
              + s.format().name()
              + " (use withFormat(AutomergeFormat.INSTANCE))");
    }
    this.store = s;
    return this;
  }

  /** Adds a transport (e.g. a {@code RepoClient}), shared on open. */
  public AutomergeOptions transport(MicrocosmTransport t) {
    transports.add(Objects.requireNonNull(t, "transport"));
    return this;
  }

  /**
   * Millisecond clock for timestamps, presence expiry and undo capture (tests). Default the system
   * clock.
   */
  public AutomergeOptions clock(LongSupplier c) {
    this.clock = Objects.requireNonNull(c, "clock");
    return this;
  }

  /**
   * Where listeners run; must run tasks in submission order. Default: the microcosm's own event
   * thread.
   */
  public AutomergeOptions listenerExecutor(Executor e) {
    this.listenerExecutor = e;
    return this;
  }

  /** Fixed Automerge actor id (tests that need a deterministic conflict order). Default random. */
  public AutomergeOptions actorId(byte[] actor) {
    this.actorId = actor == null ? null : actor.clone();
    return this;
  }

  /**
   * Edits within this many milliseconds merge into one undo step (default 0: one step per edit
   * call).
   */
  public AutomergeOptions captureTimeoutMillis(long ms) {
    if (ms < 0) {
      throw new IllegalArgumentException("captureTimeoutMillis must be >= 0, got " + ms);
    }
    this.captureTimeoutMillis = ms;
    return this;
  }

  /**
   * The automerge-repo document id to share the microcosm as. Default {@link
   * AutomergeLayout#documentId}: derived from the microcosm id, so every peer that knows the
   * microcosm id finds the same document.
   */
  public AutomergeOptions documentId(String id) {
    this.documentId = id;
    return this;
  }
}
