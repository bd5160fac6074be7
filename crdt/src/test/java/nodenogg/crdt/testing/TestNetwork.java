package nodenogg.crdt.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import nodenogg.crdt.Doc;
import nodenogg.crdt.Updates;

/**
 * A seeded, in-memory network of Java peers. Every update a peer emits for a local change is queued
 * for every other peer; {@link #deliverSome} then delivers queued messages in random order,
 * sometimes twice, sometimes not at all (a dropped message is repaired later by {@link #resyncAll},
 * a state-vector exchange like y-protocols' sync step 1/2). Not thread-safe.
 */
public final class TestNetwork {
  /** Origin used for applied remote updates, so they are not re-broadcast. */
  public static final Object NET = "net";

  private final Random random;
  public final List<Doc> peers = new ArrayList<>();
  private final List<Message> inFlight = new ArrayList<>();
  public double duplicateRate = 0.1;
  public double dropRate = 0.1;
  public long delivered;
  public long dropped;
  public long duplicated;

  private static final class Message {
    final int to;
    final byte[] update;

    Message(int to, byte[] update) {
      this.to = to;
      this.update = update;
    }
  }

  public TestNetwork(long seed, int peerCount, boolean gc) {
    this.random = new Random(seed);
    for (int i = 0; i < peerCount; i++) {
      long id = (random.nextLong() >>> 32); // uniform uint32, like Yjs
      while (id == 0 || hasClient(id)) id = random.nextLong() >>> 32;
      Doc d = new Doc(new Doc.Options().clientId(id).gc(gc));
      final int from = i;
      d.onUpdate(
          (u, origin, tr) -> {
            if (origin == NET) return;
            for (int to = 0; to < peerCount; to++) if (to != from) inFlight.add(new Message(to, u));
          });
      peers.add(d);
    }
  }

  private boolean hasClient(long id) {
    for (Doc d : peers) if (d.clientId() == id) return true;
    return false;
  }

  public Random random() {
    return random;
  }

  public int inFlight() {
    return inFlight.size();
  }

  /** Delivers up to {@code n} random queued messages (reordering, duplicating, dropping). */
  public void deliverSome(int n) {
    for (int k = 0; k < n && !inFlight.isEmpty(); k++) {
      Message m = inFlight.remove(random.nextInt(inFlight.size()));
      double r = random.nextDouble();
      if (r < dropRate) {
        dropped++;
        continue;
      }
      if (r < dropRate + duplicateRate) {
        duplicated++;
        inFlight.add(m);
      }
      Updates.applyUpdate(peers.get(m.to), m.update, NET);
      delivered++;
    }
  }

  /** Delivers everything still queued (random order, no drops). */
  public void flush() {
    double d = dropRate;
    dropRate = 0;
    while (!inFlight.isEmpty()) deliverSome(inFlight.size());
    dropRate = d;
  }

  /** Every peer sends every other peer what its state vector lacks (plus its whole delete set). */
  public void resyncAll() {
    for (Doc a : peers) {
      for (Doc b : peers) {
        if (a == b) continue;
        Updates.applyUpdate(b, Updates.encodeStateAsUpdate(a, Updates.encodeStateVector(b)), NET);
      }
    }
  }

  /**
   * Null when all peers are identical (JSON, state vector, bytes exact or normalised), else what
   * differs.
   */
  public String divergence(boolean exactBytes) {
    Doc first = peers.get(0);
    String json = canonical(first);
    byte[] sv = Updates.encodeStateVector(first);
    byte[] bytes = exactBytes ? Updates.encodeStateAsUpdate(first) : normalised(first);
    for (int i = 0; i < peers.size(); i++) {
      Doc d = peers.get(i);
      if (d.hasPending()) return "peer " + i + " has pending structs or deletes";
      if (i == 0) continue;
      String j = canonical(d);
      if (!j.equals(json)) return "peer " + i + " JSON differs:\n  " + j + "\n  " + json;
      if (!Arrays.equals(sv, Updates.encodeStateVector(d)))
        return "peer " + i + " state vector differs";
      byte[] b = exactBytes ? Updates.encodeStateAsUpdate(d) : normalised(d);
      if (!Arrays.equals(bytes, b)) {
        return "peer "
            + i
            + (exactBytes ? " encodeStateAsUpdate" : " normalised bytes")
            + " differ:\n  "
            + Observed.b64(b)
            + "\n  "
            + Observed.b64(bytes);
      }
    }
    return null;
  }

  /**
   * The roots map/array/text in tagged form, map keys sorted (JS map JSON key order is per-peer
   * insertion order).
   */
  public static String canonical(Doc d) {
    return MiniJson.write(Typed.of(d.getMap("map")))
        + MiniJson.write(Typed.of(d.getArray("array")))
        + MiniJson.write(Typed.of(d.getText("text")));
  }

  /** Apply the doc's state to a fresh doc and re-encode (removes GC-merge differences). */
  public static byte[] normalised(Doc d) {
    Doc f = new Doc(new Doc.Options().clientId(1).gc(d.gc()));
    Updates.applyUpdate(f, Updates.encodeStateAsUpdate(d));
    return Updates.encodeStateAsUpdate(f);
  }
}
