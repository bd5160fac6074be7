package nodenogg.crdt;

import java.util.ArrayList;
import java.util.List;

/** A run of UTF-16 code units (ref 4). Lengths and offsets count UTF-16 code units. */
final class ContentString implements Content {
    /** The text; while merges append, the tail is collected in {@code tail} (Java strings are not ropes). */
    private String str;
    private StringBuilder tail;
    private int len;

    ContentString(String str) {
        this.str = str;
        this.len = str.length();
    }

    /** The content as one string (joins pending appended parts). */
    String str() {
        if (str == null) {
            str = tail.toString();
        }
        return str;
    }

    @Override
    public int getLength() {
        return len;
    }

    @Override
    public List<Object> getContent() {
        String t = str();
        List<Object> l = new ArrayList<>(t.length());
        for (int i = 0; i < t.length(); i++) {
            l.add(String.valueOf(t.charAt(i)));
        }
        return l;
    }

    @Override
    public boolean isCountable() {
        return true;
    }

    @Override
    public Content copy() {
        return new ContentString(str());
    }

    /** Splitting between the halves of a surrogate pair turns both halves into U+FFFD (yjs#248). */
    @Override
    public Content splice(int offset) {
        String all = str();
        tail = null;
        ContentString right = new ContentString(all.substring(offset));
        str = all.substring(0, offset);
        char first = offset > 0 ? str.charAt(offset - 1) : 0;
        if (first >= 0xD800 && first <= 0xDBFF) {
            str = str.substring(0, offset - 1) + '\uFFFD';
            right.str = '\uFFFD' + right.str.substring(1);
        }
        len = str.length();
        return right;
    }

    @Override
    public boolean mergeWith(Content right) {
        ContentString r = (ContentString) right;
        if (tail == null) {
            tail = new StringBuilder(Math.max(16, (len + r.len) * 2)).append(str);
        }
        tail.append(r.str());
        str = null;
        len += r.len;
        return true;
    }

    @Override
    public void write(UpdateEncoder encoder, int offset) {
        if (offset > 0 && tail != null) {
            encoder.writeString(tail.substring(offset));
        } else {
            String t = str();
            encoder.writeString(offset == 0 ? t : t.substring(offset));
        }
    }

    @Override
    public int getRef() {
        return 4;
    }
}
