package nodenogg.crdt;

/** A garbage-collected range of clock units (content ref 0). Not thread-safe. */
final class GC extends AbstractStruct {
  static final int REF = 0;

  GC(ID id, int length) {
    super(id, length);
  }

  @Override
  boolean isDeleted() {
    return true;
  }

  void delete() {}

  @Override
  boolean mergeWith(AbstractStruct right) {
    if (right.getClass() != GC.class) {
      return false;
    }
    this.length += right.length;
    return true;
  }

  @Override
  void integrate(Transaction transaction, int offset) {
    if (offset > 0) {
      this.id = new ID(id.client, id.clock + offset);
      this.length -= offset;
    }
    transaction.doc.store.addStruct(this);
  }

  @Override
  void write(UpdateEncoder encoder, int offset) {
    encoder.writeInfo(REF);
    encoder.writeLen(length - offset);
  }
}
