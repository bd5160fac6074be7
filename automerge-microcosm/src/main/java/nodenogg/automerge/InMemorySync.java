package nodenogg.automerge;

import java.util.Optional;
import org.automerge.SyncState;

/**
 * Brings two documents in one JVM to the same state with the Automerge sync protocol (the messages
 * automerge-repo carries), without a network: for tests, tools and peers that share a process.
 * Thread-safe (each document serializes its own access).
 */
public final class InMemorySync {
  private InMemorySync() {}

  /**
   * Exchanges sync messages between {@code a} and {@code b} until neither has anything to say.
   *
   * @return how many messages were exchanged
   */
  public static int sync(AutomergeDocument a, AutomergeDocument b) {
    SyncState sa = new SyncState();
    SyncState sb = new SyncState();
    int n = 0;
    try {
      for (int round = 0; round < 1000; round++) {
        boolean any = false;
        Optional<byte[]> m1 = a.generateSyncMessage(sa);
        if (m1.isPresent()) {
          b.receiveSyncMessage(sb, m1.get(), InMemorySync.class);
          any = true;
          n++;
        }
        Optional<byte[]> m2 = b.generateSyncMessage(sb);
        if (m2.isPresent()) {
          a.receiveSyncMessage(sa, m2.get(), InMemorySync.class);
          any = true;
          n++;
        }
        if (!any) {
          return n;
        }
      }
      throw new IllegalStateException(
          "the documents did not converge within 1000 rounds of sync messages");
    } finally {
      sa.free();
      sb.free();
    }
  }
}
