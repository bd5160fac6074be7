package nodenogg.sync;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import nodenogg.crdt.testing.NodeJs;

/**
 * A Node process running a script from {@code js/sync/}; stdout lines are collected. Tests skip
 * when Node or js/node_modules is missing. {@link #close()} kills the process tree.
 */
final class NodeProcess implements AutoCloseable {
  final Process process;
  final List<String> lines = new CopyOnWriteArrayList<>();
  private final String script;
  private final Thread reader;

  static Path jsDir() {
    Path p = NodeJs.folder("", "node_modules/@hocuspocus/server");
    NodeJs.folder("", "node_modules/y-websocket");
    NodeJs.node();
    return p;
  }

  NodeProcess(String script, String... args) throws IOException {
    this(List.of("sync"), script, args);
  }

  /**
   * A script of another folder of js/ ({@code js/<folder>/<script>}, with that folder's own
   * node_modules).
   */
  static NodeProcess in(String folder, String script, String... args) throws IOException {
    return new NodeProcess(List.of(folder), script, args);
  }

  private NodeProcess(List<String> folderOnly, String script, String... args) throws IOException {
    String folder = folderOnly.get(0);
    this.script = script;
    Path js = jsDir();
    if (!folder.equals("sync")) {
      NodeJs.folder(folder, "node_modules");
    }
    List<String> cmd =
        new ArrayList<>(List.of(NodeJs.node(), js.resolve(folder).resolve(script).toString()));
    cmd.addAll(List.of(args));
    process =
        new ProcessBuilder(cmd)
            .directory(js.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  lines.add(line);
                }
              } catch (IOException e) {
                // process ended
              }
            },
            "node-" + script);
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Writes one line to the script's stdin (scripts driven by commands, e.g. provider-driver.mjs).
   */
  void send(String line) throws IOException {
    process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().flush();
  }

  /** Waits for a "PORT n" line (servers). */
  int awaitPort() {
    Await.until(
        () -> script + " prints its port; got " + lines,
        20_000,
        () -> lines.stream().anyMatch(l -> l.startsWith("PORT ")) || !process.isAlive());
    return lines.stream()
        .filter(l -> l.startsWith("PORT "))
        .findFirst()
        .map(l -> Integer.parseInt(l.substring(5).trim()))
        .orElseThrow(
            () -> new AssertionError(script + " exited without printing its port: " + lines));
  }

  /** Waits for exit (clients) and returns the exit code. */
  int awaitExit(long timeoutMillis) throws InterruptedException {
    timeoutMillis = Await.scaled(timeoutMillis);
    if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
      throw new AssertionError(
          script + " did not finish in " + timeoutMillis + " ms; output " + lines);
    }
    reader.join(
        timeoutMillis); // the reader ends at end of stream: then it has taken the last lines
    return process.exitValue();
  }

  /** The JSON printed on the line {@code RESULT <doc> <json>}. */
  String result(String doc) {
    return lines.stream()
        .filter(l -> l.startsWith("RESULT " + doc + " "))
        .findFirst()
        .map(l -> l.substring(("RESULT " + doc + " ").length()))
        .orElseThrow(
            () -> new AssertionError(script + " printed no RESULT for " + doc + ": " + lines));
  }

  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
