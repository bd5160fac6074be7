package nodenogg.earthstar;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters of one peer's syncs (for {@code GET /status}); the sync updates the public counters.
 * Thread-safe.
 */
public final class SyncStats {
  public final AtomicLong connectionsOpen = new AtomicLong();
  public final AtomicLong connectionsTotal = new AtomicLong();
  public final AtomicLong syncsCompleted = new AtomicLong();
  public final AtomicLong docsReceived = new AtomicLong();
  public final AtomicLong docsStored = new AtomicLong();
  public final AtomicLong docsSent = new AtomicLong();
  public final AtomicLong attachmentsReceived = new AtomicLong();
  public final AtomicLong attachmentsSent = new AtomicLong();
  public final AtomicLong reconcileItems = new AtomicLong();
  public final AtomicLong transferBytesInFlight = new AtomicLong();

  /** Sync message bytes (UTF-8) and attachment bytes received and sent. */
  public final AtomicLong bytesIn = new AtomicLong();

  public final AtomicLong bytesOut = new AtomicLong();
  private final Map<String, AtomicLong> rejected = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> closed = new ConcurrentHashMap<>();

  public void rejected(Rejection r) {
    rejected.computeIfAbsent(r.code(), k -> new AtomicLong()).incrementAndGet();
  }

  public void closedFor(String code) {
    closed.computeIfAbsent(code, k -> new AtomicLong()).incrementAndGet();
  }

  /** Documents refused, by reason code. */
  public Map<String, Long> rejected() {
    Map<String, Long> out = new TreeMap<>();
    rejected.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  /** Connections closed for breaking the protocol or a limit, by code. */
  public Map<String, Long> connectionsClosed() {
    Map<String, Long> out = new TreeMap<>();
    closed.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  public long rejectedTotal() {
    return rejected.values().stream().mapToLong(AtomicLong::get).sum();
  }

  public long docsReceived() {
    return docsReceived.get();
  }

  public long docsStored() {
    return docsStored.get();
  }

  public long docsSent() {
    return docsSent.get();
  }

  public long syncsCompleted() {
    return syncsCompleted.get();
  }

  public long connectionsOpen() {
    return connectionsOpen.get();
  }

  /** Everything, as a JSON-ready map. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("connectionsOpen", connectionsOpen.get());
    m.put("connectionsTotal", connectionsTotal.get());
    m.put("syncsCompleted", syncsCompleted.get());
    m.put("docsReceived", docsReceived.get());
    m.put("docsStored", docsStored.get());
    m.put("docsSent", docsSent.get());
    m.put("attachmentsReceived", attachmentsReceived.get());
    m.put("attachmentsSent", attachmentsSent.get());
    m.put("reconcileItems", reconcileItems.get());
    m.put("transferBytesInFlight", transferBytesInFlight.get());
    m.put("bytesIn", bytesIn.get());
    m.put("bytesOut", bytesOut.get());
    m.put("docsRejected", rejected());
    m.put("connectionsClosed", connectionsClosed());
    return m;
  }
}
