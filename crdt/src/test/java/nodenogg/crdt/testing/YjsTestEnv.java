package nodenogg.crdt.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nodenogg.crdt.Doc;
import nodenogg.crdt.Updates;
import nodenogg.crdt.YArray;
import nodenogg.crdt.YMap;
import nodenogg.crdt.YText;

/**
 * The multi-user harness that Yjs's own tests run on (tests/testHelper.js {@code init}/{@code
 * compare}), rebuilt for the Java engine: user i has client id i; a user's local updates are
 * broadcast into the receive buffers of the connected users; {@link #flushAllMessages} delivers
 * them; {@link #disconnect} and {@link #connect} (which exchanges state like sync step 1/2) model
 * going offline; {@link #compare} reconnects everyone, flushes, and asserts all users are
 * identical. Not thread-safe.
 */
public final class YjsTestEnv {
  public static final Object REMOTE = "remote";
  public final List<Doc> users = new ArrayList<>();
  private final boolean[] connected;

  /** receiver -> sender -> queued updates. */
  private final List<Map<Integer, List<byte[]>>> buffers = new ArrayList<>();

  /**
   * Every update each user emitted (local and remote), as Yjs's testHelper keeps them to check
   * mergeUpdates.
   */
  private final List<List<byte[]>> emitted = new ArrayList<>();

  public YjsTestEnv(int n) {
    this(n, true);
  }

  public YjsTestEnv(int n, boolean gc) {
    connected = new boolean[n];
    for (int i = 0; i < n; i++) {
      Doc d = new Doc(new Doc.Options().clientId(i).gc(gc));
      final int from = i;
      connected[i] = true;
      buffers.add(new LinkedHashMap<>());
      List<byte[]> mine = new ArrayList<>();
      emitted.add(mine);
      d.onUpdate(
          (u, origin, tr) -> {
            mine.add(u);
            if (origin == REMOTE || !connected[from]) return;
            broadcast(from, u);
          });
      users.add(d);
    }
  }

  private void broadcast(int from, byte[] u) {
    for (int to = 0; to < users.size(); to++) {
      if (to != from && connected[to])
        buffers.get(to).computeIfAbsent(from, k -> new ArrayList<>()).add(u);
    }
  }

  public YArray array(int i) {
    return users.get(i).getArray("array");
  }

  public YMap map(int i) {
    return users.get(i).getMap("map");
  }

  public YText text(int i) {
    return users.get(i).getText("text");
  }

  public void disconnect(int i) {
    connected[i] = false;
    buffers.get(i).clear();
    for (Map<Integer, List<byte[]>> b : buffers) b.remove(i);
  }

  /** Reconnects user i and queues a state exchange with every connected user. */
  public void connect(int i) {
    if (connected[i]) return;
    connected[i] = true;
    for (int j = 0; j < users.size(); j++) {
      if (j == i || !connected[j]) continue;
      Doc a = users.get(i);
      Doc b = users.get(j);
      buffers
          .get(j)
          .computeIfAbsent(i, k -> new ArrayList<>())
          .add(Updates.encodeStateAsUpdate(a, Updates.encodeStateVector(b)));
      buffers
          .get(i)
          .computeIfAbsent(j, k -> new ArrayList<>())
          .add(Updates.encodeStateAsUpdate(b, Updates.encodeStateVector(a)));
    }
  }

  /**
   * Delivers one queued message (receiver order, then sender order); false when none was queued.
   */
  public boolean flushOne() {
    for (int to = 0; to < users.size(); to++) {
      for (Map.Entry<Integer, List<byte[]>> e : buffers.get(to).entrySet()) {
        if (!e.getValue().isEmpty()) {
          byte[] u = e.getValue().remove(0);
          Updates.applyUpdate(users.get(to), u, REMOTE);
          return true;
        }
      }
    }
    return false;
  }

  public boolean flushAllMessages() {
    boolean any = false;
    while (flushOne()) any = true;
    return any;
  }

  /**
   * Reconnects all, flushes, then asserts every user has the same content, state vector and
   * (normalised) bytes.
   */
  public void compare() {
    for (int i = 0; i < users.size(); i++) connect(i);
    flushAllMessages();
    // a final full exchange: deletions made while integrating remote updates travel only this way
    for (Doc a : users)
      for (Doc b : users)
        if (a != b)
          Updates.applyUpdate(
              b, Updates.encodeStateAsUpdate(a, Updates.encodeStateVector(b)), REMOTE);
    flushAllMessages();
    Doc first = users.get(0);
    for (int i = 0; i < users.size(); i++) {
      Doc d = users.get(i);
      assertFalse(d.hasPending(), "user " + i + " has pending structs");
      assertEquals(
          MiniJson.write(Typed.of(first.getArray("array"))),
          MiniJson.write(Typed.of(d.getArray("array"))),
          "array of user " + i);
      assertEquals(
          MiniJson.write(Typed.of(first.getMap("map"))),
          MiniJson.write(Typed.of(d.getMap("map"))),
          "map of user " + i);
      assertEquals(
          MiniJson.write(Typed.of(first.getText("text"))),
          MiniJson.write(Typed.of(d.getText("text"))),
          "text of user " + i);
      assertArrayEquals(
          Updates.encodeStateVector(first),
          Updates.encodeStateVector(d),
          "state vector of user " + i);
      assertArrayEquals(
          TestNetwork.normalised(first),
          TestNetwork.normalised(d),
          "normalised state of user " + i);
      // as in Yjs's testHelper: the merge of everything a user emitted rebuilds that user's
      // document
      Doc merged = new Doc(new Doc.Options().clientId(1_000_000 + i).gc(d.gc()));
      Updates.applyUpdate(merged, Updates.mergeUpdates(emitted.get(i)));
      assertEquals(
          MiniJson.write(Typed.of(d.getArray("array"))),
          MiniJson.write(Typed.of(merged.getArray("array"))),
          "merged updates of user " + i);
      assertEquals(
          MiniJson.write(Typed.of(d.getMap("map"))),
          MiniJson.write(Typed.of(merged.getMap("map"))),
          "merged updates of user " + i);
      assertEquals(
          MiniJson.write(Typed.of(d.getText("text"))),
          MiniJson.write(Typed.of(merged.getText("text"))),
          "merged updates of user " + i);
    }
  }
}
