package nodenogg.earthstar;

/**
 * How long a sync runs: {@code ONCE} reconciles what both sides have, then ends; {@code CONTINUOUS}
 * also carries every later change until closed.
 */
public enum SyncMode {
  ONCE("once"),
  CONTINUOUS("continuous");

  private final String path;

  SyncMode(String path) {
    this.path = path;
  }

  /** The path segment ({@code once} / {@code continuous}). */
  public String path() {
    return path;
  }

  public static SyncMode fromPath(String segment) {
    for (SyncMode m : values()) {
      if (m.path.equals(segment)) {
        return m;
      }
    }
    return null;
  }
}
