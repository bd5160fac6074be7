package nodenogg.crdt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import nodenogg.crdt.encoding.DecodingException;
import org.junit.jupiter.api.Test;

/**
 * obfuscateUpdate / decodeUpdate / logUpdate (v1 and v2) on hostile input: known bad vectors, every
 * truncation and seeded byte flips of a real update either succeed or throw a typed {@link
 * CrdtException} ({@link DecodingException} for bytes that do not decode), quickly. Also what an
 * obfuscated update looks like once applied. Seed: -Dnodenogg.seed.
 */
class ObfuscateBadInputTest {
  static final List<Consumer<byte[]>> V1 =
      List.of(
          x -> Updates.obfuscateUpdate(x),
          x ->
              Updates.obfuscateUpdate(
                  x, ObfuscateOptions.DEFAULTS.withFormatting(false).withYxml(false)),
          x -> Updates.decodeUpdate(x),
          x -> Updates.logUpdate(x));
  static final List<Consumer<byte[]>> V2 =
      List.of(
          x -> Updates.obfuscateUpdateV2(x),
          x -> Updates.obfuscateUpdateV2(x, ObfuscateOptions.DEFAULTS.withSubdocs(false)),
          x -> Updates.decodeUpdateV2(x),
          x -> Updates.logUpdateV2(x));

  static Doc richDoc() {
    Doc d = new Doc(new Doc.Options().clientId(42));
    YText t = d.getText("text");
    t.insert(0, "secret 😀 text");
    t.format(0, 6, Map.of("bold", true));
    t.delete(7, 2);
    YMap m = d.getMap("map");
    m.set("password", "hunter2");
    m.set("n", List.of(1, 2.5, "x"));
    m.set("bin", new byte[] {1, 2, 3});
    m.set("sub", new Doc(new Doc.Options().guid("private-guid")));
    YXmlElement p = new YXmlElement("paragraph");
    d.getXmlFragment("xml").insert(0, List.of(p));
    p.setAttribute("class", "note");
    return d;
  }

  /** Returns the number of typed rejections; fails on any other throwable. */
  static int runAll(List<Consumer<byte[]>> fns, byte[] u, String ctx) {
    int rejected = 0;
    for (int i = 0; i < fns.size(); i++) {
      try {
        fns.get(i).accept(u);
      } catch (CrdtException e) {
        rejected++;
      } catch (Throwable t) {
        t.printStackTrace();
        fail(ctx + " function #" + i + " threw untyped " + t);
      }
    }
    return rejected;
  }

  @Test
  void knownBadVectorsGiveTypedErrors() {
    assertTimeoutPreemptively(
        Duration.ofSeconds(20),
        () -> {
          for (String[] vs :
              new String[][] {BadUpdateV2Test.HUGE_COUNT_VECTORS, BadUpdateV2Test.OTHER_VECTORS}) {
            for (String v : vs) {
              runAll(V1, Hex.decode(v), "v1 vector " + v);
              runAll(V2, Hex.decode(v), "v2 vector " + v);
            }
          }
        });
    // empty input, unknown content ref 11, unknown type ref 9, a client id beyond uint32
    for (String v :
        new String[] {
          "",
          "01 01 01 00 0b 01 01 61",
          "01 01 01 00 07 01 01 61 09",
          "01 01 80 80 80 80 10 00 00 01"
        }) {
      for (Consumer<byte[]> f : V1) {
        assertThrows(DecodingException.class, () -> f.accept(Hex.decode(v)), v);
      }
    }
  }

  @Test
  void everyTruncationIsRejected() {
    Doc d = richDoc();
    byte[][] us = {Updates.encodeStateAsUpdate(d), Updates.encodeStateAsUpdateV2(d)};
    for (int f = 0; f < 2; f++) {
      byte[] u = us[f];
      List<Consumer<byte[]>> fns = f == 0 ? V1 : V2;
      assertEquals(0, runAll(fns, u, "whole update"));
      for (int len = 0; len < u.length; len++) {
        byte[] cut = java.util.Arrays.copyOf(u, len);
        assertEquals(
            fns.size(),
            runAll(fns, cut, "v" + (f + 1) + " cut at " + len),
            "v" + (f + 1) + " cut at " + len);
      }
    }
  }

  @Test
  void byteFlipsSucceedOrGiveTypedErrors() {
    long seed = Long.getLong("nodenogg.seed", 1L);
    Random r = new Random(seed);
    Doc d = richDoc();
    byte[][] us = {Updates.encodeStateAsUpdate(d), Updates.encodeStateAsUpdateV2(d)};
    assertTimeoutPreemptively(
        Duration.ofSeconds(30),
        () -> {
          int rejected = 0;
          for (int k = 0; k < 400; k++) {
            int f = k % 2;
            byte[] u = us[f].clone();
            for (int n = 1 + r.nextInt(3); n > 0; n--) {
              u[r.nextInt(u.length)] = (byte) r.nextInt(256);
            }
            rejected +=
                runAll(f == 0 ? V1 : V2, u, "seed=" + seed + " flip #" + k + " " + Hex.encode(u));
          }
          assertTrue(rejected > 0, "seed=" + seed + ": no mutation was rejected");
        });
  }

  @Test
  void obfuscatedUpdateKeepsStructureButNotContent() {
    Doc d = richDoc();
    byte[] u = Updates.encodeStateAsUpdate(d);
    byte[] o = Updates.obfuscateUpdate(u);
    assertEquals(
        Hex.encode(o),
        Hex.encode(
            Updates.convertUpdateFormatV2ToV1(
                Updates.obfuscateUpdateV2(Updates.convertUpdateFormatV1ToV2(u)))));
    String log = Updates.logUpdate(o);
    for (String secret :
        new String[] {
          "secret", "hunter2", "password", "private-guid", "paragraph", "bold", "note"
        }) {
      assertTrue(!log.contains(secret), secret + " leaked:\n" + log);
      assertTrue(
          Updates.logUpdate(u).contains(secret), secret + " missing from the original's log");
    }
    Doc copy = new Doc();
    Updates.applyUpdate(copy, o);
    assertEquals(d.getText("text").length(), copy.getText("text").length());
    assertEquals(d.getMap("map").size(), copy.getMap("map").size());
    assertEquals(
        Updates.decodeUpdate(u).structs().size(), Updates.decodeUpdate(o).structs().size());
    assertEquals(Updates.decodeUpdate(u).deleteSet(), Updates.decodeUpdate(o).deleteSet());
    // the sub-document guid and XML names stay when their options are off
    String kept =
        Updates.logUpdate(
            Updates.obfuscateUpdate(
                u, ObfuscateOptions.DEFAULTS.withSubdocs(false).withYxml(false)));
    assertTrue(
        kept.contains("private-guid") && kept.contains("paragraph") && !kept.contains("hunter2"),
        kept);
  }
}
