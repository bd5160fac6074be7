package nodenogg.persistence.sqlite;

/**
 * How far an acknowledged append is guaranteed to survive. Both modes use SQLite's WAL journal;
 * they differ in SQLite's {@code synchronous} setting.
 */
public enum Durability {
  /**
   * {@code synchronous=FULL} (the default): the WAL is fsynced on every commit, so an acknowledged
   * update survives a process kill, an OS crash and a power loss (as far as the storage honours
   * fsync).
   */
  FULL,
  /**
   * {@code synchronous=NORMAL}: an acknowledged update survives a process crash ({@code kill -9})
   * but the last commits may roll back after an OS crash or power loss. Faster on slow disks.
   */
  NORMAL
}
