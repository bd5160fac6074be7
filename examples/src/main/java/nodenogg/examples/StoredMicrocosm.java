package nodenogg.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import nodenogg.microcosm.HtmlData;
import nodenogg.persistence.sqlite.SqliteUpdateStore;
import nodenogg.ymicrocosm.MicrocosmOptions;
import nodenogg.ymicrocosm.YMicrocosm;

/**
 * A microcosm kept in SQLite: every run adds one note, and the notes of earlier runs are loaded
 * again. The SQLite store is an {@code UpdateStore}, so it is passed to the microcosm as it is;
 * edits never wait for the disk, and {@link YMicrocosm#flush()} waits until they are durable.
 *
 * <p>Usage: {@code StoredMicrocosm [DATA_DIR]} (default: a new temporary directory).
 */
public final class StoredMicrocosm {
  /** A fixed identity, so every run edits the same collection. */
  static final String IDENTITY = "@storedexample001";

  private StoredMicrocosm() {}

  public static void main(String[] args) throws IOException {
    Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("microcosm-example");
    run(dir, System.out);
  }

  /** One run against the store in {@code dir}; returns how many notes the collection has now. */
  public static int run(Path dir, PrintStream out) {
    try (SqliteUpdateStore store = SqliteUpdateStore.openDirectory(dir);
        YMicrocosm m =
            YMicrocosm.open("storedexample", MicrocosmOptions.defaults().persistence(store))) {
      int before = m.getCollection(IDENTITY).size();
      m.identify(IDENTITY);
      m.create(HtmlData.note(before * 220, 0, "<p>visit " + (before + 1) + "</p>"));
      m.flush().join(); // durable now (closing would wait for it too)
      int now = m.getCollection(IDENTITY).size();
      out.println("notes in " + store.file() + ": " + before + " before this run, " + now + " now");
      return now;
    }
  }
}
