package nodenogg.crdt.encoding;

/** The JS value {@code undefined} (Any tag 127). Singleton; thread-safe. */
public final class Undefined {
  public static final Undefined INSTANCE = new Undefined();

  private Undefined() {}

  @Override
  public String toString() {
    return "undefined";
  }
}
