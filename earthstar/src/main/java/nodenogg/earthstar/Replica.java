package nodenogg.earthstar;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import nodenogg.earthstar.internal.DocStore;
import nodenogg.earthstar.internal.Thumbnails;
import nodenogg.earthstar.internal.Xxh64;

/**
 * The documents of one share: every valid document it was given, one version per path and author
 * (the newest timestamp wins; on equal timestamps the lower signature, so every replica converges
 * whatever the order), with their attachments. Ephemeral documents vanish once expired. Documents
 * are validated before anything is stored, including that they belong to this share.
 *
 * <p>Obtained from {@link EarthstarStorage#replica}. Thread-safe: any thread may read and write;
 * writes are applied in one order, and {@link IngestResult#committed()} says when each is durable.
 */
public final class Replica {
  /** Source of local writes ({@link #set}). */
  public static final Object LOCAL =
      new Object() {
        @Override
        public String toString() {
          return "local";
        }
      };

  /** What the replica keeps in memory of a stored document (the text stays in the store). */
  public record Entry(
      String path,
      String author,
      long timestamp,
      String signature,
      Long deleteAfter,
      String attachmentHash,
      Long attachmentSize,
      long pathAuthorHash) {

    static Entry of(EsDocument d) {
      return new Entry(
          d.path(),
          d.author(),
          d.timestamp(),
          d.signature(),
          d.deleteAfter(),
          d.attachmentHash(),
          d.attachmentSize(),
          Xxh64.hash(d.path() + " " + d.author()));
    }

    /** The sync thumbnail: {@code "<timestamp> <hex xxh64(path + ' ' + author)>"}. */
    public String thumbnail() {
      return timestamp + " " + Xxh64.hex(pathAuthorHash);
    }

    boolean expired(long nowMicros) {
      return deleteAfter != null && deleteAfter < nowMicros;
    }

    boolean hasAttachment() {
      return attachmentHash != null && attachmentSize != null && attachmentSize > 0;
    }
  }

  private final String share;
  private final DocStore store;
  private final LongSupplier clock;

  /** path → author → entry. */
  private final TreeMap<String, Map<String, Entry>> byPath = new TreeMap<>();

  private final Map<Long, Entry> byHash = new HashMap<>();
  private final List<ReplicaListener> listeners = new CopyOnWriteArrayList<>();
  private long version;
  private Thumbnails.Snapshot snapshot;
  private int count;

  Replica(String share, DocStore store, LongSupplier clockMicros) {
    String problem = Addresses.checkShare(share);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    this.share = share;
    this.store = store;
    this.clock = clockMicros;
    store.loadAll(
        share,
        d -> {
          Entry e = Entry.of(d);
          Entry old = byPath.computeIfAbsent(d.path(), k -> new HashMap<>()).put(d.author(), e);
          if (old == null) {
            count++;
          }
          byHash.put(e.pathAuthorHash(), e);
        });
  }

  public String share() {
    return share;
  }

  /** Whether writes survive a crash (SQLite store). */
  public boolean durable() {
    return store.durable();
  }

  long now() {
    return clock.getAsLong();
  }

  public ReplicaListener addListener(ReplicaListener l) {
    listeners.add(l);
    return l;
  }

  public void removeListener(ReplicaListener l) {
    listeners.remove(l);
  }

  /**
   * Validates and stores a document. Never throws for a bad document: the result says why it was
   * not stored.
   *
   * @param source who brought it (handed to listeners, so a sync does not echo a document back)
   */
  public IngestResult ingest(EsDocument doc, Object source) {
    try {
      Es5.check(doc, share, now());
    } catch (InvalidDocumentException e) {
      return IngestResult.invalid(e, doc);
    }
    return store(doc, null, source);
  }

  private IngestResult store(EsDocument doc, byte[] attachment, Object source) {
    CompletableFuture<Void> committed;
    synchronized (this) {
      Map<String, Entry> authors = byPath.get(doc.path());
      Entry old = authors == null ? null : authors.get(doc.author());
      if (old != null && !old.expired(now())) {
        if (doc.timestamp() < old.timestamp()) {
          return new IngestResult(
              IngestResult.Outcome.OBSOLETE,
              null,
              "a newer version is stored",
              doc,
              IngestResult.DONE);
        }
        if (doc.timestamp() == old.timestamp()) {
          int c = doc.signature().compareTo(old.signature());
          if (c == 0) {
            return new IngestResult(
                IngestResult.Outcome.ALREADY_HAD, null, "already stored", doc, IngestResult.DONE);
          }
          if (c > 0) {
            return new IngestResult(
                IngestResult.Outcome.OBSOLETE,
                null,
                "a version with the same timestamp and a lower signature is stored",
                doc,
                IngestResult.DONE);
          }
        }
      }
      Entry e = Entry.of(doc);
      if (authors == null) {
        authors = new HashMap<>();
        byPath.put(doc.path(), authors);
      }
      if (authors.put(doc.author(), e) == null) {
        count++;
      }
      byHash.put(e.pathAuthorHash(), e);
      version++;
      snapshot = null;
      List<DocStore.Write> writes = new ArrayList<>(2);
      if (attachment != null) {
        writes.add(new DocStore.PutAttachment(share, doc.attachmentHash(), attachment));
      }
      writes.add(new DocStore.PutDoc(share, doc));
      committed = store.submit(writes);
    }
    CompletableFuture<Void> notified =
        committed.thenRun(
            () -> {
              for (ReplicaListener l : listeners) {
                l.onDocument(doc, source);
                if (attachment != null) {
                  l.onAttachment(doc, source);
                }
              }
            });
    return new IngestResult(IngestResult.Outcome.ACCEPTED, null, "stored", doc, notified);
  }

  /**
   * Stores the attachment of a stored (or valid) document after checking its bytes against the
   * document's {@code attachmentHash} and {@code attachmentSize}.
   *
   * @throws InvalidDocumentException when the document is invalid or the bytes do not match it
   *     ({@link Rejection#ATTACHMENT_MISMATCH}); nothing is stored then
   */
  public CompletableFuture<Void> ingestAttachment(EsDocument doc, byte[] bytes, Object source)
      throws InvalidDocumentException {
    Es5.check(doc, share, now());
    if (!doc.hasAttachment()) {
      throw new InvalidDocumentException(
          Rejection.ATTACHMENT_FIELDS, doc.describe() + " has no attachment");
    }
    if (bytes.length != doc.attachmentSize()
        || !Keys.sha256Base32(bytes).equals(doc.attachmentHash())) {
      throw new InvalidDocumentException(
          Rejection.ATTACHMENT_MISMATCH,
          "attachment bytes of "
              + doc.describe()
              + " do not match its hash and size ("
              + bytes.length
              + " bytes, expected "
              + doc.attachmentSize()
              + ")");
    }
    CompletableFuture<Void> committed;
    synchronized (this) {
      committed =
          store.submit(List.of(new DocStore.PutAttachment(share, doc.attachmentHash(), bytes)));
    }
    return committed.thenRun(() -> listeners.forEach(l -> l.onAttachment(doc, source)));
  }

  /** Whether the attachment of {@code doc} is stored here. */
  public boolean hasAttachment(EsDocument doc) {
    return doc.hasAttachment() && store.hasAttachment(share, doc.attachmentHash());
  }

  /** The attachment bytes of {@code doc}, if stored. */
  public Optional<byte[]> attachment(EsDocument doc) {
    if (!doc.hasAttachment() || doc.isExpired(now())) {
      return Optional.empty();
    }
    return Optional.ofNullable(store.readAttachment(share, doc.attachmentHash()));
  }

  /**
   * Writes a document as {@code author}: the timestamp is now, or just after the newest version at
   * this path so the write wins.
   *
   * @param shareSecret the share's secret (writing needs it)
   * @param deleteAfter microseconds, for an ephemeral document; null otherwise
   * @param attachment bytes for a path with a file extension, or null
   * @throws InvalidDocumentException when the document would break a rule (nothing is written)
   */
  public IngestResult set(
      AuthorKeypair author,
      String shareSecret,
      String path,
      String text,
      Long deleteAfter,
      byte[] attachment)
      throws InvalidDocumentException {
    long ts = now();
    synchronized (this) {
      Optional<Entry> latest = latestEntry(path);
      if (latest.isPresent() && latest.get().timestamp() >= ts) {
        ts = latest.get().timestamp() + 1;
      }
    }
    EsDocument doc = Es5.write(author, share, shareSecret, path, text, ts, deleteAfter, attachment);
    Es5.check(doc, share, now());
    IngestResult r = store(doc, attachment, LOCAL);
    if (r.outcome() != IngestResult.Outcome.ACCEPTED) {
      throw new IllegalStateException("a fresh write was not stored: " + r.message());
    }
    return r;
  }

  private Optional<Entry> latestEntry(String path) {
    Map<String, Entry> authors = byPath.get(path);
    if (authors == null) {
      return Optional.empty();
    }
    long now = now();
    return authors.values().stream().filter(e -> !e.expired(now)).min(NEWEST_FIRST);
  }

  /** Newest first; equal timestamps: lower signature first. */
  static final Comparator<Entry> NEWEST_FIRST =
      Comparator.comparingLong(Entry::timestamp).reversed().thenComparing(Entry::signature);

  /** The version of {@code author} at {@code path}, if stored and not expired. */
  public Optional<EsDocument> get(String path, String author) {
    synchronized (this) {
      Map<String, Entry> authors = byPath.get(path);
      Entry e = authors == null ? null : authors.get(author);
      if (e == null || e.expired(now())) {
        return Optional.empty();
      }
    }
    return Optional.ofNullable(readLive(path, author));
  }

  private EsDocument readLive(String path, String author) {
    EsDocument d = store.read(share, path, author);
    return d == null || d.isExpired(now()) ? null : d;
  }

  /** The newest version at {@code path} by any author. */
  public Optional<EsDocument> latest(String path) {
    Optional<Entry> e;
    synchronized (this) {
      e = latestEntry(path);
    }
    return e.map(x -> readLive(x.path(), x.author()));
  }

  /** Documents matching {@code q} (expired ones never). */
  public List<EsDocument> query(Query q) {
    List<Entry> entries = entries(q);
    List<EsDocument> out = new ArrayList<>(entries.size());
    for (Entry e : entries) {
      EsDocument d = readLive(e.path(), e.author());
      if (d != null) {
        out.add(d);
      }
    }
    return out;
  }

  /** Index entries matching {@code q}, ordered as {@link #query}. */
  public synchronized List<Entry> entries(Query q) {
    long now = now();
    List<Entry> out = new ArrayList<>();
    Map<String, Map<String, Entry>> paths =
        q.pathPrefix() == null || q.pathPrefix().isEmpty()
            ? byPath
            : byPath.subMap(q.pathPrefix(), true, q.pathPrefix() + Character.MAX_VALUE, false);
    for (Map<String, Entry> authors : paths.values()) {
      List<Entry> versions = new ArrayList<>();
      for (Entry e : authors.values()) {
        if (!e.expired(now)) {
          versions.add(e);
        }
      }
      versions.sort(NEWEST_FIRST);
      if (q.latestOnly() && !versions.isEmpty()) {
        versions = versions.subList(0, 1);
      }
      for (Entry e : versions) {
        if (q.author() == null || q.author().equals(e.author())) {
          out.add(e);
        }
      }
    }
    return out;
  }

  /** Number of stored documents (versions), expired ones included until pruned. */
  public synchronized int size() {
    return count;
  }

  /** Changes so far (every accepted write and expiry adds one). */
  public synchronized long version() {
    return version;
  }

  /**
   * The newest stored document of the path and author whose thumbnail hash is {@code hex}, if any.
   */
  public Optional<EsDocument> byPathAuthorHash(String hex) {
    long h;
    try {
      h = Long.parseUnsignedLong(hex, 16);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    Entry e;
    synchronized (this) {
      e = byHash.get(h);
    }
    return e == null ? Optional.empty() : get(e.path(), e.author());
  }

  /** The index entry for a thumbnail hash, if any and not expired. */
  public synchronized Optional<Entry> entryByPathAuthorHash(long hash) {
    Entry e = byHash.get(hash);
    return e == null || e.expired(now()) ? Optional.empty() : Optional.of(e);
  }

  /** A sorted, immutable view of every live document's thumbnail, for reconciliation. */
  public synchronized Thumbnails.Snapshot snapshot() {
    if (snapshot == null) {
      long now = now();
      List<Entry> live = new ArrayList<>(count);
      for (Map<String, Entry> authors : byPath.values()) {
        for (Entry e : authors.values()) {
          if (!e.expired(now)) {
            live.add(e);
          }
        }
      }
      snapshot = Thumbnails.snapshot(live);
    }
    return snapshot;
  }

  /**
   * Removes expired ephemeral documents and attachments no stored document refers to.
   *
   * @return how many documents were removed
   */
  public int pruneExpired() {
    List<EsDocument> expired = new ArrayList<>();
    CompletableFuture<Void> committed;
    synchronized (this) {
      long now = now();
      List<DocStore.Write> writes = new ArrayList<>();
      for (Map<String, Entry> authors : byPath.values()) {
        for (Entry e : new ArrayList<>(authors.values())) {
          if (e.expired(now)) {
            EsDocument d = store.read(share, e.path(), e.author());
            if (d != null) {
              expired.add(d);
            }
            authors.remove(e.author());
            byHash.remove(e.pathAuthorHash(), e);
            count--;
            writes.add(new DocStore.DeleteDoc(share, e.path(), e.author()));
          }
        }
      }
      byPath.values().removeIf(Map::isEmpty);
      Set<String> referenced = new HashSet<>();
      for (Map<String, Entry> authors : byPath.values()) {
        for (Entry e : authors.values()) {
          if (e.attachmentHash() != null) {
            referenced.add(e.attachmentHash());
          }
        }
      }
      for (String h : store.attachmentHashes(share)) {
        if (!referenced.contains(h)) {
          writes.add(new DocStore.DeleteAttachment(share, h));
        }
      }
      if (writes.isEmpty()) {
        return 0;
      }
      version++;
      snapshot = null;
      committed = store.submit(writes);
    }
    committed.thenRun(() -> expired.forEach(d -> listeners.forEach(l -> l.onExpired(d))));
    return expired.size();
  }

  @Override
  public String toString() {
    return "Replica[" + share + ", " + size() + " documents]";
  }

  static byte[] copy(byte[] b) {
    return b == null ? null : Arrays.copyOf(b, b.length);
  }
}
