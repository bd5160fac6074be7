package nodenogg.crdt;

import java.util.List;

/**
 * Item content protocol (yjs AbstractContent). Refs: 1 Deleted, 2 JSON, 3 Binary, 4 String, 5
 * Embed, 6 Format, 7 Type, 8 Any, 9 Doc. Not thread-safe.
 */
interface Content {
  int getLength();

  List<Object> getContent();

  boolean isCountable();

  Content copy();

  /** Split at {@code offset}: this keeps [0, offset), the returned content holds the rest. */
  Content splice(int offset);

  /**
   * Appends {@code right} to this content when both can form one item; by default contents never
   * merge.
   */
  default boolean mergeWith(Content right) {
    return false;
  }

  /** Hook run when the owning item is integrated; most contents need nothing. */
  default void integrate(Transaction transaction, Item item) {}

  /** Hook run when the owning item is deleted; most contents need nothing. */
  default void delete(Transaction transaction) {}

  /** Hook run when the owning item is garbage-collected; most contents need nothing. */
  default void gc(StructStore store) {}

  void write(UpdateEncoder encoder, int offset);

  int getRef();

  static Content read(UpdateDecoder decoder, int info, int pos) {
    switch (info & 0x1F) {
      case 1:
        return ContentDeleted.read(decoder);
      case 2:
        return ContentJSON.read(decoder);
      case 3:
        return new ContentBinary(decoder.readBuf());
      case 4:
        return new ContentString(decoder.readString());
      case 5:
        return new ContentEmbed(decoder.readJSON());
      case 6:
        {
          String key = decoder.readKey();
          return new ContentFormat(key, decoder.readJSON());
        }
      case 7:
        return ContentType.read(decoder, pos);
      case 8:
        return ContentAny.read(decoder);
      case 9:
        return ContentDoc.read(decoder);
      default:
        throw new nodenogg.crdt.encoding.DecodingException(
            pos, "content ref 1..9", "Unknown content ref " + (info & 0x1F));
    }
  }
}
