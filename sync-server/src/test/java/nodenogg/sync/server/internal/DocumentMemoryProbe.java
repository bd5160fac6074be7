package nodenogg.sync.server.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import nodenogg.crdt.Doc;
import nodenogg.crdt.Updates;
import nodenogg.persistence.InMemoryUpdateStore;
import nodenogg.persistence.UpdateStore;
import nodenogg.sync.protocol.DocSync;
import nodenogg.sync.protocol.Hocuspocus;
import nodenogg.sync.server.SyncServerHooks;

/**
 * Not a test (no assertions, not run by surefire): loads {@code n} documents through the Hocuspocus
 * handler, one session each with a small insert, and then waits so a heap histogram can be taken;
 * what the document layer keeps per (document + peer), without any WebSocket transport. Run {@code
 * N} = 0 and 1000 and subtract:
 *
 * <pre>
 * java -cp sync-server/target/test-classes:cli/target/microcosm.jar \
 *     nodenogg.sync.server.internal.DocumentMemoryProbe 1000 20000 &amp;
 * jcmd PID GC.run; jcmd PID GC.class_histogram
 * </pre>
 */
public final class DocumentMemoryProbe {
  public static void main(String[] a) throws Exception {
    int n = Integer.parseInt(a[0]);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    UpdateStore store = new InMemoryUpdateStore();
    DocumentRegistry registry =
        new DocumentRegistry(pool, store, SyncServerHooks.NONE, DocSync::newDocument);
    ServerContext ctx =
        new ServerContext(
            registry, SyncServerHooks.NONE, pool, 1 << 20, 1000, 100, 60_000, 600_000, false);
    HocuspocusHandler hp = new HocuspocusHandler(ctx);
    List<FakeConnection> conns = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String room = "room-" + i;
      FakeConnection c = new FakeConnection(hp, "/sync", "");
      conns.add(c);
      c.receive(Hocuspocus.authToken(room, "t", "4.8.0"));
      c.receive(Hocuspocus.syncStep1(room, new byte[] {0}));
      Doc d = new Doc(new Doc.Options().clientId(1000 + i));
      d.getText("t").insert(0, "hello from " + (1000 + i) + "|");
      c.receive(Hocuspocus.syncUpdate(room, Updates.encodeStateAsUpdate(d)));
    }
    Thread.sleep(2000);
    for (FakeConnection c : conns) {
      c.sent.clear();
    }
    System.out.println("READY " + registry.loaded().size());
    Thread.sleep(Long.parseLong(a[1]));
    System.out.println(conns.size());
  }
}
