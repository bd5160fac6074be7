package nodenogg.crdt;

/** A gap in an update (content ref 10); never integrated. Not thread-safe. */
final class Skip extends AbstractStruct {
  static final int REF = 10;

  /** The real length; {@code length} holds it clamped to int for generic code. */
  long bigLength;

  Skip(ID id, long length) {
    super(id, (int) Math.min(length, Integer.MAX_VALUE));
    this.bigLength = length;
  }

  @Override
  long len() {
    return bigLength;
  }

  void setLen(long l) {
    bigLength = l;
    length = (int) Math.min(l, Integer.MAX_VALUE);
  }

  @Override
  boolean isDeleted() {
    return true;
  }

  @Override
  boolean mergeWith(AbstractStruct right) {
    if (right.getClass() != Skip.class) {
      return false;
    }
    setLen(bigLength + right.len());
    return true;
  }

  @Override
  void integrate(Transaction transaction, int offset) {
    throw new IllegalStateException("Skip structs are never integrated");
  }

  @Override
  void write(UpdateEncoder encoder, int offset) {
    encoder.writeInfo(REF);
    encoder.rest().writeVarUint(bigLength - offset);
  }
}
