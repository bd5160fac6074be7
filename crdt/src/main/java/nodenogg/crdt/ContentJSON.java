package nodenogg.crdt;

import java.util.ArrayList;
import java.util.List;
import nodenogg.crdt.encoding.DecodingException;
import nodenogg.crdt.encoding.Undefined;

/** Legacy JSON content (ref 2); current Yjs never creates it but documents may contain it. */
final class ContentJSON implements Content {
  List<Object> arr;

  ContentJSON(List<Object> arr) {
    this.arr = arr;
  }

  static ContentJSON read(UpdateDecoder d) {
    int p = d.rest().pos();
    long len = d.readLen();
    if (len > d.rest().remaining()) {
      throw new DecodingException(
          p, "JSON element count within input", "JSON content count too large: " + len);
    }
    List<Object> cs = new ArrayList<>((int) len);
    for (int i = 0; i < len; i++) {
      int sp = d.rest().pos();
      String c = d.readString();
      if ("undefined".equals(c)) {
        cs.add(Undefined.INSTANCE);
      } else {
        try {
          cs.add(Json.parse(c));
        } catch (IllegalArgumentException e) {
          throw new DecodingException(sp, "JSON text", "Invalid JSON content: " + e.getMessage());
        }
      }
    }
    return new ContentJSON(cs);
  }

  @Override
  public int getLength() {
    return arr.size();
  }

  @Override
  public List<Object> getContent() {
    return arr;
  }

  @Override
  public boolean isCountable() {
    return true;
  }

  @Override
  public Content copy() {
    return new ContentJSON(arr);
  }

  @Override
  public Content splice(int offset) {
    ContentJSON right = new ContentJSON(new ArrayList<>(arr.subList(offset, arr.size())));
    arr = new ArrayList<>(arr.subList(0, offset));
    return right;
  }

  @Override
  public boolean mergeWith(Content right) {
    List<Object> n = new ArrayList<>(arr);
    n.addAll(((ContentJSON) right).arr);
    arr = n;
    return true;
  }

  @Override
  public void write(UpdateEncoder encoder, int offset) {
    int len = arr.size();
    encoder.writeLen(len - offset);
    for (int i = offset; i < len; i++) {
      Object c = arr.get(i);
      encoder.writeString(c instanceof Undefined ? "undefined" : Json.stringify(c));
    }
  }

  @Override
  public int getRef() {
    return 2;
  }
}
