package nodenogg.crdt;

import java.util.Collections;
import java.util.List;

/** A Uint8Array (ref 3). */
final class ContentBinary implements Content {
  final byte[] content;

  ContentBinary(byte[] content) {
    this.content = content;
  }

  @Override
  public int getLength() {
    return 1;
  }

  @Override
  public List<Object> getContent() {
    return Collections.singletonList(content);
  }

  @Override
  public boolean isCountable() {
    return true;
  }

  @Override
  public Content copy() {
    return new ContentBinary(content);
  }

  @Override
  public Content splice(int offset) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void write(UpdateEncoder encoder, int offset) {
    encoder.writeBuf(content);
  }

  @Override
  public int getRef() {
    return 3;
  }
}
