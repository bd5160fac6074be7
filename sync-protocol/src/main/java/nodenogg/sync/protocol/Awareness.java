package nodenogg.sync.protocol;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import nodenogg.crdt.Json;
import nodenogg.crdt.encoding.DecodingException;
import nodenogg.crdt.encoding.Lib0Decoder;
import nodenogg.crdt.encoding.Lib0Encoder;
import nodenogg.crdt.encoding.Undefined;

/**
 * The y-protocols awareness state of one peer: every known client's JSON state with its clock, the
 * local client's own state, and the wire form ({@link #encodeUpdate}/{@link #applyUpdate})
 * byte-compatible with {@code y-protocols/awareness.js} 1.0.7.
 *
 * <p>Rules (as awareness.js): a received entry is accepted when its clock is higher than the known
 * clock (unknown clients count as 0), or when the clocks are equal, the state is {@code null} and a
 * state is present. A remote {@code null} for our own client bumps our clock instead of removing
 * our state. States are JSON values (normally objects) in the engine's value model: {@code null},
 * Boolean, String, Number, List, Map&lt;String,?&gt;; received states come back as {@code
 * LinkedHashMap}/{@code ArrayList}/{@code Integer}/{@code Double}.
 *
 * <p>No timers: the host calls {@link #check()} (or {@link #check(long)}) about every 3 s. It
 * renews the local state after {@link #RENEW_AFTER_MILLIS} and removes remote states not updated
 * for {@link #OUTDATED_TIMEOUT_MILLIS} with origin {@link #ORIGIN_TIMEOUT}. Time comes from an
 * injectable millisecond clock.
 *
 * <p>Thread-safety: all methods are safe from any thread; calls are serialized on this object and
 * listeners run synchronously on the calling thread while it holds the lock, so a listener must not
 * block (it may call back into this object).
 */
public final class Awareness implements AutoCloseable {
  /**
   * y-protocols {@code outdatedTimeout}: remote states expire after this long without an update.
   */
  public static final long OUTDATED_TIMEOUT_MILLIS = 30_000;

  /** The local state is re-sent (clock bumped) when it is this old. */
  public static final long RENEW_AFTER_MILLIS = OUTDATED_TIMEOUT_MILLIS / 2;

  /** How often y-protocols checks; hosts should call {@link #check()} at about this period. */
  public static final long CHECK_INTERVAL_MILLIS = OUTDATED_TIMEOUT_MILLIS / 10;

  /** Origin of changes made by {@link #check(long)} removing outdated states. */
  public static final String ORIGIN_TIMEOUT = "timeout";

  /** Origin of changes to the local state. */
  public static final String ORIGIN_LOCAL = "local";

  /** Client ids touched by one change, each list in the order the ids were processed. */
  public record Change(List<Long> added, List<Long> updated, List<Long> removed) {
    public Change {
      added = List.copyOf(added);
      updated = List.copyOf(updated);
      removed = List.copyOf(removed);
    }

    /** All ids in added, updated, removed order (what a provider re-encodes and broadcasts). */
    public List<Long> all() {
      List<Long> l = new ArrayList<>(added);
      l.addAll(updated);
      l.addAll(removed);
      return l;
    }
  }

  /** Receives changes with the origin passed to the call that made them. */
  @FunctionalInterface
  public interface Listener {
    void onChange(Change change, Object origin);
  }

  /** Unsubscribes a listener; closing twice is harmless. */
  public interface Registration extends AutoCloseable {
    @Override
    void close();
  }

  /** Clock and last-update time of one client. */
  public record Meta(long clock, long lastUpdated) {}

  private final long clientId;
  private final LongSupplier clock;
  // small tables: a server keeps one Awareness per loaded document, most with a handful of clients
  private final Map<Long, Object> states = new LinkedHashMap<>(4);
  private final Map<Long, Meta> meta = new LinkedHashMap<>(4);
  // copy-on-write arrays (all empty ones share NO_LISTENERS), swapped with compare-and-set so that
  // registering never waits for this object's lock
  private volatile Listener[] changeListeners = NO_LISTENERS;
  private volatile Listener[] updateListeners = NO_LISTENERS;
  private boolean closed;

  private static final Listener[] NO_LISTENERS = {};
  private static final VarHandle CHANGE;
  private static final VarHandle UPDATE;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      CHANGE = l.findVarHandle(Awareness.class, "changeListeners", Listener[].class);
      UPDATE = l.findVarHandle(Awareness.class, "updateListeners", Listener[].class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** An awareness for {@code clientId} on the system clock, local state {@code {}} (clock 0). */
  public Awareness(long clientId) {
    this(clientId, System::currentTimeMillis);
  }

  /**
   * @param clientId the local client id (a Doc's client id; 0..2^53-1)
   * @param clockMillis the time source in milliseconds, for tests and hosts that drive time
   */
  public Awareness(long clientId, LongSupplier clockMillis) {
    if (clientId < 0 || clientId > (1L << 53) - 1) {
      throw new IllegalArgumentException("client id must be in 0..2^53-1, got " + clientId);
    }
    this.clientId = clientId;
    this.clock = Objects.requireNonNull(clockMillis, "clockMillis");
    setLocalState(new LinkedHashMap<>());
  }

  public long clientId() {
    return clientId;
  }

  /** The local state, or null when it is removed (offline). */
  public synchronized Object getLocalState() {
    return states.get(clientId);
  }

  /**
   * Sets the local state (null marks this client offline), bumps the local clock and notifies:
   * update listeners always, change listeners when the state was added, removed or deep-changed.
   */
  public void setLocalState(Object state) {
    if (state != null) {
      if (state instanceof Undefined) {
        throw new IllegalArgumentException(
            "an awareness state cannot be undefined; use null to go offline");
      }
      Json.stringify(state); // fail fast on values JSON cannot carry (a JsonException)
    }
    synchronized (this) {
      Meta cur = meta.get(clientId);
      long c = cur == null ? 0 : cur.clock + 1;
      Object prev = states.get(clientId);
      if (state == null) {
        states.remove(clientId);
      } else {
        states.put(clientId, state);
      }
      meta.put(clientId, new Meta(c, clock.getAsLong()));
      List<Long> added = new ArrayList<>();
      List<Long> updated = new ArrayList<>();
      List<Long> filtered = new ArrayList<>();
      List<Long> removed = new ArrayList<>();
      if (state == null) {
        removed.add(clientId);
      } else if (prev == null) {
        added.add(clientId);
      } else {
        updated.add(clientId);
        if (!deepEquals(prev, state)) {
          filtered.add(clientId);
        }
      }
      if (!added.isEmpty() || !filtered.isEmpty() || !removed.isEmpty()) {
        emit(changeListeners, new Change(added, filtered, removed), ORIGIN_LOCAL);
      }
      emit(updateListeners, new Change(added, updated, removed), ORIGIN_LOCAL);
    }
  }

  /** Sets one field of the local state object; does nothing when the local state is null. */
  public synchronized void setLocalStateField(String field, Object value) {
    Object cur = states.get(clientId);
    if (cur instanceof Map) {
      Map<String, Object> next = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) cur).entrySet()) {
        next.put((String) e.getKey(), e.getValue());
      }
      next.put(field, value);
      setLocalState(next);
    }
  }

  /** A snapshot of all present states, by client id. */
  public synchronized Map<Long, Object> getStates() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(states));
  }

  /** Clock and last update of a client, or null when never seen. */
  public synchronized Meta meta(long client) {
    return meta.get(client);
  }

  /** Listener for changes that add, remove or alter a state (y-protocols 'change'). */
  public Registration onChange(Listener l) {
    return register(CHANGE, l);
  }

  /**
   * Listener for every accepted entry, including renewals with an equal state (y-protocols
   * 'update').
   */
  public Registration onUpdate(Listener l) {
    return register(UPDATE, l);
  }

  private Registration register(VarHandle field, Listener l) {
    Objects.requireNonNull(l, "listener");
    while (true) {
      Listener[] cur = (Listener[]) field.getVolatile(this);
      Listener[] next = Arrays.copyOf(cur, cur.length + 1);
      next[cur.length] = l;
      if (field.compareAndSet(this, cur, next)) {
        break;
      }
    }
    return () -> unregister(field, l);
  }

  /** Removes the first registration of {@code l}. */
  private void unregister(VarHandle field, Listener l) {
    while (true) {
      Listener[] cur = (Listener[]) field.getVolatile(this);
      int i = 0;
      while (i < cur.length && cur[i] != l) {
        i++;
      }
      if (i == cur.length) {
        return;
      }
      Listener[] next = NO_LISTENERS;
      if (cur.length > 1) {
        next = new Listener[cur.length - 1];
        System.arraycopy(cur, 0, next, 0, i);
        System.arraycopy(cur, i + 1, next, i, cur.length - i - 1);
      }
      if (field.compareAndSet(this, cur, next)) {
        return;
      }
    }
  }

  private static void emit(Listener[] list, Change c, Object origin) {
    for (Listener l : list) {
      l.onChange(c, origin);
    }
  }

  /** {@link #check(long)} at the injected clock's current time. */
  public void check() {
    check(clock.getAsLong());
  }

  /**
   * Renews the local state when it is {@link #RENEW_AFTER_MILLIS} old and removes remote states
   * older than {@link #OUTDATED_TIMEOUT_MILLIS} (origin {@link #ORIGIN_TIMEOUT}).
   */
  public synchronized void check(long nowMillis) {
    Object local = states.get(clientId);
    Meta lm = meta.get(clientId);
    if (local != null && lm != null && RENEW_AFTER_MILLIS <= nowMillis - lm.lastUpdated) {
      setLocalState(local);
    }
    List<Long> remove = new ArrayList<>();
    for (Map.Entry<Long, Meta> e : meta.entrySet()) {
      long id = e.getKey();
      if (id != clientId
          && OUTDATED_TIMEOUT_MILLIS <= nowMillis - e.getValue().lastUpdated
          && states.containsKey(id)) {
        remove.add(id);
      }
    }
    if (!remove.isEmpty()) {
      removeStates(remove, ORIGIN_TIMEOUT);
    }
  }

  /**
   * Removes states (marks clients offline), as y-protocols {@code removeAwarenessStates}; removing
   * our own client bumps its clock. Listeners get one change with the removed ids.
   */
  public synchronized void removeStates(Collection<Long> clients, Object origin) {
    List<Long> removed = new ArrayList<>();
    for (Long id : clients) {
      if (states.containsKey(id)) {
        states.remove(id);
        if (id == clientId) {
          Meta cur = meta.get(id);
          meta.put(id, new Meta(cur.clock + 1, clock.getAsLong()));
        }
        removed.add(id);
      }
    }
    if (!removed.isEmpty()) {
      Change c = new Change(List.of(), List.of(), removed);
      emit(changeListeners, c, origin);
      emit(updateListeners, c, origin);
    }
  }

  /**
   * Encodes the given clients' entries: {@code vu n, n × (vu id, vu clock, vs JSON)}; a client
   * without a state is written as {@code null}.
   *
   * @throws IllegalArgumentException when a client was never seen (y-protocols would throw too)
   */
  public synchronized byte[] encodeUpdate(Collection<Long> clients) {
    Lib0Encoder w = new Lib0Encoder();
    w.writeVarUint(clients.size());
    for (Long id : clients) {
      Meta m = meta.get(id);
      if (m == null) {
        throw new IllegalArgumentException("no awareness entry for client " + id);
      }
      w.writeVarUint(id);
      w.writeVarUint(m.clock);
      w.writeVarString(Json.stringify(states.get(id)));
    }
    return w.toByteArray();
  }

  /** Encodes every client that has a state (what a peer answers to QueryAwareness). */
  public synchronized byte[] encodeAllStates() {
    return encodeUpdate(new ArrayList<>(states.keySet()));
  }

  /** One decoded awareness entry. {@code state} is null for a removal. */
  public record Entry(long clientId, long clock, Object state) {}

  /**
   * Decodes an awareness update without applying it.
   *
   * @throws ProtocolException on truncated input, bad varints, invalid UTF-8 or bad JSON
   */
  public static List<Entry> decodeUpdate(byte[] update) {
    Lib0Decoder r = new Lib0Decoder(update);
    try {
      long n = r.readVarUint();
      List<Entry> out = new ArrayList<>();
      for (long i = 0; i < n; i++) {
        long id = r.readVarUint();
        long c = r.readVarUint();
        int at = r.pos();
        String json = r.readVarString();
        Object state;
        try {
          state = Json.parse(json);
        } catch (IllegalArgumentException e) {
          throw new ProtocolException(
              "awareness state is not valid JSON: " + e.getMessage(), at, e);
        }
        out.add(new Entry(id, c, state));
      }
      return out;
    } catch (DecodingException e) {
      throw ProtocolException.of(e);
    }
  }

  /** Encodes entries as an awareness update (for hosts that filter or rewrite entries). */
  public static byte[] encodeEntries(Collection<Entry> entries) {
    Lib0Encoder w = new Lib0Encoder();
    w.writeVarUint(entries.size());
    for (Entry e : entries) {
      w.writeVarUint(e.clientId);
      w.writeVarUint(e.clock);
      w.writeVarString(Json.stringify(e.state));
    }
    return w.toByteArray();
  }

  /**
   * Applies an awareness update from a peer. The whole message is decoded first: a malformed
   * message throws {@link ProtocolException} and changes nothing.
   *
   * @return the change made (update semantics: every accepted entry), empty when nothing was
   *     accepted
   */
  public Change applyUpdate(byte[] update, Object origin) {
    return applyEntries(decodeUpdate(update), origin);
  }

  /** Applies already-decoded entries with the same rules as {@link #applyUpdate}. */
  public synchronized Change applyEntries(List<Entry> entries, Object origin) {
    long now = clock.getAsLong();
    List<Long> added = new ArrayList<>();
    List<Long> updated = new ArrayList<>();
    List<Long> filtered = new ArrayList<>();
    List<Long> removed = new ArrayList<>();
    for (Entry e : entries) {
      long id = e.clientId;
      long c = e.clock;
      Object state = e.state;
      Meta m = meta.get(id);
      Object prev = states.get(id);
      long cur = m == null ? 0 : m.clock;
      if (cur < c || (cur == c && state == null && states.containsKey(id))) {
        if (state == null) {
          if (id == clientId && states.get(clientId) != null) {
            c++; // never let a peer remove our own state: re-announce with a higher clock
          } else {
            states.remove(id);
          }
        } else {
          states.put(id, state);
        }
        meta.put(id, new Meta(c, now));
        if (m == null && state != null) {
          added.add(id);
        } else if (m != null && state == null) {
          removed.add(id);
        } else if (state != null) {
          if (!deepEquals(state, prev)) {
            filtered.add(id);
          }
          updated.add(id);
        }
      }
    }
    if (!added.isEmpty() || !filtered.isEmpty() || !removed.isEmpty()) {
      emit(changeListeners, new Change(added, filtered, removed), origin);
    }
    Change all = new Change(added, updated, removed);
    if (!added.isEmpty() || !updated.isEmpty() || !removed.isEmpty()) {
      emit(updateListeners, all, origin);
    }
    return all;
  }

  /** Parses JSON text into the value model used for states (JS JSON.parse semantics). */
  public static Object parseJson(String json) {
    return Json.parse(json);
  }

  /** JS JSON.stringify of a state value. */
  public static String stringifyJson(Object value) {
    return Json.stringify(value);
  }

  /**
   * Marks the local client offline (state null, clock bumped, listeners notified so a provider can
   * send the removal) and then drops all listeners. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    setLocalState(null);
    changeListeners = NO_LISTENERS;
    updateListeners = NO_LISTENERS;
  }

  /**
   * Deep equality of two states with JS semantics (lib0 equalityDeep over our value model; numbers
   * compare by value).
   */
  private static boolean deepEquals(Object a, Object b) {
    if (a == b) {
      return true;
    }
    if (a == null || b == null) {
      return false;
    }
    if (a instanceof Number && b instanceof Number) {
      return ((Number) a).doubleValue() == ((Number) b).doubleValue();
    }
    if (a instanceof Map && b instanceof Map) {
      Map<?, ?> x = (Map<?, ?>) a;
      Map<?, ?> y = (Map<?, ?>) b;
      if (x.size() != y.size()) {
        return false;
      }
      for (Map.Entry<?, ?> e : x.entrySet()) {
        if (!y.containsKey(e.getKey()) || !deepEquals(e.getValue(), y.get(e.getKey()))) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof List && b instanceof List) {
      List<?> x = (List<?>) a;
      List<?> y = (List<?>) b;
      if (x.size() != y.size()) {
        return false;
      }
      for (int k = 0; k < x.size(); k++) {
        if (!deepEquals(x.get(k), y.get(k))) {
          return false;
        }
      }
      return true;
    }
    return a.equals(b);
  }
}
