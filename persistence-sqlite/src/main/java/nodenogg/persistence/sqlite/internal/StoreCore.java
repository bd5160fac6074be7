package nodenogg.persistence.sqlite.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import nodenogg.persistence.CheckReport;
import nodenogg.persistence.CorruptDocumentException;
import nodenogg.persistence.DocumentInfo;
import nodenogg.persistence.StoreException;
import nodenogg.persistence.UpdateFormat;
import nodenogg.persistence.sqlite.StoreOptions;
import org.sqlite.JDBC;

/**
 * Implementation behind {@code SqliteUpdateStore}: opens the file, then turns each public operation
 * into work for the {@link Writer} (one thread, one connection, group commit) and the {@link
 * Compactor}. Appends are checked by their format on the caller's thread, then queued; everything
 * else runs on the writer and the caller waits for it. Several formats may share one file: every
 * operation names the format of the store view it came from, and a document name belongs to one
 * format.
 */
public final class StoreCore {

  private final Writer writer;
  private final Compactor compactor;

  private StoreCore(Writer writer) {
    this.writer = writer;
    this.compactor = new Compactor(writer);
  }

  /**
   * Opens the store (creating and migrating the file as needed); see {@code
   * SqliteUpdateStore.open}.
   */
  public static StoreCore open(Path file, StoreOptions options, StoreHooks hooks) {
    Path abs = file.toAbsolutePath();
    try {
      if (abs.getParent() != null) {
        Files.createDirectories(abs.getParent());
      }
    } catch (IOException e) {
      throw new StoreException("cannot create the directory of " + abs + ": " + e, e);
    }
    Connection c = null;
    try {
      c = hooks.wrap(JDBC.createConnection("jdbc:sqlite:" + abs, new Properties()));
      Queries.configure(c, abs, options);
      Schema.migrate(c, abs.toString(), Schema.CURRENT);
      StoreCore core = new StoreCore(new Writer(abs, options, hooks, c));
      core.register(options.format());
      core.writer.start(core.compactor);
      return core;
    } catch (SQLException e) {
      closeQuietly(c);
      if (SqliteErrors.isCorruption(e)) {
        throw new StoreException(
            abs
                + " is not a readable SQLite database ("
                + e.getMessage()
                + "); restore it from a backup or move it away to start empty",
            e);
      }
      throw new StoreException("cannot open the update store " + abs + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeQuietly(c);
      throw e;
    }
  }

  /** Makes a format known, so its documents can be appended to, checked and compacted. */
  public void register(UpdateFormat format) {
    writer.register(format);
  }

  private static void checkName(String doc) {
    if (doc == null || doc.isEmpty()) {
      throw new IllegalArgumentException("document name must be a non-empty string");
    }
  }

  /** On the writer: whether {@code doc} exists; a document stored in another format is an error. */
  private boolean exists(UpdateFormat format, String doc) throws SQLException {
    Optional<String> stored = Queries.formatOf(writer.conn, doc);
    if (stored.isPresent() && !stored.get().equals(format.name())) {
      throw new StoreException(
          "document '"
              + doc
              + "' is stored as "
              + stored.get()
              + " updates, not "
              + format.name()
              + " (open the store with that format to read it)");
    }
    return stored.isPresent();
  }

  // ---------------------------------------------------------------- operations

  public CompletableFuture<Long> append(UpdateFormat format, String doc, byte[] update) {
    checkName(doc);
    if (update == null) {
      throw new NullPointerException("update");
    }
    if (writer.closed()) {
      return CompletableFuture.failedFuture(writer.closedError());
    }
    byte[] copy = update.clone();
    UpdateFormat.Coverage covered;
    try {
      covered = format.check(copy);
    } catch (StoreException e) {
      return CompletableFuture.failedFuture(e);
    }
    Writer.Append a = new Writer.Append(format, doc, copy, covered);
    writer.enqueue(a, a.future);
    return a.future;
  }

  public CompletableFuture<Void> flush() {
    Writer.Op<Void> op = new Writer.Op<>(() -> null, true);
    if (writer.closed()) {
      return CompletableFuture.failedFuture(writer.closedError());
    }
    writer.enqueue(op, op.future);
    return op.future;
  }

  public List<byte[]> load(UpdateFormat format, String doc) {
    checkName(doc);
    return writer.call(
        () -> exists(format, doc) ? Queries.readLog(writer.conn, doc).rows : List.<byte[]>of());
  }

  public Optional<byte[]> loadState(UpdateFormat format, String doc) {
    if (!format.canMerge()) {
      throw new StoreException(
          "the "
              + format.name()
              + " format cannot merge updates, so there is no single state to load");
    }
    List<byte[]> rows = load(format, doc);
    if (rows.isEmpty() && info(format, doc).isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(Compactor.merge(format, doc, rows).update());
  }

  public byte[] version(UpdateFormat format, String doc) {
    checkName(doc);
    byte[] v = writer.call(() -> exists(format, doc) ? Queries.version(writer.conn, doc) : null);
    return v == null ? format.emptyCoverage().version() : v;
  }

  public Optional<DocumentInfo> info(UpdateFormat format, String doc) {
    checkName(doc);
    return writer.call(
        () ->
            exists(format, doc) ? Queries.info(writer.conn, doc) : Optional.<DocumentInfo>empty());
  }

  public List<String> list(UpdateFormat format) {
    return writer.call(() -> Queries.names(writer.conn, format.name()));
  }

  /** Every document of every format: name to format name, sorted by name. */
  public Map<String, String> formats() {
    return writer.call(() -> Queries.formats(writer.conn));
  }

  public boolean delete(UpdateFormat format, String doc) {
    checkName(doc);
    return writer.call(
        () -> {
          boolean[] deleted = {false};
          writer.inTransaction(
              () -> {
                deleted[0] = exists(format, doc) && Queries.deleteDocument(writer.conn, doc);
                return null;
              },
              () -> writer.forget(doc));
          return deleted[0];
        });
  }

  public void clear(UpdateFormat format) {
    writer.call(
        () ->
            writer.inTransaction(
                () -> {
                  Queries.deleteDocuments(writer.conn, format.name());
                  return null;
                },
                () -> writer.forgetAll(format.name())));
  }

  public Map<String, String> metadata(UpdateFormat format, String doc) {
    checkName(doc);
    return writer.call(
        () -> exists(format, doc) ? Queries.metadata(writer.conn, doc) : Map.<String, String>of());
  }

  public void putMetadata(UpdateFormat format, String doc, String key, String value) {
    checkName(doc);
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("metadata key must be a non-empty string");
    }
    writer.call(
        () -> {
          DocState[] created = {null};
          return writer.inTransaction(
              () -> {
                DocState s = writer.cached(doc);
                if (s == null) {
                  UpdateFormat.Coverage empty = format.emptyCoverage();
                  s =
                      new DocState(
                          Queries.insertDocument(
                              writer.conn,
                              doc,
                              format.name(),
                              empty.version(),
                              empty.encode(),
                              System.currentTimeMillis()),
                          doc,
                          format.name());
                  s.coverage = empty;
                  created[0] = s;
                } else if (!s.format.equals(format.name())) {
                  throw new StoreException(
                      "document '"
                          + doc
                          + "' is stored as "
                          + s.format
                          + " updates, not "
                          + format.name());
                }
                Queries.putMetadata(writer.conn, s.id, key, value);
                return null;
              },
              () -> {
                if (created[0] != null) {
                  writer.remember(created[0]);
                }
              });
        });
  }

  public Optional<DocumentInfo> compact(UpdateFormat format, String doc) {
    checkName(doc);
    CompletableFuture<Optional<DocumentInfo>> done = new CompletableFuture<>();
    writer.call(
        () -> {
          if (!exists(format, doc)) {
            done.complete(Optional.empty());
          } else {
            compactor.start(doc, done);
          }
          return null;
        });
    return Writer.await(done);
  }

  /**
   * {@code PRAGMA integrity_check}, then every document of {@code format} read back and checked row
   * by row.
   */
  public CheckReport check(UpdateFormat format) {
    List<String> integrity;
    try {
      integrity = writer.call(() -> Queries.integrityCheck(writer.conn));
    } catch (StoreException e) {
      integrity = List.of("integrity_check could not run: " + e.getMessage());
    }
    List<String> names;
    try {
      names = list(format);
    } catch (StoreException e) {
      return new CheckReport(integrity, 0, Map.of("*", "cannot list documents: " + e.getMessage()));
    }
    Map<String, String> damaged = new LinkedHashMap<>();
    for (String name : names) {
      try {
        List<byte[]> rows = load(format, name);
        for (int i = 0; i < rows.size(); i++) {
          try {
            format.check(rows.get(i));
          } catch (StoreException e) {
            throw new CorruptDocumentException(
                name, "stored update #" + (i + 1) + " is malformed: " + e.getMessage(), e);
          }
        }
      } catch (StoreException e) {
        damaged.put(name, e.getMessage());
      }
    }
    return new CheckReport(integrity, names.size(), damaged);
  }

  public Map<String, String> settings() {
    return writer.call(
        () -> {
          Map<String, String> m = Queries.settings(writer.conn);
          m.put("background_checkpoint", Boolean.toString(writer.checkpointsInBackground()));
          m.put("schema_version", Integer.toString(Schema.version(writer.conn)));
          return m;
        });
  }

  public Path file() {
    return writer.file;
  }

  public StoreOptions options() {
    return writer.options;
  }

  public void close() {
    writer.close();
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c != null) {
      try {
        c.close();
      } catch (Exception ignored) {
        // closing
      }
    }
  }
}
