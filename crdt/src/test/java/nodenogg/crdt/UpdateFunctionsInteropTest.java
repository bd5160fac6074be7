package nodenogg.crdt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * mergeUpdates / diffUpdate / encodeStateVectorFromUpdate / parseUpdateMeta / convertUpdateFormat,
 * v1 and v2, compared byte for byte with real Yjs on the update events of seeded sessions, on
 * random subsets (which leave gaps, hence Skip structs), on merges of merges, and on diffs against
 * real and derived state vectors. Seed base: -Dnodenogg.seed.
 */
class UpdateFunctionsInteropTest {
  static YjsOracle oracle;

  @BeforeAll
  static void start() throws Exception {
    Assumptions.assumeTrue(YjsOracle.available(), YjsOracle.skipReason());
    oracle = new YjsOracle();
    UpdateV2InteropTest.oracle = oracle;
  }

  @AfterAll
  static void stop() throws Exception {
    if (oracle != null) {
      oracle.close();
    }
    UpdateV2InteropTest.oracle = null;
  }

  static Map<String, Object> req(String cmd, boolean v2) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cmd", cmd);
    m.put("v2", v2);
    return m;
  }

  static List<Object> hexList(List<byte[]> us) {
    List<Object> l = new ArrayList<>();
    for (byte[] u : us) {
      l.add(Hex.encode(u));
    }
    return l;
  }

  static byte[] yMerge(List<byte[]> us, boolean v2) throws Exception {
    Map<String, Object> r = req("merge", v2);
    r.put("updates", hexList(us));
    return Hex.decode((String) oracle.call(r));
  }

  static String metaJson(UpdateMeta m) {
    List<Object> from = new ArrayList<>();
    m.from().forEach((k, v) -> from.add(Arrays.asList(k, v)));
    List<Object> to = new ArrayList<>();
    m.to().forEach((k, v) -> to.add(Arrays.asList(k, v)));
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("from", from);
    o.put("to", to);
    return Json.stringify(o);
  }

  static <T> List<T> pick(Random r, List<T> from, int n) {
    List<T> l = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      l.add(from.get(r.nextInt(from.size())));
    }
    return l;
  }

  int skipsSeen;

  void checkSeed(long seed) throws Exception {
    UpdateV2InteropTest.Session s = UpdateV2InteropTest.session(seed, 3, 60, seed % 2 == 0);
    Random r = new Random(seed);
    for (boolean v2 : new boolean[] {false, true}) {
      String ctx = "seed=" + seed + " v2=" + v2;
      List<byte[]> pool = new ArrayList<>();
      for (List<String> evs : v2 ? s.v2 : s.v1) {
        for (String h : evs) {
          pool.add(Hex.decode(h));
        }
      }
      for (Doc d : s.docs) {
        pool.add(v2 ? Updates.encodeStateAsUpdateV2(d) : Updates.encodeStateAsUpdate(d));
      }
      List<byte[]> svs = new ArrayList<>();
      svs.add(new byte[] {0});
      for (Doc d : s.docs) {
        svs.add(Updates.encodeStateVector(d));
      }
      // merges of random subsets, then merges of merges (gaps -> Skips)
      int base = pool.size();
      for (int k = 0; k < 12; k++) {
        List<byte[]> in = pick(r, pool, 1 + r.nextInt(5));
        byte[] ours = v2 ? Updates.mergeUpdatesV2(in) : Updates.mergeUpdates(in);
        assertEquals(Hex.encode(yMerge(in, v2)), Hex.encode(ours), ctx + " merge #" + k);
        pool.add(ours);
      }
      List<byte[]> merged = new ArrayList<>(pool.subList(base, pool.size()));
      for (int k = 0; k < 6; k++) {
        List<byte[]> in = pick(r, merged, 2 + r.nextInt(3));
        byte[] ours = v2 ? Updates.mergeUpdatesV2(in) : Updates.mergeUpdates(in);
        assertEquals(Hex.encode(yMerge(in, v2)), Hex.encode(ours), ctx + " merge of merges #" + k);
        pool.add(ours);
        for (AbstractStruct st : LazyStructs.readAll(UpdateMerging.decoder(ours, v2))) {
          if (st instanceof Skip) {
            skipsSeen++;
          }
        }
      }
      for (int k = 0; k < 30; k++) {
        byte[] u = pool.get(r.nextInt(pool.size()));
        String hu = Hex.encode(u);
        Map<String, Object> q = req("sv", v2);
        q.put("u", hu);
        byte[] sv =
            v2 ? Updates.encodeStateVectorFromUpdateV2(u) : Updates.encodeStateVectorFromUpdate(u);
        assertEquals(oracle.call(q), Hex.encode(sv), ctx + " sv #" + k);
        svs.add(sv);
        q = req("meta", v2);
        q.put("u", hu);
        assertEquals(
            Json.stringify(oracle.call(q)),
            metaJson(v2 ? Updates.parseUpdateMetaV2(u) : Updates.parseUpdateMeta(u)),
            ctx + " meta #" + k);
        byte[] target = svs.get(r.nextInt(svs.size()));
        q = req("diff", v2);
        q.put("u", hu);
        q.put("sv", Hex.encode(target));
        assertEquals(
            oracle.call(q),
            Hex.encode(v2 ? Updates.diffUpdateV2(u, target) : Updates.diffUpdate(u, target)),
            ctx + " diff #" + k);
        q = req(v2 ? "toV1" : "toV2", v2);
        q.put("u", hu);
        byte[] conv =
            v2 ? Updates.convertUpdateFormatV2ToV1(u) : Updates.convertUpdateFormatV1ToV2(u);
        assertEquals(oracle.call(q), Hex.encode(conv), ctx + " convert #" + k);
      }
    }
  }

  @Test
  void updateFunctionsMatchYjsOnSeededSessions() throws Exception {
    long base = Long.getLong("nodenogg.seed", 1L);
    for (long seed = base; seed < base + 6; seed++) {
      checkSeed(seed);
    }
    // the random subsets must have exercised gaps
    org.junit.jupiter.api.Assertions.assertTrue(skipsSeen > 0, "no merge produced a Skip struct");
  }

  /**
   * Random subsets of update events applied out of order leave pending data; the v2 state merges it
   * in like Yjs.
   */
  @Test
  @SuppressWarnings("unchecked")
  void pendingStructsAreMergedIntoEncodeStateAsUpdateV2LikeYjs() throws Exception {
    long base = Long.getLong("nodenogg.seed", 1L);
    int pendingSeen = 0;
    for (long seed = base; seed < base + 8; seed++) {
      UpdateV2InteropTest.Session s = UpdateV2InteropTest.session(seed, 3, 40, seed % 2 == 0);
      Random r = new Random(seed);
      for (boolean v2 : new boolean[] {false, true}) {
        List<String> pool = new ArrayList<>();
        for (List<String> evs : v2 ? s.v2 : s.v1) {
          pool.addAll(evs);
        }
        for (int k = 0; k < 4; k++) {
          List<String> in = pick(r, pool, 1 + r.nextInt(8));
          Doc d = new Doc(new Doc.Options().clientId(99));
          for (String h : in) {
            if (v2) {
              Updates.applyUpdateV2(d, Hex.decode(h));
            } else {
              Updates.applyUpdate(d, Hex.decode(h));
            }
          }
          Map<String, Object> q = req("applyAll", v2);
          q.put("updates", new ArrayList<Object>(in));
          q.put("gc", true);
          Map<String, Object> y = (Map<String, Object>) oracle.call(q);
          String ctx = "seed=" + seed + " v2=" + v2 + " #" + k;
          assertEquals(y.get("pending"), d.hasPending(), ctx + " pending");
          assertEquals(y.get("sv"), Hex.encode(Updates.encodeStateVector(d)), ctx + " sv");
          assertEquals(
              y.get("v2"), Hex.encode(Updates.encodeStateAsUpdateV2(d)), ctx + " state v2");
          assertEquals(y.get("v1"), Hex.encode(Updates.encodeStateAsUpdate(d)), ctx + " state v1");
          if (d.hasPending()) {
            pendingSeen++;
          }
        }
      }
    }
    org.junit.jupiter.api.Assertions.assertTrue(pendingSeen > 0, "no case left pending data");
  }

  @Test
  void mergeOfOneUpdateReturnsItUnchanged() {
    byte[] u = {1, 2, 3};
    assertSame(u, Updates.mergeUpdates(List.of(u)));
    assertSame(u, Updates.mergeUpdatesV2(List.of(u)));
  }
}
