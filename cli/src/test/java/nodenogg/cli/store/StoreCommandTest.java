package nodenogg.cli.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import nodenogg.cli.UsageException;
import nodenogg.crdt.Doc;
import nodenogg.crdt.Updates;
import nodenogg.persistence.postgres.PostgresServer;
import nodenogg.persistence.sqlite.SqliteUpdateStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreCommandTest {

  @TempDir Path dir;

  private record Result(int code, String out, String err) {}

  private Result run(String stdin, String... args) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        new StoreCommand()
            .run(
                args,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Updates of a small editing session, and the doc they came from. */
  private static List<byte[]> session(Doc d) {
    List<byte[]> ups = new ArrayList<>();
    d.onUpdate((u, o, t) -> ups.add(u));
    d.getText("t").insert(0, "hello");
    d.getText("t").insert(5, " world");
    d.getMap("m").set("k", "v");
    d.getText("t").delete(0, 1);
    return ups;
  }

  @Test
  void importAcknowledgesEachLineThenListDumpCompactCheck() throws Exception {
    Doc source = new Doc(new Doc.Options().clientId(42));
    List<byte[]> ups = session(source);
    StringBuilder stdin = new StringBuilder();
    for (byte[] u : ups) {
      stdin.append(Base64.getEncoder().encodeToString(u)).append('\n').append('\n');
    }
    String data = dir.toString();
    Result imp = run(stdin.toString(), "import", "--data", data, "--doc", "room-1");
    assertEquals(0, imp.code, imp.err);
    assertEquals("ack 1\nack 2\nack 3\nack 4\n", imp.out.replace("\r", ""));
    assertTrue(Files.exists(dir.resolve("microcosm.db")), "the documented file name");

    Result list = run("", "list", "--data", data);
    assertEquals(
        "room-1\t4 updates\t" + ups.stream().mapToInt(u -> u.length).sum() + " bytes\n", list.out);

    Result dump = run("", "dump", "--data", data, "--doc", "room-1");
    assertEquals(0, dump.code, dump.err);
    String[] lines = dump.out.split("\n");
    assertArrayEquals(Updates.encodeStateAsUpdate(source), Base64.getDecoder().decode(lines[0]));
    assertEquals("{\"42\":12}", lines[1]);

    Result compact = run("", "compact", "--data", data);
    assertEquals("room-1\t4 -> 1 updates\n", compact.out);
    Result dumpAfter = run("", "dump", "--data", data, "--doc", "room-1");
    assertEquals(dump.out, dumpAfter.out, "compaction changes nothing visible");

    Result check = run("", "check", "--data", data);
    assertEquals(0, check.code);
    assertTrue(check.out.startsWith("integrity_check: ok\nroom-1\tok\n"), check.out);
  }

  /**
   * The same commands against the PostgreSQL store a cluster of servers shares (skipped without
   * PostgreSQL).
   */
  @Test
  void theSameCommandsWorkAgainstPostgres() throws Exception {
    String url = PostgresServer.shared().createDatabase();
    Doc source = new Doc(new Doc.Options().clientId(43));
    List<byte[]> ups = session(source);
    StringBuilder stdin = new StringBuilder();
    for (byte[] u : ups) {
      stdin.append(Base64.getEncoder().encodeToString(u)).append('\n');
    }
    Result imp = run(stdin.toString(), "import", "--postgres", url, "--doc", "room-2");
    assertEquals(0, imp.code, imp.err);
    assertEquals("ack 1\nack 2\nack 3\nack 4\n", imp.out.replace("\r", ""));
    Result list = run("", "list", "--postgres", url);
    assertEquals(
        "room-2\t4 updates\t" + ups.stream().mapToInt(u -> u.length).sum() + " bytes\n", list.out);
    Result dump = run("", "dump", "--postgres", url, "--doc", "room-2");
    assertEquals(0, dump.code, dump.err);
    assertArrayEquals(
        Updates.encodeStateAsUpdate(source), Base64.getDecoder().decode(dump.out.split("\n")[0]));
    assertEquals("{\"43\":12}", dump.out.split("\n")[1]);
    assertEquals("room-2\t4 -> 1 updates\n", run("", "compact", "--postgres", url).out);
    assertEquals(dump.out, run("", "dump", "--postgres", url, "--doc", "room-2").out);
    Result check = run("", "check", "--postgres", url);
    assertEquals(0, check.code);
    assertTrue(check.out.startsWith("database: ok\nroom-2\tok\n"), check.out);
    assertEquals(2, run("", "dump", "--postgres", url, "--doc", "nope").code);
    assertThrows(UsageException.class, () -> run("", "list", "--postgres", "postgres://x"));
    assertThrows(
        UsageException.class, () -> run("", "list", "--postgres", url, "--data", dir.toString()));
  }

  @Test
  void malformedInputStopsTheImportKeepingEarlierAcks() throws Exception {
    List<byte[]> ups = session(new Doc());
    String good = Base64.getEncoder().encodeToString(ups.get(0));
    Result bad64 =
        run(good + "\n%%%not-base64\n", "import", "--data", dir.toString(), "--doc", "d");
    assertEquals(2, bad64.code);
    assertEquals("ack 1\n", bad64.out);
    assertTrue(bad64.err.startsWith("store import: InvalidBase64: line for update 2"), bad64.err);

    String notAnUpdate = Base64.getEncoder().encodeToString(new byte[] {1, 2, 3});
    Result badUpdate = run(notAnUpdate + "\n", "import", "--data", dir.toString(), "--doc", "d");
    assertEquals(2, badUpdate.code);
    assertTrue(badUpdate.err.startsWith("store import: InvalidUpdate: update 1"), badUpdate.err);
    try (SqliteUpdateStore store = SqliteUpdateStore.openDirectory(dir)) {
      assertEquals(1, store.load("d").size());
    }
  }

  @Test
  void usageAndMissingStoreErrors() throws Exception {
    assertThrows(UsageException.class, () -> run("", "dump", "--data", dir.toString()));
    assertThrows(UsageException.class, () -> run("", "list"));
    assertThrows(UsageException.class, () -> run("", "frobnicate", "--data", dir.toString()));
    Result missing = run("", "list", "--data", dir.resolve("nope").toString());
    assertEquals(2, missing.code);
    assertTrue(missing.err.contains("no update store at"), missing.err);
    run("", "import", "--data", dir.toString(), "--doc", "x");
    Result noDoc = run("", "dump", "--data", dir.toString(), "--doc", "unknown");
    assertEquals(2, noDoc.code);
  }
}
