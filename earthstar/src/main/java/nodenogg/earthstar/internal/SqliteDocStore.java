package nodenogg.earthstar.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import nodenogg.earthstar.EsDocument;
import nodenogg.earthstar.InvalidDocumentException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Documents and attachments in one SQLite file ({@code earthstar.db}): WAL, {@code
 * synchronous=FULL}, group commit on one writer thread (every write queued while a transaction
 * commits goes into the next one). A write's future completes after its COMMIT, so it survives kill
 * -9 and power loss. Reads use their own connection and see queued writes through an overlay until
 * they are committed. Thread-safe.
 */
public final class SqliteDocStore implements DocStore {
  private static final Logger LOG = LoggerFactory.getLogger(SqliteDocStore.class);

  /** File name inside the data directory. */
  public static final String FILE = "earthstar.db";

  private static final int SCHEMA_VERSION = 1;

  private final Path file;
  private final Connection writer;
  private final Connection reader;
  private final Thread writerThread;
  private final Object lock = new Object();
  private final List<Pending> queue = new ArrayList<>();

  /** Writes queued or committing, by key, so reads see them; removed once committed. */
  private final Map<String, Object> overlay = new HashMap<>();

  private final Map<String, Integer> overlayRefs = new HashMap<>();
  private boolean closed;
  private static final Object DELETED = new Object();

  private record Pending(List<Write> writes, CompletableFuture<Void> done) {}

  private SqliteDocStore(Path file) throws SQLException {
    this.file = file;
    this.writer = open(file);
    try (Statement s = writer.createStatement()) {
      s.execute("PRAGMA journal_mode=WAL");
      s.execute("PRAGMA synchronous=FULL");
      s.execute("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)");
      s.execute(
          "CREATE TABLE IF NOT EXISTS docs(share TEXT NOT NULL, path TEXT NOT NULL, author TEXT NOT NULL,"
              + " timestamp INTEGER NOT NULL, json TEXT NOT NULL, PRIMARY KEY(share, path, author)) WITHOUT ROWID");
      s.execute(
          "CREATE TABLE IF NOT EXISTS attachments(share TEXT NOT NULL, hash TEXT NOT NULL,"
              + " size INTEGER NOT NULL, bytes BLOB NOT NULL, PRIMARY KEY(share, hash)) WITHOUT ROWID");
      s.execute(
          "INSERT OR IGNORE INTO meta(key, value) VALUES ('schema', '" + SCHEMA_VERSION + "')");
    }
    try (Statement s = writer.createStatement();
        ResultSet rs = s.executeQuery("SELECT value FROM meta WHERE key='schema'")) {
      int v = rs.next() ? Integer.parseInt(rs.getString(1)) : 0;
      if (v != SCHEMA_VERSION) {
        throw new SQLException(
            file
                + " has Earthstar schema version "
                + v
                + "; this build reads version "
                + SCHEMA_VERSION
                + " (use the build that wrote it)");
      }
    }
    writer.setAutoCommit(false);
    this.reader = open(file);
    this.writerThread = new Thread(this::writeLoop, "earthstar-sqlite-writer");
    writerThread.setDaemon(true);
    writerThread.start();
  }

  /** Opens (creating if needed) {@code dir/earthstar.db}. */
  public static SqliteDocStore openDirectory(Path dir) {
    try {
      Files.createDirectories(dir);
      return new SqliteDocStore(dir.resolve(FILE));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the data directory " + dir, e);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot open the Earthstar store " + dir.resolve(FILE) + ": " + e.getMessage(), e);
    }
  }

  private static Connection open(Path file) throws SQLException {
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA busy_timeout=10000");
    }
    return c;
  }

  public Path file() {
    return file;
  }

  private static String docKey(String share, String path, String author) {
    return "d\u0000" + share + '\u0000' + path + '\u0000' + author;
  }

  private static String attKey(String share, String hash) {
    return "a\u0000" + share + '\u0000' + hash;
  }

  @Override
  public void loadAll(String share, Consumer<EsDocument> sink) {
    List<EsDocument> out = new ArrayList<>();
    synchronized (reader) {
      try (PreparedStatement ps = reader.prepareStatement("SELECT json FROM docs WHERE share=?")) {
        ps.setString(1, share);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(parse(rs.getString(1)));
          }
        }
      } catch (SQLException e) {
        throw new IllegalStateException("reading " + file + " failed: " + e.getMessage(), e);
      }
    }
    out.forEach(sink);
  }

  private EsDocument parse(String json) {
    try {
      return EsDocument.fromJson(json);
    } catch (InvalidDocumentException e) {
      throw new IllegalStateException(
          file + " holds a document that does not parse: " + e.getMessage(), e);
    }
  }

  @Override
  public EsDocument read(String share, String path, String author) {
    synchronized (lock) {
      Object o = overlay.get(docKey(share, path, author));
      if (o == DELETED) {
        return null;
      }
      if (o instanceof EsDocument d) {
        return d;
      }
    }
    synchronized (reader) {
      try (PreparedStatement ps =
          reader.prepareStatement("SELECT json FROM docs WHERE share=? AND path=? AND author=?")) {
        ps.setString(1, share);
        ps.setString(2, path);
        ps.setString(3, author);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? parse(rs.getString(1)) : null;
        }
      } catch (SQLException e) {
        throw new IllegalStateException("reading " + file + " failed: " + e.getMessage(), e);
      }
    }
  }

  @Override
  public byte[] readAttachment(String share, String hash) {
    synchronized (lock) {
      Object o = overlay.get(attKey(share, hash));
      if (o == DELETED) {
        return null;
      }
      if (o instanceof byte[] b) {
        return b.clone();
      }
    }
    synchronized (reader) {
      try (PreparedStatement ps =
          reader.prepareStatement("SELECT bytes FROM attachments WHERE share=? AND hash=?")) {
        ps.setString(1, share);
        ps.setString(2, hash);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? rs.getBytes(1) : null;
        }
      } catch (SQLException e) {
        throw new IllegalStateException("reading " + file + " failed: " + e.getMessage(), e);
      }
    }
  }

  @Override
  public boolean hasAttachment(String share, String hash) {
    synchronized (lock) {
      Object o = overlay.get(attKey(share, hash));
      if (o != null) {
        return o != DELETED;
      }
    }
    synchronized (reader) {
      try (PreparedStatement ps =
          reader.prepareStatement("SELECT 1 FROM attachments WHERE share=? AND hash=?")) {
        ps.setString(1, share);
        ps.setString(2, hash);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next();
        }
      } catch (SQLException e) {
        throw new IllegalStateException("reading " + file + " failed: " + e.getMessage(), e);
      }
    }
  }

  @Override
  public List<String> attachmentHashes(String share) {
    List<String> out = new ArrayList<>();
    synchronized (reader) {
      try (PreparedStatement ps =
          reader.prepareStatement("SELECT hash FROM attachments WHERE share=?")) {
        ps.setString(1, share);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(rs.getString(1));
          }
        }
      } catch (SQLException e) {
        throw new IllegalStateException("reading " + file + " failed: " + e.getMessage(), e);
      }
    }
    synchronized (lock) {
      String prefix = "a\u0000" + share + '\u0000';
      overlay.forEach(
          (k, v) -> {
            if (k.startsWith(prefix)) {
              String h = k.substring(prefix.length());
              if (v == DELETED) {
                out.remove(h);
              } else if (!out.contains(h)) {
                out.add(h);
              }
            }
          });
    }
    return out;
  }

  @Override
  public List<String> shares() {
    List<String> out = new ArrayList<>();
    synchronized (reader) {
      try (Statement s = reader.createStatement();
          ResultSet rs = s.executeQuery("SELECT DISTINCT share FROM docs ORDER BY share")) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      } catch (SQLException e) {
        throw new IllegalStateException("reading " + file + " failed: " + e.getMessage(), e);
      }
    }
    return out;
  }

  @Override
  public CompletableFuture<Void> submit(List<Write> writes) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    synchronized (lock) {
      if (closed) {
        done.completeExceptionally(
            new IllegalStateException("the Earthstar store " + file + " is closed"));
        return done;
      }
      for (Write w : writes) {
        String k = key(w);
        overlay.put(k, value(w));
        overlayRefs.merge(k, 1, Integer::sum);
      }
      queue.add(new Pending(List.copyOf(writes), done));
      lock.notifyAll();
    }
    return done;
  }

  private static String key(Write w) {
    if (w instanceof PutDoc p) {
      return docKey(p.share(), p.doc().path(), p.doc().author());
    } else if (w instanceof DeleteDoc d) {
      return docKey(d.share(), d.path(), d.author());
    } else if (w instanceof PutAttachment a) {
      return attKey(a.share(), a.hash());
    } else {
      DeleteAttachment a = (DeleteAttachment) w;
      return attKey(a.share(), a.hash());
    }
  }

  private static Object value(Write w) {
    if (w instanceof PutDoc p) {
      return p.doc();
    } else if (w instanceof PutAttachment a) {
      return a.bytes();
    }
    return DELETED;
  }

  private void writeLoop() {
    while (true) {
      List<Pending> batch;
      synchronized (lock) {
        while (queue.isEmpty() && !closed) {
          try {
            lock.wait();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
        if (queue.isEmpty()) {
          return;
        }
        batch = new ArrayList<>(queue);
        queue.clear();
      }
      Throwable failure = null;
      try {
        commit(batch);
      } catch (SQLException | RuntimeException e) {
        failure = e;
        LOG.error(
            "committing {} Earthstar write(s) to {} failed: {}",
            batch.size(),
            file,
            e.getMessage());
        try {
          writer.rollback();
        } catch (SQLException ignored) {
          // the connection is unusable; later writes fail the same way
        }
      }
      synchronized (lock) {
        for (Pending p : batch) {
          for (Write w : p.writes) {
            String k = key(w);
            int left = overlayRefs.merge(k, -1, Integer::sum);
            if (left <= 0) {
              overlayRefs.remove(k);
              overlay.remove(k);
            }
          }
        }
      }
      for (Pending p : batch) {
        if (failure == null) {
          p.done.complete(null);
        } else {
          p.done.completeExceptionally(failure);
        }
      }
    }
  }

  private void commit(List<Pending> batch) throws SQLException {
    try (PreparedStatement putDoc =
            writer.prepareStatement(
                "INSERT OR REPLACE INTO docs(share, path, author, timestamp, json) VALUES (?,?,?,?,?)");
        PreparedStatement delDoc =
            writer.prepareStatement("DELETE FROM docs WHERE share=? AND path=? AND author=?");
        PreparedStatement putAtt =
            writer.prepareStatement(
                "INSERT OR REPLACE INTO attachments(share, hash, size, bytes) VALUES (?,?,?,?)");
        PreparedStatement delAtt =
            writer.prepareStatement("DELETE FROM attachments WHERE share=? AND hash=?")) {
      for (Pending p : batch) {
        for (Write w : p.writes) {
          if (w instanceof PutDoc d) {
            putDoc.setString(1, d.share());
            putDoc.setString(2, d.doc().path());
            putDoc.setString(3, d.doc().author());
            putDoc.setLong(4, d.doc().timestamp());
            putDoc.setString(5, d.doc().toJson());
            putDoc.executeUpdate();
          } else if (w instanceof DeleteDoc d) {
            delDoc.setString(1, d.share());
            delDoc.setString(2, d.path());
            delDoc.setString(3, d.author());
            delDoc.executeUpdate();
          } else if (w instanceof PutAttachment a) {
            putAtt.setString(1, a.share());
            putAtt.setString(2, a.hash());
            putAtt.setLong(3, a.bytes().length);
            putAtt.setBytes(4, a.bytes());
            putAtt.executeUpdate();
          } else if (w instanceof DeleteAttachment a) {
            delAtt.setString(1, a.share());
            delAtt.setString(2, a.hash());
            delAtt.executeUpdate();
          }
        }
      }
    }
    writer.commit();
  }

  /** Completes once everything submitted so far is committed. */
  public CompletableFuture<Void> flush() {
    return submit(List.of());
  }

  @Override
  public boolean durable() {
    return true;
  }

  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      lock.notifyAll();
    }
    try {
      writerThread.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      writer.close();
      synchronized (reader) {
        reader.close();
      }
    } catch (SQLException e) {
      LOG.warn("closing {} failed: {}", file, e.getMessage());
    }
  }
}
