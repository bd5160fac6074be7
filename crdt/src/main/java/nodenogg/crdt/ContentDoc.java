package nodenogg.crdt;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nodenogg.crdt.encoding.DecodingException;

/** A sub-document reference (ref 9): guid plus options ({gc:false}, autoLoad, meta). */
final class ContentDoc implements Content {
    final String guid;
    final Map<String, Object> opts;

    ContentDoc(String guid, Map<String, Object> opts) {
        this.guid = guid;
        this.opts = opts;
    }

    @SuppressWarnings("unchecked")
    static ContentDoc read(UpdateDecoder d) {
        String guid = d.readString();
        int p = d.rest().pos();
        Object o = d.readAny();
        if (!(o instanceof Map)) {
            throw new DecodingException(p, "sub-document options object", "Sub-document options are not an object");
        }
        return new ContentDoc(guid, (Map<String, Object>) o);
    }

    @Override
    public int getLength() {
        return 1;
    }

    @Override
    public List<Object> getContent() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("guid", guid);
        return Collections.singletonList(m);
    }

    @Override
    public boolean isCountable() {
        return true;
    }

    @Override
    public Content copy() {
        return new ContentDoc(guid, opts);
    }

    @Override
    public Content splice(int offset) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean mergeWith(Content right) {
        return false;
    }

    @Override
    public void integrate(Transaction transaction, Item item) {
    }

    @Override
    public void delete(Transaction transaction) {
    }

    @Override
    public void gc(StructStore store) {
    }

    @Override
    public void write(UpdateEncoder encoder, int offset) {
        encoder.writeString(guid);
        encoder.writeAny(opts);
    }

    @Override
    public int getRef() {
        return 9;
    }
}
