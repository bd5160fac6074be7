package nodenogg.earthstar.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import nodenogg.earthstar.EsDocument;

/**
 * Where a replica keeps its documents and attachments. Writes are applied in submission order; the
 * returned future completes once they are durable (for a durable store). A read sees every write
 * submitted before it, committed or not. Implementations are thread-safe.
 */
public interface DocStore extends AutoCloseable {

  /** One change. */
  sealed interface Write permits PutDoc, DeleteDoc, PutAttachment, DeleteAttachment {}

  record PutDoc(String share, EsDocument doc) implements Write {}

  record DeleteDoc(String share, String path, String author) implements Write {}

  record PutAttachment(String share, String hash, byte[] bytes) implements Write {}

  record DeleteAttachment(String share, String hash) implements Write {}

  /** Every stored document of a share, in no particular order. */
  void loadAll(String share, Consumer<EsDocument> sink);

  /** The stored document of {@code author} at {@code path}, or null. */
  EsDocument read(String share, String path, String author);

  /** The attachment bytes, or null. */
  byte[] readAttachment(String share, String hash);

  boolean hasAttachment(String share, String hash);

  /** Hashes of every stored attachment of a share. */
  List<String> attachmentHashes(String share);

  /** Shares that have stored documents. */
  List<String> shares();

  /** Applies the writes in order, atomically; completes when durable. */
  CompletableFuture<Void> submit(List<Write> writes);

  /** Whether writes survive a crash of the process. */
  boolean durable();

  @Override
  void close();
}
