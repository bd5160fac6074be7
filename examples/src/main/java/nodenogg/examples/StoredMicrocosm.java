package nodenogg.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionException;
import nodenogg.microcosm.HtmlData;
import nodenogg.microcosm.spi.UpdatePersistence;
import nodenogg.persistence.sqlite.SqliteUpdateStore;
import nodenogg.ymicrocosm.MicrocosmOptions;
import nodenogg.ymicrocosm.YMicrocosm;

/**
 * A microcosm kept in SQLite: every run adds one note, and the notes of earlier runs are loaded
 * again. Shows the storage SPI ({@link UpdatePersistence}) adapted to the SQLite update store.
 *
 * <p>Usage: {@code StoredMicrocosm [DATA_DIR]} (default: a new temporary directory).
 */
public final class StoredMicrocosm {
  /** A fixed identity, so every run edits the same collection. */
  static final String IDENTITY = "@storedexample001";

  private StoredMicrocosm() {}

  /** The SQLite store as a microcosm persistence. {@code append} returns once the update is durable. */
  public static UpdatePersistence persistence(SqliteUpdateStore store) {
    return new UpdatePersistence() {
      @Override
      public List<byte[]> load(String documentName) {
        return store.loadUpdates(documentName);
      }

      @Override
      public void append(String documentName, byte[] update) throws IOException {
        try {
          store.append(documentName, update).join();
        } catch (CompletionException e) {
          throw new IOException("SQLite did not store the update: " + e.getCause(), e.getCause());
        }
      }
    };
  }

  public static void main(String[] args) throws IOException {
    Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("microcosm-example");
    run(dir, System.out);
  }

  /** One run against the store in {@code dir}; returns how many notes the collection has now. */
  public static int run(Path dir, PrintStream out) {
    try (SqliteUpdateStore store = SqliteUpdateStore.openDirectory(dir);
        YMicrocosm m = YMicrocosm.open("storedexample", MicrocosmOptions.defaults().persistence(persistence(store)))) {
      int before = m.getCollection(IDENTITY).size();
      m.identify(IDENTITY);
      m.create(HtmlData.note(before * 220, 0, "<p>visit " + (before + 1) + "</p>"));
      int now = m.getCollection(IDENTITY).size();
      out.println("notes in " + store.file() + ": " + before + " before this run, " + now + " now");
      return now;
    }
  }
}
