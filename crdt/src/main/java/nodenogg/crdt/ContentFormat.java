package nodenogg.crdt;

import java.util.Collections;
import java.util.List;

/** A formatting attribute boundary in a text (ref 6); takes a clock unit but is not countable. */
final class ContentFormat implements Content {
  final String key;
  final Object value;

  ContentFormat(String key, Object value) {
    this.key = key;
    this.value = value;
  }

  @Override
  public int getLength() {
    return 1;
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
    return new ContentFormat(key, value);
  }

  @Override
  public Content splice(int offset) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void integrate(Transaction transaction, Item item) {
    AbstractType<?> p = item.parent;
    p.searchMarker = null;
    p.hasFormatting = true;
  }

  @Override
  public void write(UpdateEncoder encoder, int offset) {
    encoder.writeKey(key);
    encoder.writeJSON(value);
  }

  @Override
  public int getRef() {
    return 6;
  }
}
