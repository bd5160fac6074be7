package nodenogg.cli.store;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import nodenogg.automerge.store.AutomergeFormat;
import nodenogg.cli.Command;
import nodenogg.cli.UsageException;
import nodenogg.crdt.Doc;
import nodenogg.crdt.Updates;
import nodenogg.persistence.CheckReport;
import nodenogg.persistence.DocumentInfo;
import nodenogg.persistence.InvalidUpdateException;
import nodenogg.persistence.StoreException;
import nodenogg.persistence.UpdateStore;
import nodenogg.persistence.postgres.PostgresUpdateStore;
import nodenogg.persistence.sqlite.SqliteUpdateStore;
import nodenogg.persistence.yjs.YjsStorage;

/**
 * {@code ./microcosm store list|dump|compact|check|import --data DIR|--postgres JDBC_URL [--doc
 * NAME]}: administers the SQLite update store of a data directory, or the PostgreSQL store a
 * cluster of {@code ./microcosm serve --postgres} instances shares (the commands may run while they
 * do: a compaction then takes the same advisory lock as theirs).
 *
 * <p>The database is {@code DIR/microcosm.db} ({@link SqliteUpdateStore#DEFAULT_FILE_NAME}, via
 * {@link SqliteUpdateStore#openDirectory}); {@code ./microcosm serve --data DIR} uses the same
 * file, and the commands may run while the server does (SQLite serialises the writers; the CLI
 * waits up to the busy timeout for a lock).
 *
 * <ul>
 *   <li>{@code list}: one line per document: name, rows in its log, bytes; Automerge documents (the
 *       automerge-repo service's, {@code serve}'s {@code /automerge}) end with a fourth column
 *       {@code automerge} and their heads.
 *   <li>{@code dump --doc NAME}: line 1 the document's {@code encodeStateAsUpdate} in base64, line
 *       2 its state vector as JSON ({@code {"clientId":clock,...}}); for an Automerge document line
 *       1 is its saved document in base64, line 2 its heads as a JSON array of hex hashes.
 *   <li>{@code compact [--doc NAME]}: compacts one document or all (Automerge ones too), printing
 *       rows before and after.
 *   <li>{@code check [--doc NAME]}: {@code PRAGMA integrity_check} plus reading back every
 *       document, Yjs and Automerge (each update checked with its engine); exit 1 if anything is
 *       damaged.
 *   <li>{@code import --doc NAME}: reads base64 v1 updates from stdin, one per line (blank lines
 *       are skipped), appends each, and prints {@code ack N} (N from 1) only once update N is
 *       durable. A malformed line stops the import with exit 2; everything acknowledged before it
 *       stays.
 * </ul>
 */
public final class StoreCommand implements Command {

  private static final String USAGE =
      "usage: store list|dump|compact|check|import --data DIR|--postgres jdbc:postgresql://HOST:PORT/DB [--doc NAME]";

  @Override
  public int run(String[] args, InputStream in, PrintStream out, PrintStream err) throws Exception {
    if (args.length == 0) {
      throw new UsageException(USAGE);
    }
    String action = args[0];
    Path data = null;
    String postgres = null;
    String doc = null;
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--data":
          data = Path.of(value(args, ++i, "--data"));
          break;
        case "--postgres":
          postgres = value(args, ++i, "--postgres");
          break;
        case "--doc":
          doc = value(args, ++i, "--doc");
          break;
        default:
          throw new UsageException("unknown option '" + args[i] + "'; " + USAGE);
      }
    }
    if ((data == null) == (postgres == null)) {
      throw new UsageException("give either --data DIR or --postgres JDBC_URL; " + USAGE);
    }
    if (postgres != null && !postgres.startsWith("jdbc:postgresql:")) {
      throw new UsageException(
          "--postgres needs a PostgreSQL JDBC URL (jdbc:postgresql://HOST:PORT/DATABASE), got '"
              + postgres
              + "'");
    }
    if (!List.of("list", "dump", "compact", "check", "import").contains(action)) {
      throw new UsageException("unknown action '" + action + "'; " + USAGE);
    }
    if (action.equals("dump") || action.equals("import")) {
      require(doc, action);
    }
    boolean writes = action.equals("import");
    if (!writes && data != null && !Files.exists(SqliteUpdateStore.databaseFile(data))) {
      err.println(
          "store "
              + action
              + ": NoStore: no update store at "
              + SqliteUpdateStore.databaseFile(data));
      return 2;
    }
    Path dataDir = data;
    Opener open =
        postgres != null ? openPostgres(postgres) : () -> SqliteUpdateStore.openDirectory(dataDir);
    String where =
        postgres != null ? "the PostgreSQL store" : SqliteUpdateStore.databaseFile(data).toString();
    switch (action) {
      case "list":
        return withStore(open, s -> list(s, out));
      case "dump":
        String d = require(doc, "dump");
        return withStore(open, s -> dump(s, where, d, out, err));
      case "compact":
        String c = doc;
        return withStore(open, s -> compact(s, where, c, out, err));
      case "check":
        String k = doc;
        return withStore(open, s -> check(s, k, out));
      case "import":
        String t = require(doc, "import");
        return withStore(open, s -> importLines(s, t, in, out, err));
      default:
        throw new UsageException("unknown action '" + action + "'; " + USAGE);
    }
  }

  private interface StoreAction {
    int run(UpdateStore store) throws Exception;
  }

  private interface Opener {
    UpdateStore open();
  }

  private static Opener openPostgres(String url) {
    return () -> PostgresUpdateStore.open(url);
  }

  private static int withStore(Opener opener, StoreAction action) throws Exception {
    try (UpdateStore store = opener.open()) {
      return action.run(store);
    }
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new UsageException(option + " needs a value; " + USAGE);
    }
    return args[i];
  }

  private static String require(String doc, String action) {
    if (doc == null || doc.isEmpty()) {
      throw new UsageException(action + " needs --doc NAME; " + USAGE);
    }
    return doc;
  }

  private static int list(UpdateStore store, PrintStream out) {
    for (String name : store.list()) {
      Optional<DocumentInfo> info = store.info(name);
      info.ifPresent(
          i ->
              out.println(
                  i.name() + "\t" + i.updateCount() + " updates\t" + i.updateBytes() + " bytes"));
    }
    UpdateStore am = AutomergeStores.of(store);
    if (am != null) {
      for (String name : am.list()) {
        Optional<DocumentInfo> info = am.info(name);
        info.ifPresent(
            i ->
                out.println(
                    i.name()
                        + "\t"
                        + i.updateCount()
                        + " updates\t"
                        + i.updateBytes()
                        + " bytes\tautomerge\t"
                        + AutomergeFormat.headsOf(am.version(name)).size()
                        + " heads"));
      }
    }
    return 0;
  }

  private static int dump(
      UpdateStore store, String where, String name, PrintStream out, PrintStream err) {
    UpdateStore am = AutomergeStores.of(store);
    if (am != null && am.list().contains(name)) {
      out.println(Base64.getEncoder().encodeToString(am.loadState(name).orElseThrow()));
      out.println(
          "["
              + String.join(
                  ",",
                  AutomergeFormat.headsOf(am.version(name)).stream()
                      .map(h -> "\"" + h + "\"")
                      .toList())
              + "]");
      return 0;
    }
    Doc doc = new Doc();
    if (!YjsStorage.load(store, doc, name)) {
      err.println("store dump: NoSuchDocument: no document '" + name + "' in " + where);
      return 2;
    }
    out.println(Base64.getEncoder().encodeToString(Updates.encodeStateAsUpdate(doc)));
    StringBuilder json = new StringBuilder("{");
    for (Map.Entry<Long, Long> e :
        Updates.decodeStateVector(Updates.encodeStateVector(doc)).entrySet()) {
      if (json.length() > 1) {
        json.append(',');
      }
      json.append('"').append(e.getKey()).append("\":").append(e.getValue());
    }
    out.println(json.append('}'));
    return 0;
  }

  private static int compact(
      UpdateStore yjs, String where, String only, PrintStream out, PrintStream err) {
    UpdateStore am = AutomergeStores.of(yjs);
    List<String> names = new java.util.ArrayList<>(only == null ? yjs.list() : List.of(only));
    if (only == null && am != null) {
      names.addAll(am.list());
    }
    int status = 0;
    for (String name : names) {
      UpdateStore store = am != null && am.list().contains(name) ? am : yjs;
      long before = store.info(name).map(DocumentInfo::updateCount).orElse(-1L);
      if (before < 0) {
        err.println("store compact: NoSuchDocument: no document '" + name + "' in " + where);
        return 2;
      }
      try {
        long after = store.compact(name).map(DocumentInfo::updateCount).orElse(0L);
        out.println(name + "\t" + before + " -> " + after + " updates");
      } catch (StoreException e) {
        err.println("store compact: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        status = 1;
      }
    }
    return status;
  }

  private static int check(UpdateStore store, String only, PrintStream out) {
    CheckReport report = store.check();
    out.println(
        (store instanceof SqliteUpdateStore ? "integrity_check: " : "database: ")
            + String.join("; ", report.integrity()));
    Map<String, String> damaged = new java.util.TreeMap<>(report.damagedDocuments());
    List<String> names = new java.util.ArrayList<>(only == null ? store.list() : List.of(only));
    int checked = report.documentsChecked();
    UpdateStore am = AutomergeStores.of(store);
    if (am != null) {
      CheckReport amReport = am.check();
      damaged.putAll(amReport.damagedDocuments());
      checked += amReport.documentsChecked();
      if (only == null) {
        names.addAll(am.list());
      }
    }
    boolean bad = !report.integrity().equals(List.of("ok"));
    for (String name : names) {
      String why = damaged.get(name);
      out.println(name + "\t" + (why == null ? "ok" : "DAMAGED: " + why));
      bad |= why != null;
    }
    if (only == null) {
      out.println(checked + " documents checked, " + damaged.size() + " damaged");
    }
    return bad ? 1 : 0;
  }

  private static int importLines(
      UpdateStore store, String name, InputStream in, PrintStream out, PrintStream err)
      throws Exception {
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    CompletableFuture<Void> previous = CompletableFuture.completedFuture(null);
    int n = 0;
    String line;
    int status = 0;
    String error = null;
    while ((line = reader.readLine()) != null) {
      line = line.strip();
      if (line.isEmpty()) {
        continue;
      }
      n++;
      byte[] update;
      try {
        update = Base64.getDecoder().decode(line);
      } catch (IllegalArgumentException e) {
        error = "InvalidBase64: line for update " + n + " is not base64 (" + e.getMessage() + ")";
        status = 2;
        break;
      }
      int number = n;
      CompletableFuture<Long> ack = store.append(name, update);
      if (ack.isCompletedExceptionally() && isInvalid(ack)) {
        error = "InvalidUpdate: update " + n + ": " + cause(ack).getMessage();
        status = 2;
        break;
      }
      // acks complete in append order; chaining keeps the printed order even so
      previous =
          previous.thenCombine(
              ack,
              (v, seq) -> {
                synchronized (out) {
                  out.println("ack " + number);
                  out.flush();
                }
                return null;
              });
    }
    try {
      previous.join();
    } catch (CompletionException e) {
      Throwable c = e.getCause();
      err.println("store import: " + c.getClass().getSimpleName() + ": " + c.getMessage());
      return 1;
    }
    if (error != null) {
      err.println("store import: " + error);
    }
    return status;
  }

  /**
   * The Automerge documents of the same file ({@code serve}'s automerge-repo service), if Automerge
   * loads here.
   */
  private static final class AutomergeStores {
    static UpdateStore of(UpdateStore any) {
      if (!(any instanceof SqliteUpdateStore store)) {
        return null; // serve keeps Automerge documents in the SQLite file only
      }
      try {
        nodenogg.automerge.AutomergeNative.require();
        return store.withFormat(AutomergeFormat.INSTANCE);
      } catch (nodenogg.automerge.AutomergeUnavailableException e) {
        return null;
      }
    }
  }

  private static boolean isInvalid(CompletableFuture<Long> f) {
    return cause(f) instanceof InvalidUpdateException;
  }

  private static Throwable cause(CompletableFuture<Long> f) {
    try {
      f.join();
      return null;
    } catch (CompletionException e) {
      return e.getCause();
    }
  }
}
