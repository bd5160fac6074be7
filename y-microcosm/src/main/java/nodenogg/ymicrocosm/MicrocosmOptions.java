package nodenogg.ymicrocosm;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import nodenogg.microcosm.SchemaProfile;
import nodenogg.persistence.UpdateStore;
import nodenogg.persistence.yjs.YjsFormat;
import nodenogg.ymicrocosm.spi.MicrocosmProvider;

/**
 * How to open a {@link YMicrocosm}. Every setting is optional: the defaults give an in-memory E5
 * microcosm with no transport. Mutable builder; not thread-safe (build on one thread, then open).
 */
public final class MicrocosmOptions {
  SchemaProfile profile = SchemaProfile.E5;
  UpdateStore persistence;
  final List<MicrocosmProvider> providers = new ArrayList<>();
  LongSupplier clock = System::currentTimeMillis;
  Executor listenerExecutor;
  Long clientId;
  long captureTimeoutMillis = 0;

  /** Defaults: E5, no persistence, no providers. */
  public static MicrocosmOptions defaults() {
    return new MicrocosmOptions();
  }

  /** Document format to write (readers accept both). Default {@link SchemaProfile#E5}. */
  public MicrocosmOptions profile(SchemaProfile p) {
    this.profile = Objects.requireNonNull(p, "profile");
    return this;
  }

  /**
   * Where to keep the document: a store of Yjs updates, e.g. {@code
   * SqliteUpdateStore.openDirectory(dir)} (persistence-sqlite) or {@code new
   * InMemoryUpdateStore()}. Its stored updates are loaded on open and every later change is
   * appended without waiting ({@link YMicrocosm#flush()} waits). Several microcosms may share one
   * store (each is one document, named by its id); the microcosm does not close it. Default none;
   * {@code null} removes it.
   *
   * @throws IllegalArgumentException if the store does not hold Yjs updates ({@link YjsFormat})
   */
  public MicrocosmOptions persistence(UpdateStore store) {
    if (store != null && !(store.format() instanceof YjsFormat)) {
      throw new IllegalArgumentException(
          "a microcosm needs a store of Yjs updates ("
              + YjsFormat.NAME
              + "), not "
              + store.format().name());
    }
    this.persistence = store;
    return this;
  }

  /** Adds a transport, connected on open. */
  public MicrocosmOptions provider(MicrocosmProvider p) {
    this.providers.add(Objects.requireNonNull(p, "provider"));
    return this;
  }

  /** Millisecond clock for timestamps and presence expiry (tests). Default the system clock. */
  public MicrocosmOptions clock(LongSupplier c) {
    this.clock = Objects.requireNonNull(c, "clock");
    return this;
  }

  /**
   * Where listeners run, for example {@code SwingUtilities::invokeLater}. Must run tasks in
   * submission order. Default: the microcosm's own event thread.
   */
  public MicrocosmOptions listenerExecutor(Executor e) {
    this.listenerExecutor = e;
    return this;
  }

  /** Fixed Yjs client id (tests that need a deterministic conflict order). Default random. */
  public MicrocosmOptions clientId(long id) {
    this.clientId = id;
    return this;
  }

  /**
   * Edits within this many milliseconds merge into one undo step. Default 0: every edit call is its
   * own step (the web app uses Yjs' 500 ms).
   */
  public MicrocosmOptions captureTimeoutMillis(long ms) {
    if (ms < 0) {
      throw new IllegalArgumentException("captureTimeoutMillis must be >= 0, got " + ms);
    }
    this.captureTimeoutMillis = ms;
    return this;
  }
}
