package nodenogg.crdt;

/** A gap in an update (content ref 10); never integrated. Not thread-safe. */
final class Skip extends AbstractStruct {
    static final int REF = 10;

    Skip(ID id, int length) {
        super(id, length);
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
        this.length += right.length;
        return true;
    }

    @Override
    void integrate(Transaction transaction, int offset) {
        throw new IllegalStateException("Skip structs are never integrated");
    }

    @Override
    void write(UpdateEncoder encoder, int offset) {
        encoder.writeInfo(REF);
        encoder.rest().writeVarUint(length - offset);
    }
}
