package nodenogg.sync.server.internal;

import static nodenogg.sync.server.TestTime.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import nodenogg.crdt.Doc;
import nodenogg.crdt.Updates;
import nodenogg.persistence.ForwardingUpdateStore;
import nodenogg.persistence.InMemoryUpdateStore;
import nodenogg.sync.protocol.DocSync;
import nodenogg.sync.server.SyncServerHooks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The order of broadcast and acknowledgement in {@link ServerDocument}: peers get an update as soon
 * as it is applied, the sender's acknowledgement (and the Step1 barrier) waits for the store, and a
 * failed append acknowledges nothing and aborts every peer. The store's futures are completed by
 * hand.
 */
class ServerDocumentOrderTest {
  private ExecutorService pool;
  private ManualStore store;
  private ServerDocument doc;

  /** A store whose appends complete only when the test says so. */
  static final class ManualStore extends ForwardingUpdateStore {
    final LinkedBlockingQueue<CompletableFuture<Long>> pending = new LinkedBlockingQueue<>();
    final List<byte[]> appended = new CopyOnWriteArrayList<>();

    ManualStore() {
      super(new InMemoryUpdateStore());
    }

    @Override
    public CompletableFuture<Long> append(String document, byte[] update) {
      appended.add(update);
      CompletableFuture<Long> f = new CompletableFuture<>();
      pending.add(f);
      return f;
    }
  }

  static final class Peer implements DocPeer {
    final List<byte[]> updates = new CopyOnWriteArrayList<>();
    volatile String aborted;

    @Override
    public void sendUpdate(Broadcast update) {
      updates.add(update.update());
    }

    @Override
    public void sendAwareness(byte[] awarenessUpdate) {}

    @Override
    public String remoteAddress() {
      return "test";
    }

    @Override
    public void abort(String reason) {
      aborted = reason;
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    pool = Executors.newFixedThreadPool(2);
    store = new ManualStore();
    doc =
        new ServerDocument(
            "d",
            DocSync.newDocument(),
            new SerialExecutor(pool),
            store,
            SyncServerHooks.NONE,
            7,
            () -> {});
  }

  @AfterEach
  void tearDown() {
    pool.shutdownNow();
  }

  /** Runs {@code r} on the document executor and waits for it. */
  private void onExec(Runnable r) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    doc.executor()
        .execute(
            () -> {
              try {
                r.run();
                done.complete(null);
              } catch (Throwable t) {
                done.completeExceptionally(t);
              }
            });
    done.get(20, TimeUnit.SECONDS);
  }

  private static byte[] textInsert(long client, String text) {
    Doc d = new Doc(new Doc.Options().clientId(client));
    d.getText("t").insert(0, text);
    return Updates.encodeStateAsUpdate(d);
  }

  private Peer join() throws Exception {
    Peer p = new Peer();
    CompletableFuture<Void> joined = new CompletableFuture<>();
    doc.join(p, false, () -> joined.complete(null));
    joined.get(20, TimeUnit.SECONDS);
    return p;
  }

  @Test
  void peersGetTheUpdateBeforeItIsDurableAndTheSenderIsAckedAfter() throws Exception {
    Peer sender = join();
    Peer other = join();
    AtomicInteger acks = new AtomicInteger();
    byte[] u = textInsert(1, "hello");
    onExec(() -> doc.applyUpdate(sender, u, ok -> acks.incrementAndGet()));
    await("broadcast", () -> other.updates.size() == 1 && sender.updates.size() == 1);
    CompletableFuture<Long> append = store.pending.poll(20, TimeUnit.SECONDS);
    assertFalse(append.isDone(), "the append must still be pending");
    assertEquals(0, acks.get(), "no ack before the store completes");

    // a Step1 answered now would claim the update is there: the barrier waits for the store too
    AtomicInteger barrier = new AtomicInteger();
    onExec(() -> doc.afterWrites(barrier::incrementAndGet));
    onExec(() -> {});
    assertEquals(0, barrier.get(), "afterWrites ran before the write was durable");

    append.complete(null);
    await("ack", () -> acks.get() == 1 && barrier.get() == 1);
    assertEquals(1, other.updates.size(), "a durable update is not broadcast twice");
    Doc check = new Doc();
    Updates.applyUpdate(check, other.updates.get(0));
    assertEquals("hello", check.getText("t").toString());
    assertEquals(1, store.appended.size());
    assertArrayEquals(u, store.appended.get(0));
  }

  @Test
  void updatesAppliedInOneTurnAreMergedIntoOneBroadcast() throws Exception {
    Peer sender = join();
    Peer other = join();
    AtomicInteger acks = new AtomicInteger();
    onExec(
        () -> {
          doc.applyUpdate(sender, textInsert(1, "a"), ok -> acks.incrementAndGet());
          doc.applyUpdate(sender, textInsert(2, "b"), ok -> acks.incrementAndGet());
        });
    await("broadcast", () -> other.updates.size() == 1);
    Doc check = new Doc();
    Updates.applyUpdate(check, other.updates.get(0));
    assertEquals(2, check.getText("t").length(), "one merged message with both inserts");
    assertEquals(0, acks.get());
    store.pending.take().complete(null);
    await("first ack", () -> acks.get() == 1);
    store.pending.take().complete(null);
    await("second ack", () -> acks.get() == 2);
  }

  @Test
  void updatesQueuedBehindThePendingFlushJoinItsMessage() throws Exception {
    // another event loop's reads land on the executor after the flush was queued: they are merged
    // too
    Peer sender = join();
    Peer other = join();
    byte[] a = textInsert(1, "a");
    byte[] b = textInsert(2, "b");
    byte[] c = textInsert(3, "c");
    onExec(
        () -> {
          doc.applyUpdate(sender, a, ok -> {});
          doc.executor().execute(() -> doc.applyUpdate(sender, b, ok -> {}));
          doc.executor().execute(() -> doc.applyUpdate(sender, c, ok -> {}));
        });
    await("broadcast", () -> other.updates.size() >= 1);
    onExec(() -> {});
    assertEquals(1, other.updates.size(), "one message for the three updates");
    // the engine's mergeUpdates (byte-identical to Yjs's: crdt UpdateFunctionsInteropTest)
    assertArrayEquals(Updates.mergeUpdates(List.of(a, b, c)), other.updates.get(0));
    Doc check = new Doc();
    Updates.applyUpdate(check, other.updates.get(0));
    assertEquals(3, check.getText("t").length());
  }

  @Test
  void joinersOfAnUnchangedDocumentShareOneEncodedStateAndAChangeRenewsIt() throws Exception {
    Peer sender = join();
    onExec(() -> doc.applyUpdate(sender, textInsert(1, "ab"), ok -> {}));
    store.pending.take().complete(null);
    java.util.concurrent.atomic.AtomicReference<Object[]> got =
        new java.util.concurrent.atomic.AtomicReference<>();
    AtomicInteger encodes = new AtomicInteger();
    java.util.function.Function<byte[], byte[]> enc =
        u -> {
          encodes.incrementAndGet();
          return u.clone();
        };
    onExec(
        () ->
            got.set(
                new Object[] {
                  doc.fullStateMessage("a", enc),
                  doc.fullStateMessage("a", enc),
                  doc.fullStateMessage("b", enc)
                }));
    Object[] m = got.get();
    assertTrue(m[0] == m[1], "the second joiner reuses the first joiner's message");
    assertTrue(m[2] != m[0], "another address gets its own");
    Doc check = new Doc();
    Updates.applyUpdate(check, ((nodenogg.sync.server.websocket.SharedMessage) m[0]).payload());
    assertEquals("ab", check.getText("t").toString());
    onExec(() -> doc.applyUpdate(sender, textInsert(2, "c"), ok -> {}));
    store.pending.take().complete(null);
    onExec(() -> got.set(new Object[] {doc.fullStateMessage("b", enc)}));
    assertTrue(got.get()[0] != m[2], "a change drops the shared message");
    Doc after = new Doc();
    Updates.applyUpdate(
        after, ((nodenogg.sync.server.websocket.SharedMessage) got.get()[0]).payload());
    assertEquals(3, after.getText("t").length());
    assertEquals(3, encodes.get());
  }

  @Test
  void aFailedAppendAcknowledgesNothingAndAbortsEveryPeer() throws Exception {
    Peer sender = join();
    Peer other = join();
    AtomicInteger acks = new AtomicInteger();
    onExec(() -> doc.applyUpdate(sender, textInsert(1, "lost"), ok -> acks.incrementAndGet()));
    await("broadcast", () -> other.updates.size() == 1);
    store
        .pending
        .take()
        .completeExceptionally(
            new java.io.UncheckedIOException(new java.io.IOException("disk full")));
    await("aborted", () -> sender.aborted != null && other.aborted != null);
    assertTrue(doc.failed());
    onExec(() -> {});
    assertEquals(0, acks.get(), "a failed update must not be acknowledged");
    // later updates are refused: neither applied nor broadcast
    onExec(() -> doc.applyUpdate(sender, textInsert(3, "late"), ok -> acks.incrementAndGet()));
    onExec(() -> {});
    assertEquals(1, other.updates.size());
    assertEquals(0, acks.get());
  }

  @Test
  void theInMemoryStoreAcknowledgesAtOnceAndStillBroadcasts() throws Exception {
    doc =
        new ServerDocument(
            "m",
            DocSync.newDocument(),
            new SerialExecutor(pool),
            new InMemoryUpdateStore(),
            SyncServerHooks.NONE,
            7,
            () -> {});
    Peer sender = join();
    Peer other = join();
    List<Boolean> acks = new ArrayList<>();
    onExec(
        () -> {
          doc.applyUpdate(sender, textInsert(1, "x"), acks::add);
          assertEquals(List.of(true), acks, "acknowledged within the same task");
          assertEquals(
              0, other.updates.size(), "the broadcast waits for the end of the turn, to merge");
        });
    await("broadcast", () -> other.updates.size() == 1);
  }

  @Test
  void anUpdateTheStoreRejectsIsRefusedForItsSenderOnlyAndWhatPeersSawIsStored() throws Exception {
    // issue 12 finding 2: a store rejection is the sender's problem, not the document's
    Peer sender = join();
    Peer other = join();
    List<Boolean> acks = new CopyOnWriteArrayList<>();
    byte[] u = textInsert(1, "odd");
    byte[] withTrailingByte = java.util.Arrays.copyOf(u, u.length + 1);
    onExec(() -> doc.applyUpdate(sender, withTrailingByte, acks::add));
    await("broadcast", () -> other.updates.size() == 1);
    store
        .pending
        .take()
        .completeExceptionally(new nodenogg.persistence.InvalidUpdateException("trailing byte"));
    await("refused to the sender", () -> acks.equals(List.of(false)));
    // what the engine integrated (and peers already have) is stored in the engine's encoding
    // instead
    CompletableFuture<Long> canonical = store.pending.poll(20, TimeUnit.SECONDS);
    assertEquals(2, store.appended.size());
    assertArrayEquals(
        other.updates.get(0), store.appended.get(1), "the update the document emitted");
    AtomicInteger barrier = new AtomicInteger();
    onExec(() -> doc.afterWrites(barrier::incrementAndGet));
    assertEquals(0, barrier.get(), "a Step1 answer waits for the stored replacement too");
    canonical.complete(null);
    await("barrier", () -> barrier.get() == 1);
    assertFalse(doc.failed());
    assertEquals(null, sender.aborted);
    assertEquals(null, other.aborted);
    // the document and its peers go on: the other peer's next update is applied and acknowledged
    onExec(() -> doc.applyUpdate(other, textInsert(2, "next"), acks::add));
    store.pending.take().complete(null);
    await("next acknowledged", () -> acks.equals(List.of(false, true)));
    assertEquals(2, sender.updates.size());
  }

  @Test
  void aStoreThatRefusesTheEnginesOwnEncodingFailsTheDocument() throws Exception {
    Peer sender = join();
    Peer other = join();
    List<Boolean> acks = new CopyOnWriteArrayList<>();
    onExec(() -> doc.applyUpdate(sender, textInsert(1, "x"), acks::add));
    store
        .pending
        .take()
        .completeExceptionally(new nodenogg.persistence.InvalidUpdateException("no"));
    store
        .pending
        .take()
        .completeExceptionally(new nodenogg.persistence.InvalidUpdateException("no"));
    await("aborted", () -> sender.aborted != null && other.aborted != null);
    assertTrue(doc.failed());
    assertEquals(List.of(false), acks);
  }

  @Test
  void aFailedDocumentTakesNoNewPeers() throws Exception {
    // issue 12 finding 3: a client joining while the document fails must not join the failed copy
    AtomicInteger failures = new AtomicInteger();
    doc.onFailure(failures::incrementAndGet);
    Peer sender = join();
    onExec(() -> doc.applyUpdate(sender, textInsert(1, "x"), ok -> {}));
    store
        .pending
        .take()
        .completeExceptionally(
            new java.io.UncheckedIOException(new java.io.IOException("disk full")));
    await("failed", doc::failed);
    // fail() sets the flag, logs, aborts the peers, then tells the registry: wait for the callback
    await("the registry is told", () -> failures.get() > 0);
    Peer late = new Peer();
    AtomicInteger joined = new AtomicInteger();
    doc.join(late, false, joined::incrementAndGet);
    await("the late peer is aborted", () -> late.aborted != null);
    onExec(() -> {});
    assertEquals(0, joined.get(), "it never joined");
    assertEquals(1, failures.get(), "the registry is told once");
  }
}
