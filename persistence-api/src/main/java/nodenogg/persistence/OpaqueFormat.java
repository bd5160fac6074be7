package nodenogg.persistence;

import java.util.List;

/** {@link UpdateFormat#opaque()}: any bytes, empty coverage, no merging. Stateless. */
final class OpaqueFormat implements UpdateFormat {
  static final OpaqueFormat INSTANCE = new OpaqueFormat();
  private static final byte[] EMPTY = {};

  private OpaqueFormat() {}

  @Override
  public String name() {
    return "opaque";
  }

  @Override
  public Coverage check(byte[] update) {
    java.util.Objects.requireNonNull(update, "update");
    return Nothing.INSTANCE;
  }

  @Override
  public Coverage emptyCoverage() {
    return Nothing.INSTANCE;
  }

  @Override
  public Coverage decodeCoverage(byte[] encoded) {
    return Nothing.INSTANCE;
  }

  @Override
  public boolean canMerge() {
    return false;
  }

  @Override
  public Merged merge(List<byte[]> log) {
    throw new UnsupportedOperationException("the opaque format cannot merge updates");
  }

  @Override
  public String toString() {
    return name();
  }

  /** The only coverage of this format: nothing is known about opaque bytes. */
  private static final class Nothing implements Coverage {
    static final Nothing INSTANCE = new Nothing();

    @Override
    public void add(Coverage other) {}

    @Override
    public byte[] encode() {
      return EMPTY;
    }

    @Override
    public byte[] version() {
      return EMPTY;
    }
  }
}
