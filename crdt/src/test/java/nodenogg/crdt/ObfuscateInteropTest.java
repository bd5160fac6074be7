package nodenogg.crdt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nodenogg.crdt.encoding.Undefined;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * obfuscateUpdate / obfuscateUpdateV2 byte for byte, and decodeUpdate / decodeUpdateV2 / logUpdate
 * structurally, against real Yjs (js/obfuscate/cases.mjs) on seeded documents: rich text with
 * formatting and embeds, maps with every Any kind, arrays, nested types, XML elements / text /
 * hooks with attributes, sub-documents, legacy JSON content, deletions (GC and deleted content) and
 * merged subsets of update events (Skip structs). Seed base: -Dnodenogg.seed.
 */
class ObfuscateInteropTest {
  static final String SCRIPT = "obfuscate/cases.mjs";
  static final Map<String, ObfuscateOptions> OPTION_SETS = new LinkedHashMap<>();

  static {
    OPTION_SETS.put("default", null);
    OPTION_SETS.put("empty", ObfuscateOptions.DEFAULTS);
    OPTION_SETS.put("noFormatting", ObfuscateOptions.DEFAULTS.withFormatting(false));
    OPTION_SETS.put("noSubdocs", ObfuscateOptions.DEFAULTS.withSubdocs(false));
    OPTION_SETS.put("noYxml", ObfuscateOptions.DEFAULTS.withYxml(false));
    OPTION_SETS.put(
        "none", ObfuscateOptions.DEFAULTS.withFormatting(false).withSubdocs(false).withYxml(false));
  }

  static List<Object> cases;
  static long seedBase;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void generate() throws Exception {
    Assumptions.assumeTrue(
        NodeReplayTest.nodeAvailable() && new File(NodeReplayTest.jsDir(), SCRIPT).isFile(),
        "node, js/node_modules/yjs or js/"
            + SCRIPT
            + " missing: Yjs obfuscate/decode checks skipped");
    seedBase = Long.getLong("nodenogg.seed", 1L);
    List<Object> seeds = new ArrayList<>();
    for (long s = seedBase; s < seedBase + 10; s++) {
      seeds.add(s);
    }
    Map<String, Object> in = new LinkedHashMap<>();
    in.put("seeds", seeds);
    cases = (List<Object>) Json.parse(NodeReplayTest.runNode(SCRIPT, Json.stringify(in)));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> obj(Object o) {
    return (Map<String, Object>) o;
  }

  static String ctx(Map<String, Object> c) {
    return "seed=" + c.get("seed") + " case=" + c.get("name") + " (seed base " + seedBase + ")";
  }

  @Test
  void obfuscationIsByteIdenticalToYjs() {
    int compared = 0;
    for (Object o : cases) {
      Map<String, Object> c = obj(o);
      byte[] v1 = Hex.decode((String) c.get("v1"));
      byte[] v2 = Hex.decode((String) c.get("v2"));
      for (Map.Entry<String, ObfuscateOptions> e : OPTION_SETS.entrySet()) {
        Map<String, Object> expected = obj(obj(c.get("obf")).get(e.getKey()));
        String where = ctx(c) + " options=" + e.getKey();
        assertEquals(
            expected.get("v1"),
            Hex.encode(Updates.obfuscateUpdate(v1, e.getValue())),
            where + " v1");
        assertEquals(
            expected.get("v2"),
            Hex.encode(Updates.obfuscateUpdateV2(v2, e.getValue())),
            where + " v2");
        compared += 2;
      }
      assertEquals(
          Hex.encode(Updates.obfuscateUpdate(v1)),
          obj(obj(c.get("obf")).get("default")).get("v1"),
          ctx(c));
    }
    assertTrue(compared >= 300, "compared " + compared);
  }

  @Test
  void decodeMatchesYjsDecodeUpdate() {
    java.util.Set<String> kinds = new java.util.TreeSet<>();
    for (Object o : cases) {
      Map<String, Object> c = obj(o);
      DecodedUpdate d1 = Updates.decodeUpdate(Hex.decode((String) c.get("v1")));
      DecodedUpdate d2 = Updates.decodeUpdateV2(Hex.decode((String) c.get("v2")));
      assertEquals(Json.stringify(c.get("decoded")), Json.stringify(view(d1)), ctx(c) + " v1");
      assertEquals(Json.stringify(c.get("decodedV2")), Json.stringify(view(d2)), ctx(c) + " v2");
      for (DecodedUpdate.Struct s : d1.structs()) {
        kinds.add(s.kind() + (s.contentKind() == null ? "" : "/" + s.contentKind()));
      }
    }
    // the documents cover every struct and content kind
    assertEquals(
        "[GC, ITEM/ANY, ITEM/BINARY, ITEM/DELETED, ITEM/DOC, ITEM/EMBED, ITEM/FORMAT, ITEM/JSON, "
            + "ITEM/STRING, ITEM/TYPE, SKIP]",
        kinds.toString());
  }

  @Test
  void logListsEveryStructAndDeleteRange() {
    for (Object o : cases) {
      Map<String, Object> c = obj(o);
      checkLog(
          Updates.logUpdate(Hex.decode((String) c.get("v1"))),
          obj(c.get("decoded")),
          ctx(c) + " v1");
      checkLog(
          Updates.logUpdateV2(Hex.decode((String) c.get("v2"))),
          obj(c.get("decodedV2")),
          ctx(c) + " v2");
    }
  }

  @SuppressWarnings("unchecked")
  static void checkLog(String log, Map<String, Object> decoded, String ctx) {
    String[] lines = log.split("\n");
    List<Object> structs = (List<Object>) decoded.get("structs");
    List<Object> ds = (List<Object>) decoded.get("ds");
    assertEquals(structs.size() + ds.size() + 2, lines.length, ctx + "\n" + log);
    assertEquals("Structs (" + structs.size() + "):", lines[0], ctx);
    for (int i = 0; i < structs.size(); i++) {
      Map<String, Object> s = obj(structs.get(i));
      List<?> id = (List<?>) s.get("id");
      String line = lines[i + 1];
      String head =
          "  " + s.get("kind") + " (" + id.get(0) + "," + id.get(1) + ") len=" + s.get("length");
      assertTrue(line.startsWith(head), ctx + ": " + line + " should start with " + head);
      if (s.get("content") != null) {
        Map<String, Object> content = obj(s.get("content"));
        assertTrue(line.contains(" " + content.get("kind").toString().toUpperCase() + " "), line);
        if ("String".equals(content.get("kind")) && ((String) content.get("text")).length() < 40) {
          assertTrue(line.endsWith(Json.stringify(content.get("text"))), line);
        }
        assertTrue(
            line.contains(
                s.get("parentSub") == null ? "" : " key=" + Json.stringify(s.get("parentSub"))),
            line);
      }
    }
    assertTrue(lines[structs.size() + 1].startsWith("DeleteSet (" + ds.size() + " client"), ctx);
    for (int i = 0; i < ds.size(); i++) {
      List<?> entry = (List<?>) ds.get(i);
      StringBuilder want = new StringBuilder("  client " + entry.get(0) + ":");
      for (Object r : (List<?>) entry.get(1)) {
        long from = ((Number) ((List<?>) r).get(0)).longValue();
        want.append(" [")
            .append(from)
            .append(',')
            .append(from + ((Number) ((List<?>) r).get(1)).longValue())
            .append(')');
      }
      assertEquals(want.toString(), lines[structs.size() + 2 + i], ctx);
    }
  }

  // ---- the view in the tagged JSON form cases.mjs prints for Yjs's decodeUpdate

  static Map<String, Object> view(DecodedUpdate d) {
    List<Object> structs = new ArrayList<>();
    for (DecodedUpdate.Struct s : d.structs()) {
      structs.add(view(s));
    }
    Map<Long, List<Object>> ds = new LinkedHashMap<>();
    for (DecodedUpdate.DeleteRange r : d.deleteSet()) {
      ds.computeIfAbsent(r.client(), k -> new ArrayList<>())
          .add(Arrays.asList(r.clock(), r.length()));
    }
    List<Object> dsl = new ArrayList<>();
    ds.forEach((client, ranges) -> dsl.add(Arrays.asList(client, ranges)));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("structs", structs);
    m.put("ds", dsl);
    return m;
  }

  static Object id(ID id) {
    return id == null ? null : Arrays.asList(id.client, id.clock);
  }

  static Map<String, Object> view(DecodedUpdate.Struct s) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (s.kind() != DecodedUpdate.StructKind.ITEM) {
      m.put("kind", s.kind() == DecodedUpdate.StructKind.GC ? "GC" : "Skip");
      m.put("id", id(s.id()));
      m.put("length", s.length());
      return m;
    }
    m.put("kind", "Item");
    m.put("id", id(s.id()));
    m.put("length", s.length());
    m.put("origin", id(s.origin()));
    m.put("rightOrigin", id(s.rightOrigin()));
    Map<String, Object> parent = null;
    if (s.parentRoot() != null) {
      parent = new LinkedHashMap<>();
      parent.put("root", s.parentRoot());
    } else if (s.parentItem() != null) {
      parent = new LinkedHashMap<>();
      parent.put("item", id(s.parentItem()));
    }
    m.put("parent", parent);
    m.put("parentSub", s.parentSub());
    Map<String, Object> c = new LinkedHashMap<>();
    switch (s.contentKind()) {
      case DELETED:
        c.put("kind", "Deleted");
        c.put("len", s.length());
        break;
      case JSON:
        c.put("kind", "JSON");
        c.put("values", tag(s.values()));
        break;
      case BINARY:
        c.put("kind", "Binary");
        c.put("bytes", Hex.encode(s.binary()));
        break;
      case STRING:
        c.put("kind", "String");
        c.put("text", s.text());
        break;
      case EMBED:
        c.put("kind", "Embed");
        c.put("value", tag(s.embed()));
        break;
      case FORMAT:
        c.put("kind", "Format");
        c.put("key", s.formatKey());
        c.put("value", tag(s.formatValue()));
        break;
      case TYPE:
        c.put("kind", "Type");
        c.put("typeRef", s.typeRef());
        c.put("name", s.typeName());
        break;
      case ANY:
        c.put("kind", "Any");
        c.put("values", tag(s.values()));
        break;
      case DOC:
        c.put("kind", "Doc");
        c.put("guid", s.guid());
        c.put("opts", tag(s.subdocOptions()));
        break;
      default:
        throw new AssertionError(s.contentKind());
    }
    m.put("content", c);
    return m;
  }

  static Object tag(Object v) {
    if (v instanceof Undefined) {
      return Map.of("$undefined", true);
    }
    if (v instanceof BigInteger) {
      return Map.of("$bigint", v.toString());
    }
    if (v instanceof Number && !(v instanceof Integer || v instanceof Long)) {
      double d = ((Number) v).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        return Map.of("$number", Json.numberToString(d));
      }
      return v;
    }
    if (v instanceof byte[]) {
      return Map.of("$bytes", Hex.encode((byte[]) v));
    }
    if (v instanceof List) {
      List<Object> l = new ArrayList<>();
      for (Object o : (List<?>) v) {
        l.add(tag(o));
      }
      return l;
    }
    if (v instanceof Map) {
      Map<String, Object> m = new LinkedHashMap<>();
      ((Map<?, ?>) v).forEach((k, x) -> m.put((String) k, tag(x)));
      return m;
    }
    return v;
  }
}
