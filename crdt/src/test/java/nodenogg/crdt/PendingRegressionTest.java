package nodenogg.crdt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Regressions from engine-bugs.md (oracle #2 and #4). */
class PendingRegressionTest {
  /**
   * oracle #4: a mutant with a far-away clock left pending structs whose merge looped (int overflow
   * of a Skip).
   */
  @Test
  void farAwayPendingClockEncodes() {
    Doc d = new Doc(new Doc.Options().clientId(99).gc(false));
    d.getMap("map");
    d.getArray("array");
    d.getText("text");
    String base =
        "AhPFgunWCwAoAQNtYXACazIBfYMDAQEFYXJyYXkBiMWC6dYLAQF3AXaDxYLp1gsCAgECBAEEdGV4dAdhYvCfmIBjKAEDbWFwAm8yAXYCAWF1A30BfD8AAAB3AXMBYngoAQNtYXACazQBfbMDJwEDbWFwAm4yASgAxYLp1gsLAXgBdwJ5NigBA21hcAJrMwF9nwMhAQNtYXACazEBqMWC6dYLDgF9MCEBA21hcAJvMAFExYLp1gsEB2Fi8J+YgGPIxYLp1gsBxYLp1gsCAn0EdwF2w8WC6dYLF8WC6dYLAgIBAqjFgunWCxABdgIBYXUDfQF8PwAAAHcBcwFieCcBA21hcAJuMQEoAMWC6dYLGgF4AXcCeTMO+d2rswQAIQEDbWFwAmsxAQQBBHRleHQFYWLvv72E+d2rswQDBO+/vWMoAQNtYXACbzEBdgIBYXUDfQF8PwAAAHcBcwFieKH53auzBAABIQEDbWFwAm4wAQABp/ndq7MECAEoAPndq7MECgF4AXcCeTQIAQVhcnJheQJ9BncBdoP53auzBA0CAQLE+d2rswQD+d2rswQEB2Fi8J+YgGOI+d2rswQOAn0HdwF2g/ndq7MEFQIBAgLFgunWCwMBAQ4BEAH53auzBAIAAQcD";
    String mutant =
        "AQr53auzBKH53auzBAABIQEDbWFwAm4wAQABp/ndq7MECAEoAPndq7MECgF4AXcCeTQIAQVhcnJheQJ9BncBdoP53auzBA0CAQLE+d2rswQD+d2rswQEB2Fi8J+YgGOI+d2rswQOAn0HdwF2g/ndq7MEFQIBAgH53auzBAEHAg==";
    Updates.applyUpdate(d, Base64.getDecoder().decode(base));
    Updates.applyUpdate(d, Base64.getDecoder().decode(mutant));
    assertTrue(d.hasPending());
    // Yjs 13.6.33 encodes this state in 595 bytes (engine-bugs.md)
    assertEquals(595, Updates.encodeStateAsUpdate(d).length);
  }

  /**
   * oracle #2: a lone surrogate in an embed that waits in the pending buffer comes out as U+FFFD,
   * like Yjs.
   */
  @Test
  void loneSurrogateThroughPendingBecomesReplacementChar() {
    Doc a = new Doc(new Doc.Options().clientId(1));
    List<byte[]> ups = new ArrayList<>();
    a.onUpdate((u, o, t) -> ups.add(u));
    a.getText("t").insert(0, "x");
    Map<String, Object> embed = new LinkedHashMap<>();
    embed.put("image", "\u00df\udc00\\");
    a.getText("t").insertEmbed(1, embed, null);
    Doc b = new Doc(new Doc.Options().clientId(2));
    b.getText("t");
    List<byte[]> bUps = new ArrayList<>();
    b.onUpdate((u, o, t) -> bUps.add(u));
    Updates.applyUpdate(b, ups.get(1));
    assertTrue(b.hasPending());
    Updates.applyUpdate(b, ups.get(0));
    Object inserted = b.getText("t").toDelta().get(1).get("insert");
    assertEquals("{\"image\":\"\u00df\ufffd\\\\\"}", Json.stringify(inserted));
  }
}
