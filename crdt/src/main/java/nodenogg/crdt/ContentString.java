package nodenogg.crdt;

import java.util.ArrayList;
import java.util.List;

/** A run of UTF-16 code units (ref 4). Lengths and offsets count UTF-16 code units. */
final class ContentString implements Content {
    String str;

    ContentString(String str) {
        this.str = str;
    }

    @Override
    public int getLength() {
        return str.length();
    }

    @Override
    public List<Object> getContent() {
        List<Object> l = new ArrayList<>(str.length());
        for (int i = 0; i < str.length(); i++) {
            l.add(String.valueOf(str.charAt(i)));
        }
        return l;
    }

    @Override
    public boolean isCountable() {
        return true;
    }

    @Override
    public Content copy() {
        return new ContentString(str);
    }

    /** Splitting between the halves of a surrogate pair turns both halves into U+FFFD (yjs#248). */
    @Override
    public Content splice(int offset) {
        ContentString right = new ContentString(str.substring(offset));
        str = str.substring(0, offset);
        char first = offset > 0 ? str.charAt(offset - 1) : 0;
        if (first >= 0xD800 && first <= 0xDBFF) {
            str = str.substring(0, offset - 1) + '\uFFFD';
            right.str = '\uFFFD' + right.str.substring(1);
        }
        return right;
    }

    @Override
    public boolean mergeWith(Content right) {
        str = str + ((ContentString) right).str;
        return true;
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
        encoder.writeString(offset == 0 ? str : str.substring(offset));
    }

    @Override
    public int getRef() {
        return 4;
    }
}
