package nodenogg.ymicrocosm;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import nodenogg.crdt.Doc;
import nodenogg.crdt.Subscription;
import nodenogg.crdt.Updates;
import nodenogg.sync.protocol.Awareness;
import nodenogg.ymicrocosm.spi.ProviderConnection;
import nodenogg.ymicrocosm.spi.ProviderContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects two microcosms in one process, as if by a network: document updates and presence flow
 * both ways, asynchronously, on the link's own thread ({@code microcosm-link}), which plays the
 * part of a transport's I/O thread. Each side reports {@code connected = true} while the link is
 * open.
 *
 * <pre>{@code
 * try (YMicrocosm a = YMicrocosm.inMemory("demo"); YMicrocosm b = YMicrocosm.inMemory("demo");
 *      InMemoryLink link = InMemoryLink.connect(a, b)) { ... link.flush(); }
 * }</pre>
 *
 * Thread-safe. Closing the link disconnects both sides (they keep their documents).
 */
public final class InMemoryLink implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(InMemoryLink.class);
  private final ExecutorService wire =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "microcosm-link");
            t.setDaemon(true);
            return t;
          });
  private final AtomicBoolean closed = new AtomicBoolean();
  private final nodenogg.microcosm.Subscription left;
  private final nodenogg.microcosm.Subscription right;
  private volatile Side sideA;
  private volatile Side sideB;

  private InMemoryLink(YMicrocosm a, YMicrocosm b) {
    left = a.attach(ctx -> attachSide(ctx, true));
    right = b.attach(ctx -> attachSide(ctx, false));
    sideA.peer = sideB;
    sideB.peer = sideA;
    // initial sync: each side sends its whole state and presence
    sideA.sendState();
    sideB.sendState();
    sideA.ctx.connectionChanged(true);
    sideB.ctx.connectionChanged(true);
  }

  /** Links {@code a} and {@code b} (one line, both directions). */
  public static InMemoryLink connect(YMicrocosm a, YMicrocosm b) {
    if (a == b) {
      throw new IllegalArgumentException("cannot link a microcosm to itself");
    }
    if (!a.microcosmId().equals(b.microcosmId())) {
      throw new IllegalArgumentException(
          "cannot link different microcosms '"
              + a.microcosmId()
              + "' and '"
              + b.microcosmId()
              + "'");
    }
    return new InMemoryLink(a, b);
  }

  private ProviderConnection attachSide(ProviderContext ctx, boolean isA) {
    Side s = new Side(ctx);
    if (isA) {
      sideA = s;
    } else {
      sideB = s;
    }
    return () -> {
      // one end closing closes the link, as a socket does
      disconnect();
      close();
    };
  }

  /**
   * Stops both ends (idempotent): no more traffic, both report disconnected, both forget the peer.
   */
  private void disconnect() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    wire.shutdown();
    if (!Thread.currentThread().getName().equals("microcosm-link")) {
      // a delivery already past its closed check must finish before the sides forget each other,
      // or it could bring back the presence that stop() removes (queued ones see closed and do
      // nothing)
      try {
        if (!wire.awaitTermination(10, TimeUnit.SECONDS)) {
          LOG.warn("in-memory link: a delivery did not finish within 10 s of closing");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    Side a = sideA;
    Side b = sideB;
    a.stop(b);
    b.stop(a);
  }

  /** Blocks until everything sent so far has been delivered to the other side. */
  public void flush() {
    CountDownLatch done = new CountDownLatch(1);
    try {
      wire.execute(done::countDown);
      if (!done.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("in-memory link did not deliver within 30 s");
      }
    } catch (RejectedExecutionException e) {
      // closed: nothing more will be delivered
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    disconnect();
    left.close();
    right.close();
  }

  /** One end: listens to its microcosm and delivers to the peer on the wire thread. */
  private final class Side {
    final ProviderContext ctx;
    final Object inbound = new Object();
    final Subscription docSub;
    final Awareness.Registration awarenessSub;
    volatile Side peer;

    Side(ProviderContext ctx) {
      this.ctx = ctx;
      this.docSub =
          ctx.doc()
              .onUpdate(
                  (update, origin, tr) -> {
                    if (origin != inbound) {
                      send(update, null);
                    }
                  });
      this.awarenessSub =
          ctx.awareness()
              .onUpdate(
                  (change, origin) -> {
                    if (origin != inbound) {
                      send(null, ctx.awareness().encodeUpdate(change.all()));
                    }
                  });
    }

    void sendState() {
      send(Updates.encodeStateAsUpdate(ctx.doc()), ctx.awareness().encodeAllStates());
    }

    void send(byte[] update, byte[] presence) {
      Side to = peer;
      if (to == null || closed.get()) {
        return;
      }
      try {
        wire.execute(() -> to.receive(update, presence));
      } catch (RejectedExecutionException e) {
        // link closed meanwhile
      }
    }

    void receive(byte[] update, byte[] presence) {
      if (closed.get()) {
        return;
      }
      Doc doc = ctx.doc();
      try {
        if (update != null) {
          Updates.applyUpdate(doc, update, inbound);
        }
        if (presence != null) {
          ctx.awareness().applyUpdate(presence, inbound);
        }
      } catch (RuntimeException e) {
        // a real transport would drop the connection; here the peer is our own code, so report it
        LOG.error("in-memory link could not deliver to microcosm {}", ctx.documentName(), e);
      }
    }

    void stop(Side other) {
      docSub.close();
      awarenessSub.close();
      ctx.connectionChanged(false);
      // like a transport closing: each side forgets the other's presence
      ctx.awareness().removeStates(List.of(other.ctx.awareness().clientId()), inbound);
    }
  }
}
