package nodenogg.persistence.sqlite.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import nodenogg.persistence.sqlite.CheckReport;
import nodenogg.persistence.sqlite.DocumentInfo;
import nodenogg.persistence.sqlite.StoreOptions;

/** Implementation behind {@code SqliteUpdateStore} (work in progress). */
public final class StoreCore {
  private final Path file;
  private final StoreOptions options;

  private StoreCore(Path file, StoreOptions options) {
    this.file = file;
    this.options = options;
  }

  public static StoreCore open(Path file, StoreOptions options, StoreHooks hooks) {
    return new StoreCore(file, options);
  }

  public CompletableFuture<Long> append(String doc, byte[] update) { throw new UnsupportedOperationException("not yet"); }
  public CompletableFuture<Void> flush() { throw new UnsupportedOperationException("not yet"); }
  public List<byte[]> loadUpdates(String doc) { throw new UnsupportedOperationException("not yet"); }
  public Optional<byte[]> loadState(String doc) { throw new UnsupportedOperationException("not yet"); }
  public byte[] stateVector(String doc) { throw new UnsupportedOperationException("not yet"); }
  public Map<Long, Long> stateVectorMap(String doc) { throw new UnsupportedOperationException("not yet"); }
  public Optional<DocumentInfo> info(String doc) { throw new UnsupportedOperationException("not yet"); }
  public List<String> listDocuments() { throw new UnsupportedOperationException("not yet"); }
  public boolean deleteDocument(String doc) { throw new UnsupportedOperationException("not yet"); }
  public void clear() { throw new UnsupportedOperationException("not yet"); }
  public Map<String, String> metadata(String doc) { throw new UnsupportedOperationException("not yet"); }
  public void putMetadata(String doc, String key, String value) { throw new UnsupportedOperationException("not yet"); }
  public Optional<DocumentInfo> compact(String doc) { throw new UnsupportedOperationException("not yet"); }
  public CheckReport check() { throw new UnsupportedOperationException("not yet"); }
  public Map<String, String> settings() { throw new UnsupportedOperationException("not yet"); }
  public Path file() { return file; }
  public StoreOptions options() { return options; }
  public void close() {}
}
