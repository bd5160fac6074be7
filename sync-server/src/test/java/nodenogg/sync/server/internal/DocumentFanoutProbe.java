package nodenogg.sync.server.internal;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import nodenogg.crdt.encoding.Lib0Encoder;
import nodenogg.persistence.InMemoryUpdateStore;
import nodenogg.sync.protocol.DocSync;
import nodenogg.sync.protocol.Hocuspocus;
import nodenogg.sync.server.SyncServerHooks;

/**
 * Not a test (no assertions, not run by surefire): CPU time and bytes allocated per update on a
 * document's executor with 50 peers, each update from the next writer as in the fan-out benchmark
 * (apply, store in memory, acknowledge, merge, one shared encoding for all peers). Single-threaded,
 * so the allocation figure is exact; run it with the argument = updates per executor turn:
 *
 * <pre>
 * java -cp sync-server/target/test-classes:cli/target/microcosm.jar \
 *     nodenogg.sync.server.internal.DocumentFanoutProbe 1
 * </pre>
 */
public final class DocumentFanoutProbe {
  static final class Peer implements DocPeer {
    final String address = new String("fanout");
    long sent;

    @Override
    public void sendUpdate(Broadcast update) {
      sent += update.message(address, u -> Hocuspocus.syncUpdate(address, u)).hashCode() & 1;
    }

    @Override
    public void sendAwareness(byte[] a) {}

    @Override
    public String remoteAddress() {
      return "x";
    }

    @Override
    public void abort(String reason) {}
  }

  static byte[] textInsert(long client, long clock, String text) {
    Lib0Encoder w = new Lib0Encoder(64);
    w.writeVarUint(1).writeVarUint(1).writeVarUint(client).writeVarUint(clock);
    if (clock == 0) {
      w.writeUint8(4).writeVarUint(1).writeVarString("t");
    } else {
      w.writeUint8(0x80 | 4).writeVarUint(client).writeVarUint(clock - 1);
    }
    w.writeVarString(text);
    w.writeVarUint(0);
    return w.toByteArray();
  }

  public static void main(String[] a) throws Exception {
    int peersN = 50;
    int perTurn = Integer.parseInt(a.length > 0 ? a[0] : "1");
    SerialExecutor exec = new SerialExecutor(Runnable::run);
    ServerDocument doc =
        new ServerDocument(
            "fanout",
            DocSync.newDocument(),
            exec,
            new InMemoryUpdateStore(),
            SyncServerHooks.NONE,
            7,
            () -> {});
    List<Peer> peers = new ArrayList<>();
    for (int i = 0; i < peersN; i++) {
      Peer p = new Peer();
      peers.add(p);
      doc.join(p, false, () -> {});
    }
    long[] clock = new long[peersN];
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    int[] next = {0};
    Runnable turn =
        () -> {
          for (int k = 0; k < perTurn; k++) {
            int i = next[0]++ % peersN;
            String text = "r" + i + ":" + clock[i] + "|";
            byte[] u = textInsert(100 + i, clock[i], text);
            clock[i] += text.length();
            doc.applyUpdate(peers.get(i), u, ok -> {});
          }
        };
    for (int round = 0; round < 4; round++) {
      int n = 20000 / perTurn;
      long t0 = mx.getCurrentThreadCpuTime();
      long b0 = mx.getThreadAllocatedBytes(Thread.currentThread().getId());
      for (int j = 0; j < n; j++) {
        exec.execute(turn);
      }
      long t1 = mx.getCurrentThreadCpuTime();
      long b1 = mx.getThreadAllocatedBytes(Thread.currentThread().getId());
      int updates = n * perTurn;
      System.out.printf(
          "round %d: %d updates, %.2f us cpu/update, %d B allocated/update%n",
          round, updates, (t1 - t0) / 1000.0 / updates, (b1 - b0) / updates);
    }
  }
}
