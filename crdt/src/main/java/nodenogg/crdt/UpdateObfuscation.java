package nodenogg.crdt;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nodenogg.crdt.encoding.Undefined;

/**
 * yjs obfuscateUpdate(V2): every struct of the update is re-encoded in order (as
 * convertUpdateFormat does) after its content is replaced by placeholders derived from a running
 * item counter {@code i}: strings become the digit {@code i % 10} repeated, Any / JSON values
 * become {@code i}, binaries the byte {@code i}, embeds {@code {}}; map keys, formatting keys and
 * values, and XML names are replaced consistently (the first replacement of a name is reused for
 * every later occurrence). Clocks, origins, parents, GC, Skip and the delete set are kept, so the
 * result has the structure of the original. Each call uses fresh caches; stateless between calls,
 * thread-safe.
 */
final class UpdateObfuscation {
  private final ObfuscateOptions opts;
  private long i;
  private final Map<String, String> mapKeys = new HashMap<>();
  private final Map<String, String> nodeNames = new HashMap<>();
  private final Map<String, String> formatKeys = new HashMap<>();

  /** Keyed by {@link #sameValueZero}; the end of a formatting range (null) stays null. */
  private final Map<Object, Object> formatValues = new HashMap<>();

  private UpdateObfuscation(ObfuscateOptions opts) {
    this.opts = opts;
    formatValues.put(null, null);
  }

  static byte[] obfuscate(byte[] update, ObfuscateOptions opts, boolean v2) {
    if (opts == null) {
      opts = ObfuscateOptions.DEFAULTS;
    }
    UpdateDecoder dec = UpdateMerging.decoder(update, v2);
    List<AbstractStruct> structs = LazyStructs.readAll(dec);
    DeleteSet ds = DeleteSet.read(dec);
    UpdateObfuscation o = new UpdateObfuscation(opts);
    UpdateEncoder enc = UpdateMerging.encoder(v2);
    LazyStructs.Writer writer = new LazyStructs.Writer(enc);
    for (AbstractStruct s : structs) {
      if (s instanceof Item) {
        o.obfuscate((Item) s);
      }
      writer.write(s, 0);
    }
    writer.finish();
    ds.write(enc);
    return enc.toByteArray();
  }

  /** Replaces the freshly decoded item's content and map key in place. */
  private void obfuscate(Item item) {
    Content c = item.content;
    Long n = i;
    String ns = Long.toString(i);
    if (c instanceof ContentType) {
      AbstractType<?> type = ((ContentType) c).type;
      if (opts.yxml() && type instanceof YXmlElement) {
        item.content =
            new ContentType(
                new YXmlElement(
                    nodeNames.computeIfAbsent(((YXmlElement) type).nodeName(), k -> "node-" + ns)));
      } else if (opts.yxml() && type instanceof YXmlHook) {
        item.content =
            new ContentType(
                new YXmlHook(
                    nodeNames.computeIfAbsent(((YXmlHook) type).hookName(), k -> "hook-" + ns)));
      }
    } else if (c instanceof ContentAny) {
      item.content = new ContentAny(new ArrayList<>(Collections.nCopies(c.getLength(), n)));
    } else if (c instanceof ContentJSON) {
      item.content = new ContentJSON(new ArrayList<>(Collections.nCopies(c.getLength(), n)));
    } else if (c instanceof ContentBinary) {
      item.content = new ContentBinary(new byte[] {(byte) i});
    } else if (c instanceof ContentDoc) {
      if (opts.subdocs()) {
        item.content = new ContentDoc(ContentDoc.docFromOpts(ns, Collections.emptyMap()));
      }
    } else if (c instanceof ContentEmbed) {
      item.content = new ContentEmbed(new LinkedHashMap<String, Object>());
    } else if (c instanceof ContentFormat) {
      if (opts.formatting()) {
        ContentFormat f = (ContentFormat) c;
        String key = formatKeys.computeIfAbsent(f.key, k -> ns);
        Object vk = sameValueZero(f.value);
        Object value;
        if (formatValues.containsKey(vk)) {
          value = formatValues.get(vk);
        } else {
          Map<String, Object> placeholder = new LinkedHashMap<>();
          placeholder.put("i", n);
          value = placeholder;
          formatValues.put(vk, value);
        }
        item.content = new ContentFormat(key, value);
      }
    } else if (c instanceof ContentString) {
      item.content = new ContentString(String.valueOf(i % 10).repeat(c.getLength()));
    }
    // ContentDeleted keeps its length; the reader knows no other content kinds
    if (item.parentSub != null && !item.parentSub.isEmpty()) {
      item.parentSub = mapKeys.computeIfAbsent(item.parentSub, k -> ns);
    }
    i++;
  }

  /**
   * A map key that is equal exactly when JS's Map (SameValueZero) would find the value: numbers by
   * value (0 and -0 alike, NaN equal to NaN), bigints by value, strings, booleans, null and
   * undefined by value; objects, arrays and byte arrays only by identity.
   */
  static Object sameValueZero(Object v) {
    if (v == null
        || v instanceof String
        || v instanceof Boolean
        || v instanceof BigInteger
        || v instanceof Undefined) {
      return v;
    }
    if (v instanceof Number) {
      double d = ((Number) v).doubleValue();
      return d == 0 ? 0.0 : d;
    }
    return new IdentityKey(v);
  }

  private static final class IdentityKey {
    private final Object ref;

    IdentityKey(Object ref) {
      this.ref = ref;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof IdentityKey && ((IdentityKey) o).ref == ref;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(ref);
    }
  }
}
