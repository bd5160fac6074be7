package nodenogg.crdt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * PermanentUserData behaviour beyond the Yjs interop scenarios; expected values are derived by
 * hand.
 */
class PermanentUserDataTest {
  @Test
  void layoutIsUsersMapWithIdsAndEncodedDeleteSets() {
    Doc doc = new Doc(new Doc.Options().clientId(5));
    PermanentUserData pud = new PermanentUserData(doc);
    pud.setUserMapping(doc, 5, "ann");
    doc.getText("t").insert(0, "abc"); // clocks 4..6
    doc.getText("t").delete(1, 1); // deletes (5,5)
    YMap ann = (YMap) doc.getMap("users").get("ann");
    assertEquals(List.of(5), ((YArray) ann.get("ids")).toArray());
    List<Object> ds = ((YArray) ann.get("ds")).toArray();
    assertEquals(1, ds.size());
    // v1 delete set: 1 client, client 5, 1 range, clock 5, length 1
    assertArrayEquals(new byte[] {1, 5, 1, 5, 1}, (byte[]) ds.get(0));
    assertEquals("ann", pud.getUserByDeletedId(new ID(5, 5)));
    assertNull(pud.getUserByDeletedId(new ID(5, 4)));
    assertNull(pud.getUserByClientId(6));
  }

  @Test
  void filterDecidesWhatIsRecorded() {
    Doc doc = new Doc(new Doc.Options().clientId(9));
    PermanentUserData pud = new PermanentUserData(doc);
    List<Long> seen = new ArrayList<>();
    pud.setUserMapping(
        doc,
        9,
        "bo",
        (tr, ds) -> {
          seen.addAll(ds.clientIds());
          return !"skip".equals(tr.origin());
        });
    doc.getText("t").insert(0, "abcd"); // clocks 4..7
    doc.transact(tr -> doc.getText("t").delete(0, 1), "skip");
    doc.getText("t").delete(0, 1);
    assertEquals(List.of(9L, 9L), seen);
    assertNull(pud.getUserByDeletedId(new ID(9, 4)));
    assertEquals("bo", pud.getUserByDeletedId(new ID(9, 5)));
  }

  @Test
  void remoteDeletionsAreNotRecordedButRemoteTablesAreRead() {
    Doc a = new Doc(new Doc.Options().clientId(1));
    Doc b = new Doc(new Doc.Options().clientId(2));
    PermanentUserData pa = new PermanentUserData(a);
    PermanentUserData pb = new PermanentUserData(b);
    pa.setUserMapping(a, 1, "a");
    pb.setUserMapping(b, 2, "b");
    a.getText("t").insert(0, "xy"); // (1,4),(1,5)
    Updates.applyUpdate(b, Updates.encodeStateAsUpdate(a));
    b.getText("t").delete(0, 1); // b deletes a's x
    Updates.applyUpdate(a, Updates.encodeStateAsUpdate(b));
    for (PermanentUserData p : List.of(pa, pb)) {
      assertEquals("b", p.getUserByDeletedId(new ID(1, 4)));
      assertNull(p.getUserByDeletedId(new ID(1, 5)));
      assertEquals("a", p.getUserByClientId(1));
      assertEquals("b", p.getUserByClientId(2));
    }
    assertEquals(0, ((YArray) ((YMap) a.getMap("users").get("a")).get("ds")).length());
  }

  @Test
  void customStoreTypeAndClose() {
    Doc doc = new Doc(new Doc.Options().clientId(3));
    YMap store = doc.getMap("people");
    PermanentUserData pud = new PermanentUserData(doc, store);
    pud.setUserMapping(doc, 3, "cy");
    assertEquals(List.of("people"), new ArrayList<>(doc.toJSON().keySet()));
    doc.getText("t").insert(0, "ab");
    pud.close();
    doc.getText("t").delete(0, 1);
    assertEquals(
        0, ((YArray) ((YMap) store.get("cy")).get("ds")).length()); // nothing recorded after close
    assertEquals("cy", pud.getUserByClientId(3));
    assertThrows(IllegalArgumentException.class, () -> new PermanentUserData(doc, new YMap()));
    assertThrows(IllegalArgumentException.class, () -> pud.setUserMapping(doc, -1, "x"));
  }

  @Test
  void malformedEntriesAreIgnored() {
    Doc doc = new Doc(new Doc.Options().clientId(4));
    YMap users = doc.getMap("users");
    users.set("plain", "not a map");
    YMap odd = new YMap();
    odd.set("ids", new YArray());
    YArray ds = new YArray();
    ds.push(List.of(new byte[] {5, 1}, "text"));
    odd.set("ds", ds);
    users.set("odd", odd);
    PermanentUserData pud = new PermanentUserData(doc);
    ((YArray) odd.get("ids")).push(List.of(4, "nope", 2.5));
    ((YArray) odd.get("ds")).push(List.of(new byte[] {(byte) 0xff}));
    assertEquals("odd", pud.getUserByClientId(4));
    assertNull(pud.getUserByDeletedId(new ID(4, 0)));
  }

  @Test
  void concurrentWritersAndReaders() throws Exception {
    Doc doc = new Doc(new Doc.Options().clientId(8));
    PermanentUserData pud = new PermanentUserData(doc);
    pud.setUserMapping(doc, 8, "u");
    YText t = doc.getText("t");
    List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < 2; w++) {
      long seed = w;
      threads.add(
          new Thread(
              () -> {
                java.util.Random r = new java.util.Random(seed);
                try {
                  for (int i = 0; i < 200; i++) {
                    doc.transact(
                        tr -> {
                          int len = t.length();
                          if (len > 3 && r.nextBoolean()) {
                            t.delete(r.nextInt(len - 2), 2);
                          } else {
                            t.insert(r.nextInt(len + 1), "ab");
                          }
                        });
                  }
                } catch (Throwable e) {
                  errors.add(e);
                }
              }));
    }
    threads.add(
        new Thread(
            () -> {
              try {
                for (int i = 0; i < 2000; i++) {
                  pud.getUserByDeletedId(new ID(8, i % 500));
                  pud.getUserByClientId(8);
                }
              } catch (Throwable e) {
                errors.add(e);
              }
            }));
    for (Thread th : threads) {
      th.start();
    }
    for (Thread th : threads) {
      th.join(30_000);
    }
    assertEquals(List.of(), errors);
    // every deleted id in the store (all deleted locally by "u") is attributed to "u"
    DeleteSet deleted = doc.read(() -> DeleteSet.fromStructStore(doc.store));
    int checked = 0;
    for (long[] range : deleted.ranges(8)) {
      for (long c = range[0]; c < range[0] + range[1]; c++) {
        assertEquals("u", pud.getUserByDeletedId(new ID(8, c)), "clock " + c);
        checked++;
      }
    }
    assertEquals(true, checked > 0);
  }
}
