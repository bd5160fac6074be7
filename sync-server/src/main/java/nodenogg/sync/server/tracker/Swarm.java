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

  /**
   * A peer of this swarm connected to another instance of a cluster (known from its announcements
   * over Redis): offers and answers for it are forwarded to that instance.
   */
  static final class Remote {
    final String peerId;
    final String instance;
    boolean complete;
    long seenNanos;
    int index;

    Remote(String peerId, String instance, boolean complete, long now) {
      this.peerId = peerId;
      this.instance = instance;
      this.complete = complete;
      this.seenNanos = now;
    }
  }

  final String infoHash;
  private final List<Member> members = new ArrayList<>(4);
  private final Map<String, Member> byPeer = new HashMap<>(8);
  // peers on other instances (cluster only); a peer id is never both local and remote here
  private final List<Remote> remotes = new ArrayList<>(0);
  private final Map<String, Remote> remoteByPeer = new HashMap<>(0);
  int complete;
  int incomplete;
  int remoteComplete;
  int remoteIncomplete;
  boolean dead;

  /**
   * Cluster: set while the peers other instances hold are being fetched; announces wait in {@code
   * parked}.
   */
  java.util.concurrent.CompletableFuture<Void> opening;

  List<Runnable> parked;

  Swarm(String infoHash) {
    this.infoHash = infoHash;
  }

  /** Local peers (connected to this instance). */
  int size() {
    return members.size();
  }

  int remoteSize() {
    return remotes.size();
  }

  int totalComplete() {
    return complete + remoteComplete;
  }

  int totalIncomplete() {
    return incomplete + remoteIncomplete;
  }

  /** The local peers' ids and whether each is complete (a seeder). */
  List<Map.Entry<String, Boolean>> localPeers() {
    List<Map.Entry<String, Boolean>> out = new ArrayList<>(members.size());
    for (Member m : members) {
      out.add(Map.entry(m.peerId, m.complete));
    }
    return out;
  }

  Remote getRemote(String peerId) {
    return remoteByPeer.get(peerId);
  }

  /**
   * Adds or refreshes a peer of another instance; ignored when the id is a local peer here (the
   * local one wins). Returns +1 when an entry was added, 0 otherwise.
   */
  int putRemote(String peerId, String instance, boolean isComplete, long now) {
    if (byPeer.containsKey(peerId)) {
      return 0;
    }
    Remote r = remoteByPeer.get(peerId);
    if (r != null && !r.instance.equals(instance)) {
      removeRemote(r); // the peer moved to another instance
      r = null;
    }
    if (r != null) {
      r.seenNanos = now;
      if (isComplete != r.complete) {
        r.complete = isComplete;
        remoteComplete += isComplete ? 1 : -1;
        remoteIncomplete += isComplete ? -1 : 1;
      }
      return 0;
    }
    r = new Remote(peerId, instance, isComplete, now);
    r.index = remotes.size();
    remotes.add(r);
    remoteByPeer.put(peerId, r);
    if (isComplete) {
      remoteComplete++;
    } else {
      remoteIncomplete++;
    }
    return 1;
  }

  /** Removes a remote entry if it is still there; true when it was. */
  boolean removeRemote(Remote r) {
    if (remoteByPeer.get(r.peerId) != r) {
      return false;
    }
    remoteByPeer.remove(r.peerId);
    Remote last = remotes.remove(remotes.size() - 1);
    if (last != r) {
      remotes.set(r.index, last);
      last.index = r.index;
    }
    if (r.complete) {
      remoteComplete--;
    } else {
      remoteIncomplete--;
    }
    return true;
  }

  /** Remote entries of {@code instance} (all, or those not in {@code keep} when it is non-null). */
  List<Remote> remotesOf(String instance, java.util.Set<String> keep) {
    List<Remote> out = new ArrayList<>();
    for (Remote r : remotes) {
      if (r.instance.equals(instance) && (keep == null || !keep.contains(r.peerId))) {
        out.add(r);
      }
    }
    return out;
  }

  /** Remote entries not seen for {@code staleNanos}, removed and counted. */
  int expireRemotes(long now, long staleNanos) {
    int n = 0;
    for (int i = remotes.size() - 1; i >= 0; i--) {
      Remote r = remotes.get(i);
      if (now - r.seenNanos > staleNanos) {
        removeRemote(r);
        n++;
      }
    }
    return n;
  }

  /** Every remote entry, removed (the swarm is dropped here). */
  int clearRemotes() {
    int n = remotes.size();
    remotes.clear();
    remoteByPeer.clear();
    remoteComplete = 0;
    remoteIncomplete = 0;
    return n;
  }

  Member get(String peerId) {
    return byPeer.get(peerId);
  }

  /**
   * Adds a local member; a remote entry with the same peer id is dropped (returns true when one
   * was).
   */
  boolean add(Member m) {
    Remote shadowed = remoteByPeer.get(m.peerId);
    boolean dropped = shadowed != null && removeRemote(shadowed);
    m.index = members.size();
    members.add(m);
    byPeer.put(m.peerId, m);
    if (m.complete) {
      complete++;
    } else {
      incomplete++;
    }
    return dropped;
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
   * Up to {@code want} distinct peers chosen at random among the local members and (in a cluster)
   * the peers of other instances: {@link Member}s and {@link Remote}s. Never {@code self} (by peer
   * id) and never a local member whose socket is closed. Floyd's sampling over the other peers, so
   * every subset of the wanted size is equally likely.
   */
  List<Object> pick(int want, String self) {
    Member own = byPeer.get(self);
    int local = members.size();
    int n = local + remotes.size() - (own == null ? 0 : 1);
    if (want <= 0 || n <= 0) {
      return List.of();
    }
    List<Object> out = new ArrayList<>(Math.min(want, n));
    if (want >= n) {
      for (Member m : members) {
        if (m != own && m.owner.connection.isOpen()) {
          out.add(m);
        }
      }
      for (Remote r : remotes) {
        if (!r.peerId.equals(self)) {
          out.add(r);
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
      if (i >= local) {
        out.add(remotes.get(i - local));
        continue;
      }
      Member m = members.get(i);
      if (m.owner.connection.isOpen()) {
        out.add(m);
      }
    }
    return out;
  }
}
