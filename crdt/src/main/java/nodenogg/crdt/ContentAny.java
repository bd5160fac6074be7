package nodenogg.crdt;

import java.util.ArrayList;
import java.util.List;
import nodenogg.crdt.encoding.DecodingException;

/** A run of lib0 Any values (ref 8). */
final class ContentAny implements Content {
  List<Object> arr;

  ContentAny(List<Object> arr) {
    this.arr = arr;
  }

  static ContentAny read(UpdateDecoder d) {
    int p = d.rest().pos();
    long len = d.readLen();
    if (len > d.rest().remaining() + 1L) {
      throw new DecodingException(
          p, "Any count within input", "Any content count too large: " + len);
    }
    List<Object> cs = new ArrayList<>((int) len);
    for (int i = 0; i < len; i++) {
      cs.add(d.readAny());
    }
    return new ContentAny(cs);
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
    return new ContentAny(arr);
  }

  @Override
  public Content splice(int offset) {
    ContentAny right = new ContentAny(new ArrayList<>(arr.subList(offset, arr.size())));
    arr = new ArrayList<>(arr.subList(0, offset));
    return right;
  }

  @Override
  public boolean mergeWith(Content right) {
    List<Object> n = new ArrayList<>(arr.size() + ((ContentAny) right).arr.size());
    n.addAll(arr);
    n.addAll(((ContentAny) right).arr);
    arr = n;
    return true;
  }

  @Override
  public void write(UpdateEncoder encoder, int offset) {
    int len = arr.size();
    encoder.writeLen(len - offset);
    for (int i = offset; i < len; i++) {
      encoder.writeAny(arr.get(i));
    }
  }

  @Override
  public int getRef() {
    return 8;
  }
}
