package nodenogg.crdt;

/**
 * Common base of {@link Item}, {@link GC} and {@link Skip} (yjs structs/AbstractStruct.js). Not
 * thread-safe.
 */
abstract class AbstractStruct {
  ID id;
  int length;

  AbstractStruct(ID id, int length) {
    this.id = id;
    this.length = length;
  }

  /** Length in clock units as a long (a merged Skip can cover more than 2^31 clocks). */
  long len() {
    return length;
  }

  abstract boolean isDeleted();

  /** Try to append {@code right} to this struct; returns true when merged. */
  abstract boolean mergeWith(AbstractStruct right);

  abstract void write(UpdateEncoder encoder, int offset);

  abstract void integrate(Transaction transaction, int offset);

  /** Returns the client whose struct is missing, or -1 when all dependencies are present. */
  long getMissing(Transaction transaction, StructStore store) {
    return -1;
  }
}
