package nodenogg.sync.server.tracker;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The peers announced under one info hash. Guarded by its own monitor; a swarm that lost its last
 * peer is marked dead and dropped from the tracker's map, and an announce that finds a dead swarm
 * looks it up again.
 */
final class Swarm {

  /** One peer's membership: owned by the connection that announced it. */
  static final class Member {
    final String peerId;
    final Swarm swarm;
    final TrackerHandler.Client owner;
    boolean complete;
    long lastAnnounceNanos;
    int index;

    Member(String peerId, Swarm swarm, TrackerHandler.Client owner, boolean complete, long now) {
      this.peerId = peerId;
      this.swarm = swarm;
      this.owner = owner;
      this.complete = complete;
      this.lastAnnounceNanos = now;
    }
  }

  final String infoHash;
  private final List<Member> members = new ArrayList<>(4);
  private final Map<String, Member> byPeer = new HashMap<>(8);
  int complete;
  int incomplete;
  boolean dead;

  Swarm(String infoHash) {
    this.infoHash = infoHash;
  }

  int size() {
    return members.size();
  }

  Member get(String peerId) {
    return byPeer.get(peerId);
  }

  void add(Member m) {
    m.index = members.size();
    members.add(m);
    byPeer.put(m.peerId, m);
    if (m.complete) {
      complete++;
    } else {
      incomplete++;
    }
  }

  void markComplete(Member m) {
    if (!m.complete) {
      m.complete = true;
      complete++;
      incomplete--;
    }
  }

  /** Removes m if it is still a member; true when it was. */
  boolean remove(Member m) {
    if (byPeer.get(m.peerId) != m) {
      return false;
    }
    byPeer.remove(m.peerId);
    Member last = members.remove(members.size() - 1);
    if (last != m) {
      members.set(m.index, last);
      last.index = m.index;
    }
    if (m.complete) {
      complete--;
    } else {
      incomplete--;
    }
    return true;
  }

  /** Members whose last announce is older than the TTL, removed and returned. */
  List<Member> expire(long now, long ttlNanos) {
    List<Member> out = null;
    for (int i = members.size() - 1; i >= 0; i--) {
      Member m = members.get(i);
      if (now - m.lastAnnounceNanos > ttlNanos) {
        if (out == null) {
          out = new ArrayList<>();
        }
        out.add(m);
      }
    }
    if (out == null) {
      return List.of();
    }
    for (Member m : out) {
      remove(m);
    }
    return out;
  }

  /**
   * Up to {@code want} distinct members chosen at random, never {@code self} (by peer id) and never
   * one whose socket is closed. Floyd's sampling over the other members, so every subset of the
   * wanted size is equally likely.
   */
  List<Member> pick(int want, String self) {
    Member own = byPeer.get(self);
    int n = members.size() - (own == null ? 0 : 1);
    if (want <= 0 || n <= 0) {
      return List.of();
    }
    List<Member> out = new ArrayList<>(Math.min(want, n));
    if (want >= n) {
      for (Member m : members) {
        if (m != own && m.owner.connection.isOpen()) {
          out.add(m);
        }
      }
      return out;
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    int[] chosen = new int[want];
    int count = 0;
    for (int j = n - want; j < n; j++) {
      int t = random.nextInt(j + 1);
      boolean seen = false;
      for (int c = 0; c < count; c++) {
        if (chosen[c] == t) {
          seen = true;
          break;
        }
      }
      chosen[count++] = seen ? j : t;
    }
    int skip = own == null ? Integer.MAX_VALUE : own.index;
    for (int c = 0; c < count; c++) {
      int i = chosen[c] >= skip ? chosen[c] + 1 : chosen[c];
      Member m = members.get(i);
      if (m.owner.connection.isOpen()) {
        out.add(m);
      }
    }
    return out;
  }
}
