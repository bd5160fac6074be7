package nodenogg.ymicrocosm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import nodenogg.microcosm.spi.UpdatePersistence;

/**
 * An {@link UpdatePersistence} that keeps update logs in memory: survives closing and reopening a
 * microcosm within one process. For tests and apps that need no disk. Thread-safe.
 */
public final class InMemoryPersistence implements UpdatePersistence {
  private final Map<String, List<byte[]>> logs = new ConcurrentHashMap<>();

  @Override
  public List<byte[]> load(String documentName) {
    List<byte[]> log = logs.get(documentName);
    if (log == null) {
      return List.of();
    }
    synchronized (log) {
      List<byte[]> copy = new ArrayList<>(log.size());
      for (byte[] u : log) {
        copy.add(u.clone());
      }
      return copy;
    }
  }

  @Override
  public void append(String documentName, byte[] update) {
    List<byte[]> log = logs.computeIfAbsent(documentName, k -> new ArrayList<>());
    synchronized (log) {
      log.add(update.clone());
    }
  }

  /** Number of updates stored for {@code documentName}. */
  public int size(String documentName) {
    List<byte[]> log = logs.get(documentName);
    if (log == null) {
      return 0;
    }
    synchronized (log) {
      return log.size();
    }
  }
}
