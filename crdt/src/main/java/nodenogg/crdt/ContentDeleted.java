package nodenogg.crdt;

import java.util.Collections;
import java.util.List;
import nodenogg.crdt.encoding.DecodingException;

/** Placeholder for deleted content of a known length (ref 1). */
final class ContentDeleted implements Content {
  int len;

  ContentDeleted(int len) {
    this.len = len;
  }

  static ContentDeleted read(UpdateDecoder d) {
    int p = d.rest().pos();
    long len = d.readLen();
    if (len > Integer.MAX_VALUE || len < 1) {
      throw new DecodingException(
          p, "deleted length 1..2^31-1", "Bad deleted-content length " + len);
    }
    return new ContentDeleted((int) len);
  }

  @Override
  public int getLength() {
    return len;
  }

  @Override
  public List<Object> getContent() {
    return Collections.emptyList();
  }

  @Override
  public boolean isCountable() {
    return false;
  }

  @Override
  public Content copy() {
    return new ContentDeleted(len);
  }

  @Override
  public Content splice(int offset) {
    ContentDeleted right = new ContentDeleted(len - offset);
    len = offset;
    return right;
  }

  @Override
  public boolean mergeWith(Content right) {
    len += ((ContentDeleted) right).len;
    return true;
  }

  @Override
  public void integrate(Transaction transaction, Item item) {
    transaction.deleteSet.add(item.id.client, item.id.clock, len);
    item.markDeleted();
  }

  @Override
  public void write(UpdateEncoder encoder, int offset) {
    encoder.writeLen(len - offset);
  }

  @Override
  public int getRef() {
    return 1;
  }
}
