package nodenogg.persistence.postgres;

import java.util.Optional;

/**
 * A lock that several store instances (server processes) share, so that only one of them compacts a
 * document at a time. The store always holds a PostgreSQL advisory lock while it compacts and
 * checks in the swap transaction that the log it merged is unchanged, so compaction is safe without
 * this; an extra lock lets a cluster coordinate with others that use the same key — the sync server
 * passes the Redis lock of {@code @hocuspocus/extension-redis} ({@code <prefix>:<document>:lock}),
 * so a Node Hocuspocus instance storing the document and a Java instance compacting it never
 * overlap.
 *
 * <p>Implementations must be thread-safe and must not block for long.
 */
@FunctionalInterface
public interface CompactionLock {

  /** A lock that is always free (the advisory lock alone coordinates). */
  CompactionLock NONE = document -> Optional.of(() -> {});

  /**
   * Tries to take the lock of {@code document} without waiting.
   *
   * @return the held lock, released by {@link Held#close()}; empty if another holder has it (the
   *     store then skips this compaction: the holder is doing it)
   * @throws RuntimeException if the lock service cannot be reached (the store skips this
   *     compaction)
   */
  Optional<Held> tryLock(String document);

  /** A held lock. */
  interface Held extends AutoCloseable {
    @Override
    void close();
  }
}
