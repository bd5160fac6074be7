package nodenogg.crdt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import nodenogg.crdt.encoding.DecodingException;
import org.junit.jupiter.api.Test;

/** A rejected update throws a typed error and leaves the document exactly as it was. */
class UpdateRejectionTest {
  static Doc sample(long client) {
    Doc d = new Doc(new Doc.Options().clientId(client));
    d.getText("t").insert(0, "hello 😀 world");
    d.getText("t").format(2, 3, Map.of("bold", true));
    d.getMap("m").set("k", Arrays.asList(1, 2.5, "x"));
    YMap nested = new YMap();
    nested.set("deep", "v");
    d.getMap("m").set("n", nested);
    d.getArray("a").insert(0, Arrays.asList(1, 2, 3));
    d.getArray("a").delete(1, 1);
    return d;
  }

  @Test
  void everyTruncationIsRejectedWithoutChangingTheDoc() {
    byte[] update = Updates.encodeStateAsUpdate(sample(7));
    Doc target = sample(9);
    byte[] before = Updates.encodeStateAsUpdate(target);
    List<byte[]> events = new ArrayList<>();
    target.onUpdate((u, o, t) -> events.add(u));
    int rejected = 0;
    for (int cut = 0; cut < update.length; cut++) {
      byte[] part = Arrays.copyOf(update, cut);
      try {
        Updates.applyUpdate(target, part);
        // a prefix may happen to be a valid update: then undo the experiment with a fresh target
        target = sample(9);
        target.onUpdate((u, o, t) -> events.add(u));
        events.clear();
      } catch (DecodingException e) {
        rejected++;
        assertEquals(
            Arrays.toString(before),
            Arrays.toString(Updates.encodeStateAsUpdate(target)),
            "cut " + cut);
        assertTrue(events.isEmpty(), "no event for a rejected update");
        assertTrue(e.offset() >= 0 && e.offset() <= cut);
      }
    }
    assertTrue(rejected > update.length / 2, "most truncations must be rejected: " + rejected);
  }

  @Test
  void publishedBadVectorsAreRejectedFast() {
    String[] vectors = {
      "ffffff7a",
      "c8c8c8c8",
      "e49c100005ffff0500010000000101000000ed0000000101 00feb8c2e9ad87d91200000101ffedf6",
    };
    for (String v : vectors) {
      Doc d = new Doc();
      long t0 = System.nanoTime();
      assertThrows(DecodingException.class, () -> Updates.applyUpdate(d, Hex.decode(v)));
      assertTrue(System.nanoTime() - t0 < 2_000_000_000L);
      assertEquals("0000", Hex.encode(Updates.encodeStateAsUpdate(d)));
    }
    Doc d = new Doc();
    assertThrows(
        DecodingException.class,
        () -> Updates.applyUpdate(d, Base64.getDecoder().decode("garbagedoc")));
  }

  @Test
  void sameClientForwardReferenceIsRejected() {
    // client 1, clock 0: String item whose origin is (1, 10): its own client, later clock
    byte[] bad = Hex.decode("010101 00 84 01 0a 01 61 00".replace(" ", ""));
    Doc d = new Doc();
    DecodingException e = assertThrows(DecodingException.class, () -> Updates.applyUpdate(d, bad));
    assertTrue(e.getMessage().contains("references"));
  }

  @Test
  void unknownContentRefIsRejected() {
    Doc d = new Doc();
    assertThrows(
        DecodingException.class,
        () -> Updates.applyUpdate(d, Hex.decode("01010100" + "0b010174" + "00")));
    assertThrows(
        DecodingException.class,
        () -> Updates.applyUpdate(d, Hex.decode("01010100" + "07010174" + "09" + "00")));
  }

  @Test
  void stateVectorWithHugeCountDoesNotAllocate() {
    assertThrows(DecodingException.class, () -> Updates.decodeStateVector(Hex.decode("ffffff7f")));
  }

  /**
   * The V2 vectors of yjs tests/limits.tests.js@d88422fc (see bad-inputs.md): rejected quickly, doc
   * unchanged.
   */
  @Test
  void publishedV2BombsAreRejectedFast() {
    String[] vectors = {
      "00010000000001000100010200001602000001fdffffffff7f0000",
      "e49500000118000001000100000100 00ed01be82e3c31c0102e4950000011800000118000001000100ed00",
      "8f0180000000 01aa010001020000160200e5c44314e7a68b93aeb5fd5de8269a8a590031d50f1201300000 00",
      "00012300000001028100001000c7dc00c47a800041abead600010000010000840000 10ffc7dcff000000",
    };
    for (String v : vectors) {
      Doc d = new Doc();
      d.getMap("m").set("k", 1);
      byte[] before = Updates.encodeStateAsUpdateV2(d);
      long t0 = System.nanoTime();
      try {
        Updates.applyUpdateV2(d, Hex.decode(v));
      } catch (DecodingException expected) {
        // rejected: fine
      }
      try {
        Updates.mergeUpdatesV2(List.of(Updates.encodeStateAsUpdateV2(new Doc()), Hex.decode(v)));
      } catch (DecodingException expected) {
        // rejected: fine
      }
      assertTrue(System.nanoTime() - t0 < 3_000_000_000L, "vector " + v + " took too long");
      if (!Arrays.equals(before, Updates.encodeStateAsUpdateV2(d))) {
        // an accepted vector must at least leave a consistent, encodable doc
        Updates.encodeStateAsUpdate(d);
      }
    }
  }

  @Test
  void wireReferenceV2ExampleDecodes() {
    Doc d = new Doc(new Doc.Options().clientId(1));
    d.getText("t").insert(0, "ab\uD83D\uDE00");
    d.getText("t").insert(1, "X");
    d.getMap("m").set("k", 1);
    byte[] v2 = Updates.encodeStateAsUpdateV2(d);
    Doc e = new Doc();
    Updates.applyUpdateV2(e, v2);
    assertEquals("aXb\uD83D\uDE00", e.getText("t").toString());
    assertEquals(
        Hex.encode(Updates.encodeStateAsUpdate(d)), Hex.encode(Updates.encodeStateAsUpdate(e)));
    assertEquals(
        Hex.encode(Updates.convertUpdateFormatV2ToV1(v2)),
        Hex.encode(Updates.encodeStateAsUpdate(d)));
  }
}
