package nodenogg.crdt;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiPredicate;
import nodenogg.crdt.encoding.Lib0Decoder;

/**
 * Which user inserted or deleted what: the document-stored user table of Yjs's {@code
 * PermanentUserData} (yjs utils/PermanentUserData.js), the attribution y-prosemirror shows in
 * snapshot diffs.
 *
 * <p>Layout (identical to Yjs, so either side reads the other's table): a {@link YMap} (by default
 * the root map {@code "users"}) maps each user description to a {@link YMap} with {@code "ids"}, a
 * {@link YArray} of client ids (numbers), and {@code "ds"}, a {@link YArray} of delete sets encoded
 * in update format v1 ({@code byte[]}). {@link #getUserByClientId} answers who owns a client id, so
 * who inserted an item; {@link #getUserByDeletedId} answers whose recorded delete set covers an id.
 *
 * <p>Timing differs from Yjs in one respect: Yjs appends a transaction's delete set (and repairs an
 * overwritten user entry) in a {@code setTimeout}; this class does it at once, in a follow-up
 * transaction that runs right after the triggering one (before {@code transact} / {@code
 * applyUpdate} returns). The stored bytes equal Yjs's whenever the JS event loop runs between
 * transactions. Like Yjs, a user entry that a concurrent peer overwrote gets this instance's client
 * ids and its (re-read) delete set copied into the winning entry. Entries that are not of the
 * expected shape, and {@code ds} entries that are not valid encoded delete sets, are ignored (Yjs
 * would throw from an observer).
 *
 * <p>Thread-safety: guarded by the Doc's lock like the shared types; every public method takes it,
 * and the bookkeeping runs inside the Doc's observers. {@link #close()} stops listening to the
 * document.
 */
public final class PermanentUserData implements AutoCloseable {
  /** The root map name Yjs uses when no store type is given. */
  public static final String DEFAULT_ROOT = "users";

  private final Doc doc;
  private final YMap users;

  /** client id -> user description (insertion-ordered like the JS Map). */
  private final Map<Long, String> clients = new LinkedHashMap<>();

  /** user description -> merged recorded deletions (insertion-ordered like the JS Map). */
  private final Map<String, DeleteSet> deletions = new LinkedHashMap<>();

  private final List<Subscription> subscriptions = new ArrayList<>();

  /** Reads and follows the user table in {@code doc}'s root map {@code "users"}. */
  public PermanentUserData(Doc doc) {
    this(doc, doc.getMap(DEFAULT_ROOT));
  }

  /**
   * Reads and follows the user table stored in {@code storeType}, a map that is part of {@code
   * doc}.
   */
  public PermanentUserData(Doc doc, YMap storeType) {
    this.doc = Objects.requireNonNull(doc, "doc");
    this.users = Objects.requireNonNull(storeType, "storeType");
    if (storeType.doc() != doc) {
      throw new IllegalArgumentException(
          "storeType must be a map integrated into the given doc "
              + "(use doc.getMap(name) or a map already inserted into it)");
    }
    doc.lock.lock();
    try {
      subscriptions.add(
          storeType.observe(
              event -> {
                for (String description : event.keysChanged()) {
                  trackUser(storeType.get(description), description);
                }
              }));
      for (String description : storeType.keys()) {
        trackUser(storeType.get(description), description);
      }
    } finally {
      doc.lock.unlock();
    }
  }

  /** Starts following one user entry: its client ids and its recorded delete sets. */
  private void trackUser(Object entry, String description) {
    if (!(entry instanceof YMap)) {
      return;
    }
    YMap user = (YMap) entry;
    Object ds = user.get("ds");
    Object ids = user.get("ids");
    if (!(ds instanceof YArray) || !(ids instanceof YArray)) {
      return;
    }
    YArray dsArray = (YArray) ds;
    YArray idsArray = (YArray) ids;
    subscriptions.add(
        dsArray.observe(
            event -> {
              for (Object value : addedValues(event)) {
                DeleteSet d = decode(value);
                if (d != null) {
                  DeleteSet known = deletions.get(description);
                  deletions.put(
                      description,
                      DeleteSet.merge(List.of(known != null ? known : new DeleteSet(), d)));
                }
              }
            }));
    List<DeleteSet> recorded = new ArrayList<>();
    for (Object value : dsArray.toArray()) {
      DeleteSet d = decode(value);
      if (d != null) {
        recorded.add(d);
      }
    }
    deletions.put(description, DeleteSet.merge(recorded));
    subscriptions.add(
        idsArray.observe(
            event -> {
              for (Object value : addedValues(event)) {
                addClient(value, description);
              }
            }));
    for (Object value : idsArray.toArray()) {
      addClient(value, description);
    }
  }

  /**
   * The values of the items an array event added, in document order (Yjs's changes.added order).
   */
  private static List<Object> addedValues(YArrayEvent event) {
    List<Object> out = new ArrayList<>();
    for (Item item = event.target().start; item != null; item = item.right) {
      if (!item.isDeleted() && event.adds(item)) {
        out.addAll(item.content.getContent());
      }
    }
    return out;
  }

  private void addClient(Object value, String description) {
    if (value instanceof Number) {
      double d = ((Number) value).doubleValue();
      if (d >= 0 && d <= 0xFFFFFFFFL && d == Math.rint(d)) {
        clients.put((long) d, description);
      }
    }
  }

  /** A client id as the number type a decoder reads back (Integer up to 2^31-1, else Double). */
  private static Object idValue(long clientId) {
    return clientId <= Integer.MAX_VALUE ? (Object) (int) clientId : (Object) (double) clientId;
  }

  private static DeleteSet decode(Object value) {
    if (!(value instanceof byte[])) {
      return null;
    }
    try {
      return DeleteSet.read(new UpdateDecoderV1(new Lib0Decoder((byte[]) value)));
    } catch (RuntimeException malformed) {
      return null;
    }
  }

  private static byte[] encode(DeleteSet ds) {
    UpdateEncoderV1 encoder = new UpdateEncoderV1();
    ds.write(encoder);
    return encoder.toByteArray();
  }

  /** {@link #setUserMapping(Doc, long, String, BiPredicate)} recording every local deletion. */
  public void setUserMapping(Doc doc, long clientId, String userDescription) {
    setUserMapping(doc, clientId, userDescription, (tr, ds) -> true);
  }

  /**
   * Records {@code clientId} as {@code userDescription} (creating the user entry if needed) and
   * from now on appends the delete set of every local transaction on {@code doc} that deleted
   * something and passes {@code filter} to that user's {@code ds}. Usually {@code doc} is this
   * instance's doc and {@code clientId} its {@link Doc#clientId()}. The filter gets the transaction
   * and its delete set, both valid only during the call. When {@code doc} is not this instance's
   * doc, both locks are taken (this instance's first), and the deletions are appended to this
   * instance's table.
   */
  public void setUserMapping(
      Doc doc, long clientId, String userDescription, BiPredicate<Transaction, DeleteSet> filter) {
    Objects.requireNonNull(doc, "doc");
    Objects.requireNonNull(userDescription, "userDescription");
    Objects.requireNonNull(filter, "filter");
    if (clientId < 0 || clientId > 0xFFFFFFFFL) {
      throw new IllegalArgumentException("client id must be a uint32 (0..4294967295): " + clientId);
    }
    this.doc.lock.lock();
    doc.lock.lock();
    try {
      Object existing = users.get(userDescription);
      YMap created;
      if (existing instanceof YMap) {
        created = (YMap) existing;
      } else {
        created = new YMap();
        created.set("ids", new YArray());
        created.set("ds", new YArray());
        users.set(userDescription, created); // one transaction, as in Yjs
      }
      YMap[] user = {created};
      ((YArray) created.get("ids"))
          .push(List.of(idValue(clientId))); // a second transaction, as in Yjs
      subscriptions.add(
          users.observe(
              event -> {
                Object now = users.get(userDescription);
                if (now != user[0] && now instanceof YMap) {
                  // A concurrent entry for this description won: copy our knowledge over into it.
                  user[0] = (YMap) now;
                  Object ids = user[0].get("ids");
                  Object ds = user[0].get("ds");
                  if (!(ids instanceof YArray) || !(ds instanceof YArray)) {
                    return;
                  }
                  for (Map.Entry<Long, String> e : new ArrayList<>(clients.entrySet())) {
                    if (userDescription.equals(e.getValue())) {
                      ((YArray) ids).push(List.of(idValue(e.getKey())));
                    }
                  }
                  DeleteSet known = deletions.get(userDescription);
                  if (known != null) {
                    ((YArray) ds).push(List.of(encode(known)));
                  }
                }
              }));
      subscriptions.add(
          doc.onAfterTransaction(
              tr -> {
                DeleteSet ds = tr.deleteSet;
                Object target = user[0].get("ds");
                if (tr.local && !ds.isEmpty() && target instanceof YArray && filter.test(tr, ds)) {
                  ((YArray) target).push(List.of(encode(ds)));
                }
              }));
    } finally {
      doc.lock.unlock();
      this.doc.lock.unlock();
    }
  }

  /**
   * The user description recorded for {@code clientId}, or null (also for an empty description, as
   * in Yjs).
   */
  public String getUserByClientId(long clientId) {
    doc.lock.lock();
    try {
      String description = clients.get(clientId);
      return description == null || description.isEmpty() ? null : description;
    } finally {
      doc.lock.unlock();
    }
  }

  /** The first user (in order of appearance) whose recorded deletions cover {@code id}, or null. */
  public String getUserByDeletedId(ID id) {
    Objects.requireNonNull(id, "id");
    doc.lock.lock();
    try {
      for (Map.Entry<String, DeleteSet> e : deletions.entrySet()) {
        if (e.getValue().isDeleted(id)) {
          return e.getKey();
        }
      }
      return null;
    } finally {
      doc.lock.unlock();
    }
  }

  /** The map holding the user table. */
  public YMap storeType() {
    return users;
  }

  /**
   * Stops following the document and recording deletions; answers keep the state reached so far.
   */
  @Override
  public void close() {
    doc.lock.lock();
    try {
      for (Subscription s : subscriptions) {
        s.close();
      }
      subscriptions.clear();
    } finally {
      doc.lock.unlock();
    }
  }
}
