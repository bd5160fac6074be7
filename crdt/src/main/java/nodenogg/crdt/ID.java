package nodenogg.crdt;

/**
 * Identifier of one clock unit: (client, clock). Client ids are unsigned 32-bit values held in a
 * long. Immutable, thread-safe.
 */
public final class ID {
  public final long client;
  public final long clock;

  public ID(long client, long clock) {
    this.client = client;
    this.clock = clock;
  }

  static boolean equal(ID a, ID b) {
    return a == b || (a != null && b != null && a.client == b.client && a.clock == b.clock);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ID && ((ID) o).client == client && ((ID) o).clock == clock;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(client) * 31 + Long.hashCode(clock);
  }

  @Override
  public String toString() {
    return "(" + client + "," + clock + ")";
  }
}
