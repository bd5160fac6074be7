package nodenogg.persistence.sqlite;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;
import nodenogg.persistence.sqlite.internal.StoreHooks;

/**
 * Child process of {@link CrashTest}: appends updates to a store as fast as it can and prints
 * {@code A <doc> <client> <clock> <len>} for each acknowledgement, after the ack future completed.
 * With a halt point, calls {@code Runtime.halt} (as abrupt as {@code kill -9}) the N-th time the
 * store passes that point.
 *
 * <p>Args: {@code dbFile run threads compact(true|false) [haltPoint haltAfter]}; with compact, logs
 * are compacted every 20 rows (engine merge) while the appends run.
 */
public final class CrashChild {

  public static void main(String[] args) throws Exception {
    Path db = Path.of(args[0]);
    int run = Integer.parseInt(args[1]);
    int threads = Integer.parseInt(args[2]);
    boolean compact = Boolean.parseBoolean(args[3]);
    StoreHooks hooks = StoreHooks.NONE;
    if (args.length > 4) {
      StoreHooks.Point point = StoreHooks.Point.valueOf(args[4]);
      int after = Integer.parseInt(args[5]);
      hooks =
          new StoreHooks() {
            private int hits;

            @Override
            public long checkpointEveryBytes() {
              return point == Point.CHECKPOINT ? 16 << 10 : StoreHooks.super.checkpointEveryBytes();
            }

            @Override
            public synchronized void at(Point p) {
              if (p == point && ++hits >= after) {
                Runtime.getRuntime().halt(137);
              }
            }
          };
    }
    PrintStream out =
        new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
    StoreOptions options =
        compact
            ? StoreOptions.defaults().withCompactionCount(20)
            : StoreOptions.defaults().withoutAutoCompaction();
    SqliteUpdateStore store = SqliteUpdateStore.open(db, options, hooks);
    out.println("READY");
    out.flush();
    for (int t = 0; t < threads; t++) {
      long client = run * 16L + t;
      String doc = "run" + run + "-doc" + (t % 2);
      Thread th = new Thread(() -> appendForever(store, doc, client, out));
      th.start();
    }
    Thread.sleep(Long.MAX_VALUE);
  }

  private static void appendForever(
      SqliteUpdateStore store, String doc, long client, PrintStream out) {
    Semaphore inFlight = new Semaphore(64);
    for (long clock = 0; ; ) {
      String text = CrashTest.payload(client, clock);
      byte[] u = TestUpdates.text(client, clock, text);
      inFlight.acquireUninterruptibly();
      long c = clock;
      store
          .append(doc, u)
          .whenComplete(
              (seq, err) -> {
                inFlight.release();
                if (err == null) {
                  out.println("A " + doc + " " + client + " " + c + " " + text.length());
                  out.flush();
                }
              });
      clock += text.length();
    }
  }

  private CrashChild() {}
}
