package nodenogg.crdt;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an update holds, without a Doc (yjs decodeUpdate / decodeUpdateV2 {@code {structs, ds}}):
 * every struct in wire order (client blocks as they come, GC and Skip included) and the delete set
 * ranges. Built by {@link Updates#decodeUpdate(byte[])} / {@link Updates#decodeUpdateV2(byte[])};
 * {@link #toString()} is the text of {@link Updates#logUpdate(byte[])}.
 *
 * <p>Immutable and thread-safe: values are deep copies in unmodifiable lists and maps; byte arrays
 * are copied on the way in and out ({@link Struct#binary()}), but byte arrays nested inside Any
 * values are shared with the view, so do not modify them.
 */
public final class DecodedUpdate {
  /** Struct kinds of the wire format. */
  public enum StructKind {
    ITEM,
    GC,
    SKIP
  }

  /** Item content kinds with their wire content refs (1..9). */
  public enum ContentKind {
    DELETED(1),
    JSON(2),
    BINARY(3),
    STRING(4),
    EMBED(5),
    FORMAT(6),
    TYPE(7),
    ANY(8),
    DOC(9);

    private final int ref;

    ContentKind(int ref) {
      this.ref = ref;
    }

    /** The content ref in the struct's info byte. */
    public int ref() {
      return ref;
    }

    static ContentKind ofRef(int ref) {
      return values()[ref - 1];
    }
  }

  private final List<Struct> structs;
  private final List<DeleteRange> deleteSet;

  DecodedUpdate(List<Struct> structs, List<DeleteRange> deleteSet) {
    this.structs = Collections.unmodifiableList(new ArrayList<>(structs));
    this.deleteSet = Collections.unmodifiableList(new ArrayList<>(deleteSet));
  }

  /**
   * Reads structs then delete set of a v1 or v2 update; throws DecodingException on malformed
   * input.
   */
  static DecodedUpdate read(byte[] update, boolean v2) {
    UpdateDecoder dec = UpdateMerging.decoder(update, v2);
    List<Struct> structs = new ArrayList<>();
    for (AbstractStruct s : LazyStructs.readAll(dec)) {
      structs.add(new Struct(s));
    }
    List<DeleteRange> ranges = new ArrayList<>();
    DeleteSet ds = DeleteSet.read(dec);
    ds.clients.forEach(
        (client, items) -> {
          for (DeleteSet.DeleteItem d : items) {
            ranges.add(new DeleteRange(client, d.clock, d.len));
          }
        });
    return new DecodedUpdate(structs, ranges);
  }

  /** Every struct in wire order. */
  public List<Struct> structs() {
    return structs;
  }

  /**
   * Delete set ranges, grouped by client in order of first appearance, each client's ranges in wire
   * order.
   */
  public List<DeleteRange> deleteSet() {
    return deleteSet;
  }

  /**
   * A multi-line listing: one line per struct, then one line per delete-set client with its clock
   * ranges [from,to).
   */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    sb.append("Structs (").append(structs.size()).append("):\n");
    for (Struct s : structs) {
      sb.append("  ").append(s).append('\n');
    }
    Map<Long, List<DeleteRange>> byClient = new LinkedHashMap<>();
    for (DeleteRange r : deleteSet) {
      byClient.computeIfAbsent(r.client(), k -> new ArrayList<>()).add(r);
    }
    sb.append("DeleteSet (")
        .append(byClient.size())
        .append(byClient.size() == 1 ? " client, " : " clients, ")
        .append(deleteSet.size())
        .append(deleteSet.size() == 1 ? " range):\n" : " ranges):\n");
    byClient.forEach(
        (client, rs) -> {
          sb.append("  client ").append(client).append(':');
          for (DeleteRange r : rs) {
            sb.append(" [")
                .append(r.clock())
                .append(',')
                .append(r.clock() + r.length())
                .append(')');
          }
          sb.append('\n');
        });
    return sb.toString();
  }

  /**
   * One deleted range: {@code length} clocks of {@code client} from {@code clock} on. Immutable.
   */
  public static final class DeleteRange {
    private final long client;
    private final long clock;
    private final long length;

    public DeleteRange(long client, long clock, long length) {
      this.client = client;
      this.clock = clock;
      this.length = length;
    }

    public long client() {
      return client;
    }

    public long clock() {
      return clock;
    }

    public long length() {
      return length;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof DeleteRange
          && ((DeleteRange) o).client == client
          && ((DeleteRange) o).clock == clock
          && ((DeleteRange) o).length == length;
    }

    @Override
    public int hashCode() {
      return Long.hashCode(client) * 961 + Long.hashCode(clock) * 31 + Long.hashCode(length);
    }

    @Override
    public String toString() {
      return "DeleteRange{client=" + client + ", clock=" + clock + ", length=" + length + "}";
    }
  }

  /**
   * One struct: an Item with its content, a GC range or a Skip (a gap in a merged update). As on
   * the wire, an item that has an origin or right origin carries no parent information (its parent
   * is that of its neighbours), so {@link #parentRoot()} and {@link #parentItem()} are both null
   * then. Content getters return null (or -1) for other content kinds. Immutable.
   */
  public static final class Struct {
    private final StructKind kind;
    private final ID id;
    private final long length;
    private final ID origin;
    private final ID rightOrigin;
    private final String parentRoot;
    private final ID parentItem;
    private final String parentSub;
    private final ContentKind contentKind;

    /** String text, Any/JSON list, byte[] binary, embed, format value, type name or subdoc guid. */
    private final Object value;

    /** Format key or subdoc options. */
    private final Object extra;

    private final int typeRef;

    Struct(AbstractStruct s) {
      id = s.id;
      length = s.len();
      if (!(s instanceof Item)) {
        kind = s instanceof Skip ? StructKind.SKIP : StructKind.GC;
        origin = rightOrigin = parentItem = null;
        parentRoot = parentSub = null;
        contentKind = null;
        value = extra = null;
        typeRef = -1;
        return;
      }
      Item item = (Item) s;
      kind = StructKind.ITEM;
      origin = item.origin;
      rightOrigin = item.rightOrigin;
      parentRoot = item.parentYKey;
      parentItem = item.parentId;
      parentSub = item.parentSub;
      Content c = item.content;
      contentKind = ContentKind.ofRef(c.getRef());
      Object v = null;
      Object x = null;
      int ref = -1;
      if (c instanceof ContentString) {
        v = ((ContentString) c).str();
      } else if (c instanceof ContentAny) {
        v = UpdateValues.freeze(((ContentAny) c).arr);
      } else if (c instanceof ContentJSON) {
        v = UpdateValues.freeze(((ContentJSON) c).arr);
      } else if (c instanceof ContentBinary) {
        v = ((ContentBinary) c).content.clone();
      } else if (c instanceof ContentEmbed) {
        v = UpdateValues.freeze(((ContentEmbed) c).embed);
      } else if (c instanceof ContentFormat) {
        x = ((ContentFormat) c).key;
        v = UpdateValues.freeze(((ContentFormat) c).value);
      } else if (c instanceof ContentType) {
        AbstractType<?> t = ((ContentType) c).type;
        ref = UpdateValues.typeRef(t);
        v =
            t instanceof YXmlElement
                ? ((YXmlElement) t).nodeName()
                : t instanceof YXmlHook ? ((YXmlHook) t).hookName() : null;
      } else if (c instanceof ContentDoc) {
        v = ((ContentDoc) c).doc.guid();
        x = UpdateValues.freeze(((ContentDoc) c).opts);
      }
      value = v;
      extra = x;
      typeRef = ref;
    }

    public StructKind kind() {
      return kind;
    }

    public ID id() {
      return id;
    }

    /** Length in clock units. */
    public long length() {
      return length;
    }

    /** Left origin of an item, or null. */
    public ID origin() {
      return origin;
    }

    /** Right origin of an item, or null. */
    public ID rightOrigin() {
      return rightOrigin;
    }

    /** Name of the root type that is this item's parent, when written on the wire. */
    public String parentRoot() {
      return parentRoot;
    }

    /** Id of the item (a nested type) that is this item's parent, when written on the wire. */
    public ID parentItem() {
      return parentItem;
    }

    /** Map key of an item in a map (or attribute name), when written on the wire; else null. */
    public String parentSub() {
      return parentSub;
    }

    /** Content kind of an item; null for GC and Skip. */
    public ContentKind contentKind() {
      return contentKind;
    }

    /** STRING: the text (UTF-16, possibly with lone surrogates). */
    public String text() {
      return contentKind == ContentKind.STRING ? (String) value : null;
    }

    /**
     * ANY and JSON: the values (engine value model: null, Undefined, Boolean, Number, BigInteger,
     * String, byte[], List, Map).
     */
    @SuppressWarnings("unchecked")
    public List<Object> values() {
      return contentKind == ContentKind.ANY || contentKind == ContentKind.JSON
          ? (List<Object>) value
          : null;
    }

    /** BINARY: a copy of the bytes. */
    public byte[] binary() {
      return contentKind == ContentKind.BINARY ? ((byte[]) value).clone() : null;
    }

    /** EMBED: the embedded value. */
    public Object embed() {
      return contentKind == ContentKind.EMBED ? value : null;
    }

    /** FORMAT: the attribute key. */
    public String formatKey() {
      return contentKind == ContentKind.FORMAT ? (String) extra : null;
    }

    /** FORMAT: the attribute value (null ends a formatting range). */
    public Object formatValue() {
      return contentKind == ContentKind.FORMAT ? value : null;
    }

    /**
     * TYPE: 0 YArray, 1 YMap, 2 YText, 3 YXmlElement, 4 YXmlFragment, 5 YXmlHook, 6 YXmlText; else
     * -1.
     */
    public int typeRef() {
      return typeRef;
    }

    /** TYPE: the node name of an XML element or the hook name of an XML hook; else null. */
    public String typeName() {
      return contentKind == ContentKind.TYPE ? (String) value : null;
    }

    /** DOC: the sub-document's guid. */
    public String guid() {
      return contentKind == ContentKind.DOC ? (String) value : null;
    }

    /** DOC: the sub-document's options as written (gc, autoLoad, meta when set). */
    @SuppressWarnings("unchecked")
    public Map<String, Object> subdocOptions() {
      return contentKind == ContentKind.DOC ? (Map<String, Object>) extra : null;
    }

    /** One line: kind, id, length, origins, parent, map key and a content summary. */
    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder();
      sb.append(kind == StructKind.ITEM ? "Item" : kind == StructKind.GC ? "GC" : "Skip")
          .append(' ')
          .append(id)
          .append(" len=")
          .append(length);
      if (kind != StructKind.ITEM) {
        return sb.toString();
      }
      sb.append(" origin=")
          .append(origin == null ? "-" : origin.toString())
          .append(" rightOrigin=")
          .append(rightOrigin == null ? "-" : rightOrigin.toString());
      if (parentRoot != null) {
        sb.append(" parent=root:").append(UpdateValues.render(parentRoot));
      } else if (parentItem != null) {
        sb.append(" parent=item:").append(parentItem);
      } else {
        sb.append(" parent=(from origin)");
      }
      if (parentSub != null) {
        sb.append(" key=").append(UpdateValues.render(parentSub));
      }
      sb.append(' ').append(contentKind).append(' ');
      UpdateValues.summarize(sb, this);
      return sb.toString();
    }
  }
}
