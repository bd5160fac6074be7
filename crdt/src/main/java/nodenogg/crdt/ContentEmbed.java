package nodenogg.crdt;

import java.util.Collections;
import java.util.List;

/** A rich-text embed (ref 5); written as JSON text in v1. */
final class ContentEmbed implements Content {
  final Object embed;

  ContentEmbed(Object embed) {
    this.embed = embed;
  }

  @Override
  public int getLength() {
    return 1;
  }

  @Override
  public List<Object> getContent() {
    return Collections.singletonList(embed);
  }

  @Override
  public boolean isCountable() {
    return true;
  }

  @Override
  public Content copy() {
    return new ContentEmbed(embed);
  }

  @Override
  public Content splice(int offset) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void write(UpdateEncoder encoder, int offset) {
    encoder.writeJSON(embed);
  }

  @Override
  public int getRef() {
    return 5;
  }
}
