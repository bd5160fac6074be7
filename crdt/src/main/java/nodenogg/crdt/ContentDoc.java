package nodenogg.crdt;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nodenogg.crdt.encoding.DecodingException;

/**
 * A sub-document (ref 9, yjs structs/ContentDoc.js): the sub-document's guid plus options ({@code
 * gc:false}, {@code autoLoad}, {@code meta} when set). Integrating it registers the sub-document
 * with the transaction (added, and loaded when it should load); deleting it marks it removed.
 */
final class ContentDoc implements Content {
  Doc doc;
  final Map<String, Object> opts;

  ContentDoc(Doc doc) {
    this.doc = doc;
    Map<String, Object> o = new LinkedHashMap<>();
    if (!doc.gc) {
      o.put("gc", false);
    }
    if (doc.autoLoad) {
      o.put("autoLoad", true);
    }
    if (doc.meta != null) {
      o.put("meta", doc.meta);
    }
    this.opts = o;
  }

  /** yjs createDocFromOpts: shouldLoad = opts.shouldLoad || opts.autoLoad. */
  static Doc docFromOpts(String guid, Map<String, Object> opts) {
    boolean autoLoad = Boolean.TRUE.equals(opts.get("autoLoad"));
    return docFromOpts(guid, opts, Boolean.TRUE.equals(opts.get("shouldLoad")) || autoLoad);
  }

  static Doc docFromOpts(String guid, Map<String, Object> opts, boolean shouldLoad) {
    Doc.Options o = new Doc.Options().guid(guid);
    if (Boolean.FALSE.equals(opts.get("gc"))) {
      o.gc(false);
    }
    o.autoLoad(Boolean.TRUE.equals(opts.get("autoLoad")));
    o.shouldLoad(shouldLoad);
    if (opts.containsKey("meta")) {
      o.meta(opts.get("meta"));
    }
    return new Doc(o);
  }

  @SuppressWarnings("unchecked")
  static ContentDoc read(UpdateDecoder d) {
    String guid = d.readString();
    int p = d.rest().pos();
    Object o = d.readAny();
    if (!(o instanceof Map)) {
      throw new DecodingException(
          p, "sub-document options object", "Sub-document options are not an object");
    }
    return new ContentDoc(docFromOpts(guid, (Map<String, Object>) o));
  }

  @Override
  public int getLength() {
    return 1;
  }

  @Override
  public List<Object> getContent() {
    return Collections.singletonList(doc);
  }

  @Override
  public boolean isCountable() {
    return true;
  }

  @Override
  public Content copy() {
    return new ContentDoc(docFromOpts(doc.guid(), opts));
  }

  @Override
  public Content splice(int offset) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void integrate(Transaction transaction, Item item) {
    doc.item = item;
    transaction.subdocsAdded.add(doc);
    if (doc.shouldLoad) {
      transaction.subdocsLoaded.add(doc);
    }
  }

  @Override
  public void delete(Transaction transaction) {
    if (transaction.subdocsAdded.contains(doc)) {
      transaction.subdocsAdded.remove(doc);
    } else {
      transaction.subdocsRemoved.add(doc);
    }
  }

  @Override
  public void write(UpdateEncoder encoder, int offset) {
    encoder.writeString(doc.guid());
    encoder.writeAny(opts);
  }

  @Override
  public int getRef() {
    return 9;
  }
}
