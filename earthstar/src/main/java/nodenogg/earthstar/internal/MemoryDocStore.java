package nodenogg.earthstar.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import nodenogg.earthstar.EsDocument;

/** Documents and attachments in memory (tests, {@code --memory}); lost on close. Thread-safe. */
public final class MemoryDocStore implements DocStore {
  private final Map<String, Map<String, EsDocument>> docs = new HashMap<>();
  private final Map<String, Map<String, byte[]>> attachments = new HashMap<>();

  private static String key(String path, String author) {
    return path + '|' + author;
  }

  @Override
  public synchronized void loadAll(String share, Consumer<EsDocument> sink) {
    Map<String, EsDocument> m = docs.get(share);
    if (m != null) {
      new ArrayList<>(m.values()).forEach(sink);
    }
  }

  @Override
  public synchronized EsDocument read(String share, String path, String author) {
    Map<String, EsDocument> m = docs.get(share);
    return m == null ? null : m.get(key(path, author));
  }

  @Override
  public synchronized byte[] readAttachment(String share, String hash) {
    Map<String, byte[]> m = attachments.get(share);
    byte[] b = m == null ? null : m.get(hash);
    return b == null ? null : b.clone();
  }

  @Override
  public synchronized boolean hasAttachment(String share, String hash) {
    Map<String, byte[]> m = attachments.get(share);
    return m != null && m.containsKey(hash);
  }

  @Override
  public synchronized List<String> attachmentHashes(String share) {
    Map<String, byte[]> m = attachments.get(share);
    return m == null ? List.of() : new ArrayList<>(m.keySet());
  }

  @Override
  public synchronized List<String> shares() {
    List<String> out = new ArrayList<>();
    docs.forEach(
        (share, m) -> {
          if (!m.isEmpty()) {
            out.add(share);
          }
        });
    return out;
  }

  @Override
  public synchronized CompletableFuture<Void> submit(List<Write> writes) {
    for (Write w : writes) {
      if (w instanceof PutDoc p) {
        docs.computeIfAbsent(p.share(), k -> new HashMap<>())
            .put(key(p.doc().path(), p.doc().author()), p.doc());
      } else if (w instanceof DeleteDoc d) {
        Map<String, EsDocument> m = docs.get(d.share());
        if (m != null) {
          m.remove(key(d.path(), d.author()));
        }
      } else if (w instanceof PutAttachment a) {
        attachments
            .computeIfAbsent(a.share(), k -> new HashMap<>())
            .put(a.hash(), a.bytes().clone());
      } else if (w instanceof DeleteAttachment a) {
        Map<String, byte[]> m = attachments.get(a.share());
        if (m != null) {
          m.remove(a.hash());
        }
      }
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public boolean durable() {
    return false;
  }

  @Override
  public void close() {}
}
