package nodenogg.crdt;

import java.util.Collections;
import java.util.List;
import nodenogg.crdt.encoding.DecodingException;

/** A nested shared type (ref 7). Type refs: 0 YArray, 1 YMap, 2 YText, 3 XmlElement, 4 XmlFragment, 5 XmlHook, 6 XmlText. */
final class ContentType implements Content {
    final AbstractType<?> type;

    ContentType(AbstractType<?> type) {
        this.type = type;
    }

    static ContentType read(UpdateDecoder d, int pos) {
        int ref = d.readTypeRef();
        switch (ref) {
            case 0:
                return new ContentType(new YArray());
            case 1:
                return new ContentType(new YMap());
            case 2:
                return new ContentType(new YText());
            case 3:
                return new ContentType(new YXmlElement(d.readKey()));
            case 4:
                return new ContentType(new YXmlFragment());
            case 5:
                return new ContentType(new YXmlHook(d.readKey()));
            case 6:
                return new ContentType(new YXmlText());
            default:
                throw new DecodingException(pos, "type ref 0..6", "Unknown type ref " + ref);
        }
    }

    @Override
    public int getLength() {
        return 1;
    }

    @Override
    public List<Object> getContent() {
        return Collections.singletonList(type);
    }

    @Override
    public boolean isCountable() {
        return true;
    }

    @Override
    public Content copy() {
        return new ContentType(type.copyEmpty());
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
        type.integrate(transaction.doc, item);
    }

    @Override
    public void delete(Transaction transaction) {
        Item item = type.start;
        while (item != null) {
            if (!item.isDeleted()) {
                item.delete(transaction);
            } else if (item.id.clock < transaction.beforeState.getOrDefault(item.id.client, 0L)) {
                transaction.mergeStructs.add(item);
            }
            item = item.right;
        }
        for (Item it : type.map.values()) {
            if (!it.isDeleted()) {
                it.delete(transaction);
            } else if (it.id.clock < transaction.beforeState.getOrDefault(it.id.client, 0L)) {
                transaction.mergeStructs.add(it);
            }
        }
        transaction.changed.remove(type);
    }

    @Override
    public void gc(StructStore store) {
        Item item = type.start;
        while (item != null) {
            item.gc(store, true);
            item = item.right;
        }
        type.start = null;
        for (Item it : type.map.values()) {
            Item i = it;
            while (i != null) {
                i.gc(store, true);
                i = i.left;
            }
        }
        type.map = new java.util.HashMap<>();
    }

    @Override
    public void write(UpdateEncoder encoder, int offset) {
        type.writeTypeRef(encoder);
    }

    @Override
    public int getRef() {
        return 7;
    }
}
