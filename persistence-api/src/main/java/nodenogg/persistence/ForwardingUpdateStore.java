package nodenogg.persistence;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * An {@link UpdateStore} that passes every call to another one: extend it and override what you
 * want to change (count appends, delay or fail them in a test, add metrics). Thread-safe if the
 * delegate is and the overrides are.
 */
public class ForwardingUpdateStore implements UpdateStore {

  private final UpdateStore delegate;

  public ForwardingUpdateStore(UpdateStore delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /** The store calls are passed to. */
  protected UpdateStore delegate() {
    return delegate;
  }

  @Override
  public UpdateFormat format() {
    return delegate.format();
  }

  @Override
  public CompletableFuture<Long> append(String document, byte[] update) {
    return delegate.append(document, update);
  }

  @Override
  public CompletableFuture<Void> flush() {
    return delegate.flush();
  }

  @Override
  public List<byte[]> load(String document) {
    return delegate.load(document);
  }

  @Override
  public Optional<byte[]> loadState(String document) {
    return delegate.loadState(document);
  }

  @Override
  public byte[] version(String document) {
    return delegate.version(document);
  }

  @Override
  public Optional<DocumentInfo> info(String document) {
    return delegate.info(document);
  }

  @Override
  public List<String> list() {
    return delegate.list();
  }

  @Override
  public Optional<DocumentInfo> compact(String document) {
    return delegate.compact(document);
  }

  @Override
  public boolean delete(String document) {
    return delegate.delete(document);
  }

  @Override
  public Map<String, String> metadata(String document) {
    return delegate.metadata(document);
  }

  @Override
  public void putMetadata(String document, String key, String value) {
    delegate.putMetadata(document, key, value);
  }

  @Override
  public CheckReport check() {
    return delegate.check();
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + delegate + "]";
  }
}
