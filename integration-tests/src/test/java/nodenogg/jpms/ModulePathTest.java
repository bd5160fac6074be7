package nodenogg.jpms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library modules work on the module path (issue 14 item 9): a small consumer module is
 * compiled with {@code javac --module-path} and run with {@code java --module-path} (no class path
 * at all) against the library modules of this build and their third-party modules; it edits a
 * microcosm, stores it in SQLite, reads it back and starts and stops a sync server. A consumer that
 * imports an {@code internal} package must not compile: internals are not exported.
 *
 * <p>The module path is this test's own class path filtered to entries that carry a module
 * descriptor (jars, multi-release jars, or {@code target/classes} when run without packaging) or
 * declare an Automatic-Module-Name (the PostgreSQL driver); test-jars and unnamed jars are left
 * out.
 */
class ModulePathTest {

  private static final String CONSUMER_MODULE =
      String.join(
          "\n",
          "module consumer {",
          "  requires nodenogg.ymicrocosm;",
          "  requires nodenogg.persistence.sqlite;",
          "  requires nodenogg.persistence.postgres;",
          "  requires nodenogg.sync.server;",
          "  requires nodenogg.sync.client;",
          "  requires nodenogg.earthstar.microcosm;",
          "}");

  private static final String CONSUMER_MAIN =
      String.join(
          "\n",
          "package consumer;",
          "import java.nio.file.Path;",
          "import nodenogg.crdt.Doc;",
          "import nodenogg.crdt.Updates;",
          "import nodenogg.microcosm.HtmlData;",
          "import nodenogg.microcosm.Identity;",
          "import nodenogg.persistence.sqlite.SqliteUpdateStore;",
          "import nodenogg.sync.server.SyncServer;",
          "import nodenogg.ymicrocosm.YMicrocosm;",
          "public class Main {",
          "  public static void main(String[] args) throws Exception {",
          "    Identity me = Identity.create(\"module path\");",
          "    byte[] state;",
          "    try (YMicrocosm m = YMicrocosm.inMemory(\"jpms\")) {",
          "      m.identify(me.id());",
          "      m.create(HtmlData.note(10, 20, \"<p>hello</p>\"));",
          "      state = m.encodeStateAsUpdate();",
          "    }",
          "    try (SqliteUpdateStore store = SqliteUpdateStore.open(Path.of(args[0]))) {",
          "      store.append(\"jpms\", state).join();",
          "      Doc d = new Doc();",
          "      for (byte[] u : store.load(\"jpms\")) {",
          "        Updates.applyUpdate(d, u);",
          "      }",
          "      System.out.println(\"notes=\" + d.getMap(\"identities\").size());",
          "      SyncServer server = SyncServer.builder().host(\"127.0.0.1\").port(0).store(store).build().start();",
          "      System.out.println(\"port=\" + server.port());",
          "      server.close();",
          "    }",
          "    System.out.println(\"module=\" + Main.class.getModule().getName()",
          "        + \" engine=\" + Doc.class.getModule().getName());",
          "  }",
          "}");

  @Test
  void aConsumerModuleCompilesAndRunsOnTheModulePathOnly(@TempDir Path dir) throws Exception {
    String modulePath = libraryModulePath();
    Path src = dir.resolve("src");
    Path out = dir.resolve("out");
    write(src.resolve("module-info.java"), CONSUMER_MODULE);
    write(src.resolve("consumer/Main.java"), CONSUMER_MAIN);
    String errors =
        javac(modulePath, out, src.resolve("module-info.java"), src.resolve("consumer/Main.java"));
    assertEquals("", errors, "the consumer must compile against the library modules");

    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java,
                "--module-path",
                out + File.pathSeparator + modulePath,
                "--module",
                "consumer/consumer.Main",
                dir.resolve("store.db").toString())
            .redirectErrorStream(true)
            .start();
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    Thread reader =
        new Thread(
            () -> {
              try {
                p.getInputStream().transferTo(output);
              } catch (IOException ignored) {
                // the process ended
              }
            });
    reader.start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the consumer did not finish within 120 s");
    reader.join();
    String text = output.toString(StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), text);
    assertTrue(text.contains("notes=1"), text);
    assertTrue(text.matches("(?s).*port=[1-9][0-9]*.*"), text);
    assertTrue(text.contains("module=consumer engine=nodenogg.crdt"), text);
  }

  @Test
  void internalPackagesAreNotExported(@TempDir Path dir) throws Exception {
    String modulePath = libraryModulePath();
    Path src = dir.resolve("src");
    write(src.resolve("module-info.java"), "module peek { requires nodenogg.persistence.sqlite; }");
    write(
        src.resolve("peek/Peek.java"),
        String.join(
            "\n",
            "package peek;",
            "public class Peek {",
            "  static Class<?> c = nodenogg.persistence.sqlite.internal.StoreCore.class;",
            "}"));
    String errors =
        javac(
            modulePath,
            dir.resolve("out"),
            src.resolve("module-info.java"),
            src.resolve("peek/Peek.java"));
    assertNotEquals("", errors);
    assertTrue(errors.contains("does not export") || errors.contains("not visible"), errors);
  }

  private static String javac(String modulePath, Path out, Path... sources) throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    List<String> args =
        new ArrayList<>(
            List.of("--release", "17", "--module-path", modulePath, "-d", out.toString()));
    for (Path s : sources) {
      args.add(s.toString());
    }
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc = javac.run(null, null, err, args.toArray(new String[0]));
    String text = err.toString(StandardCharsets.UTF_8);
    return rc == 0 ? "" : (text.isEmpty() ? "javac exit " + rc : text);
  }

  private static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  /** This test's class path, keeping the entries that are explicit modules. */
  private static String libraryModulePath() throws IOException {
    List<String> keep = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path p = Path.of(entry);
      if (entry.endsWith("-tests.jar") || entry.contains("test-classes")) {
        continue; // test-jars repeat their main module's name and packages
      }
      if (Files.isDirectory(p)) {
        if (Files.exists(p.resolve("module-info.class"))) {
          keep.add(entry);
        }
      } else if (entry.endsWith(".jar") && Files.isRegularFile(p) && hasDescriptor(p)) {
        keep.add(entry);
      }
    }
    assertTrue(
        keep.stream().anyMatch(e -> e.contains("crdt")),
        "the engine is not on the class path as a module: "
            + System.getProperty("java.class.path"));
    return String.join(File.pathSeparator, keep);
  }

  private static boolean hasDescriptor(Path jar) throws IOException {
    try (ZipFile z = new ZipFile(jar.toFile())) {
      if (z.getEntry("module-info.class") != null
          || z.getEntry("META-INF/versions/9/module-info.class") != null) {
        return true;
      }
      // a named automatic module (the PostgreSQL driver declares Automatic-Module-Name)
      java.util.zip.ZipEntry mf = z.getEntry("META-INF/MANIFEST.MF");
      if (mf == null) {
        return false;
      }
      try (java.io.InputStream in = z.getInputStream(mf)) {
        return new java.util.jar.Manifest(in).getMainAttributes().getValue("Automatic-Module-Name")
            != null;
      }
    }
  }
}
