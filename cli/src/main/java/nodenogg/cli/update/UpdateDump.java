package nodenogg.cli.update;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nodenogg.crdt.Json;
import nodenogg.crdt.encoding.DecodingException;
import nodenogg.crdt.encoding.Lib0Decoder;

/**
 * Lists the structs and the delete set of a V1 update as JSON, like Yjs {@code decodeUpdate}: per
 * struct its type (Item, GC, Skip), id, length, origins, parent (root name or [client, clock]),
 * parentSub and content class and value. A read-only view for people; it checks the format but not
 * causality. Stateless.
 */
final class UpdateDump {
  private static final String[] CONTENT = {
    null,
    "ContentDeleted",
    "ContentJSON",
    "ContentBinary",
    "ContentString",
    "ContentEmbed",
    "ContentFormat",
    "ContentType",
    "ContentAny",
    "ContentDoc"
  };

  private UpdateDump() {}

  static Map<String, Object> decode(byte[] update) {
    Lib0Decoder d = new Lib0Decoder(update);
    List<Object> structs = new ArrayList<>();
    long clients = d.readVarUint();
    for (long c = 0; c < clients; c++) {
      long n = d.readVarUint();
      long client = d.readVarUint();
      long clock = d.readVarUint();
      for (long i = 0; i < n; i++) {
        int at = d.pos();
        int info = d.readUint8();
        Map<String, Object> s = new LinkedHashMap<>();
        int ref = info & 0x1f;
        if (ref == 0 || ref == 10) {
          long len = d.readVarUint();
          s.put("type", ref == 0 ? "GC" : "Skip");
          s.put("client", client);
          s.put("clock", clock);
          s.put("length", len);
          clock += len;
          structs.add(s);
          continue;
        }
        if (ref > 9)
          throw new DecodingException(at, "content ref 1..9", "Unknown content ref " + ref);
        s.put("type", "Item");
        s.put("client", client);
        s.put("clock", clock);
        Object origin = (info & 0x80) != 0 ? List.of(d.readVarUint(), d.readVarUint()) : null;
        Object rightOrigin = (info & 0x40) != 0 ? List.of(d.readVarUint(), d.readVarUint()) : null;
        boolean parentInfo = (info & 0xc0) == 0;
        Object parent = null;
        String parentSub = null;
        if (parentInfo) {
          parent =
              d.readVarUint() == 1 ? d.readVarString() : List.of(d.readVarUint(), d.readVarUint());
          if ((info & 0x20) != 0) parentSub = d.readVarString();
        }
        Object[] content = content(d, ref, at);
        long len = (Long) content[1];
        s.put("length", len);
        if (origin != null) s.put("origin", origin);
        if (rightOrigin != null) s.put("rightOrigin", rightOrigin);
        if (parent != null) s.put("parent", parent);
        if (parentSub != null) s.put("parentSub", parentSub);
        s.put("content", CONTENT[ref]);
        if (content[0] != null) s.put("value", content[0]);
        clock += len;
        structs.add(s);
      }
    }
    List<Object> ds = new ArrayList<>();
    long dsClients = d.readVarUint();
    for (long c = 0; c < dsClients; c++) {
      long client = d.readVarUint();
      long n = d.readVarUint();
      List<Object> ranges = new ArrayList<>();
      for (long i = 0; i < n; i++) ranges.add(List.of(d.readVarUint(), d.readVarUint()));
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("client", client);
      e.put("ranges", ranges);
      ds.add(e);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("structs", structs);
    out.put("ds", ds);
    return out;
  }

  /** {value or null, length in clock units}. */
  private static Object[] content(Lib0Decoder d, int ref, int at) {
    switch (ref) {
      case 1:
        return new Object[] {null, d.readVarUint()};
      case 2:
        {
          long n = d.readVarUint();
          List<Object> l = new ArrayList<>();
          for (long i = 0; i < n; i++) {
            String s = d.readVarString();
            l.add("undefined".equals(s) ? null : parseJson(s, d.pos()));
          }
          return new Object[] {l, n};
        }
      case 3:
        return new Object[] {Base64.getEncoder().encodeToString(d.readVarUint8Array()), 1L};
      case 4:
        {
          String s = d.readVarString();
          return new Object[] {s, (long) s.length()};
        }
      case 5:
        return new Object[] {parseJson(d.readVarString(), d.pos()), 1L};
      case 6:
        {
          Map<String, Object> m = new LinkedHashMap<>();
          String k = d.readVarString();
          m.put(k, parseJson(d.readVarString(), d.pos()));
          return new Object[] {m, 1L};
        }
      case 7:
        {
          long typeRef = d.readVarUint();
          if (typeRef > 6)
            throw new DecodingException(at, "type ref 0..6", "Unknown type ref " + typeRef);
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("typeRef", typeRef);
          if (typeRef == 3 || typeRef == 5) m.put("name", d.readVarString());
          return new Object[] {m, 1L};
        }
      case 8:
        {
          long n = d.readVarUint();
          List<Object> l = new ArrayList<>();
          for (long i = 0; i < n; i++) l.add(d.readAny());
          return new Object[] {l, n};
        }
      default:
        {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("guid", d.readVarString());
          m.put("opts", d.readAny());
          return new Object[] {m, 1L};
        }
    }
  }

  private static Object parseJson(String s, int pos) {
    try {
      return Json.parse(s);
    } catch (RuntimeException e) {
      throw new DecodingException(pos, "JSON text", "Invalid JSON in update: " + e.getMessage());
    }
  }
}
