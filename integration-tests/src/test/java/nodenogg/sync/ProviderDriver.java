package nodenogg.sync;

import java.io.IOException;
import java.util.List;

/**
 * One real JS provider ({@code js/sync/provider-driver.mjs}: Hocuspocus provider 4.8.0 "hp4",
 * 2.15.3 "hp2", or y-websocket "yws") on one document, driven from the test: write entries, read
 * its state.
 */
final class ProviderDriver implements AutoCloseable {
  final String kind;
  final NodeProcess node;

  /** What {@code dump} reports. */
  record State(boolean synced, int unsynced, int socketCloses, long awarenessBytes, String json) {}

  ProviderDriver(String kind, String url, String doc, String token, String name)
      throws IOException {
    this.kind = kind;
    this.node =
        new NodeProcess(
            "provider-driver.mjs",
            "{\"kind\":\""
                + kind
                + "\",\"url\":\""
                + url
                + "\",\"doc\":\""
                + doc
                + "\",\"token\":\""
                + token
                + "\",\"name\":\""
                + name
                + "\"}");
  }

  void write(String key, int value) throws IOException {
    node.send("write " + key + " " + value);
  }

  /** Sets notes[key] to a string of {@code length} characters (dump shows it as "<len:n>"). */
  void writeLarge(String key, int length) throws IOException {
    node.send("big " + key + " " + length);
  }

  /** Sets the local awareness field "blob" to a string of {@code length} characters. */
  void awareness(int length) throws IOException {
    node.send("aware " + length);
  }

  State state() {
    long before = node.lines.stream().filter(l -> l.startsWith("DUMP ")).count();
    try {
      node.send("dump");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(kind + " is gone: " + node.lines, e);
    }
    Await.until(
        () -> kind + " answers dump: " + node.lines,
        10_000,
        () ->
            node.lines.stream().filter(l -> l.startsWith("DUMP ")).count() > before
                || !node.process.isAlive());
    List<String> dumps = node.lines.stream().filter(l -> l.startsWith("DUMP ")).toList();
    if (dumps.size() <= before) {
      throw new AssertionError(kind + " exited: " + node.lines);
    }
    String[] p = dumps.get(dumps.size() - 1).split(" ", 6);
    return new State(
        p[1].equals("1"),
        Integer.parseInt(p[2]),
        Integer.parseInt(p[3]),
        Long.parseLong(p[4]),
        p[5]);
  }

  /** The other clients' awareness states, as JSON by client id. */
  String awareness() {
    long before = node.lines.stream().filter(l -> l.startsWith("AW ")).count();
    try {
      node.send("aw");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(kind + " is gone: " + node.lines, e);
    }
    Await.until(
        () -> kind + " answers aw",
        10_000,
        () ->
            node.lines.stream().filter(l -> l.startsWith("AW ")).count() > before
                || !node.process.isAlive());
    List<String> aws = node.lines.stream().filter(l -> l.startsWith("AW ")).toList();
    return aws.get(aws.size() - 1).substring(3);
  }

  /** Close codes of the WebSocket closes this provider saw. */
  List<Integer> closeCodes() {
    return node.lines.stream()
        .filter(l -> l.startsWith("SOCKETCLOSE "))
        .map(
            l -> {
              String c = l.split(" ")[1];
              return c.equals("undefined") ? -1 : Integer.parseInt(c);
            })
        .toList();
  }

  void awaitSynced() {
    Await.until(() -> kind + " synced: " + node.lines, 20_000, () -> node.lines.contains("SYNCED"));
  }

  /**
   * Waits until the provider's notes map is {@code json} and everything it wrote is acknowledged.
   */
  void awaitState(String json) {
    Await.until(
        () -> kind + " reaches " + json + "; last " + lastDump(),
        30_000,
        () -> {
          State s = state();
          // provider 2.15.3 resets its count to 1 when it resyncs and does not stop at 0: an edit
          // sent just
          // before that reset is acknowledged once more than it counts, leaving -1 (its race, seen
          // in CI runs)
          return s.synced()
              && (s.unsynced() == 0 || (kind.equals("hp2") && s.unsynced() < 0))
              && s.json().equals(json);
        });
  }

  private String lastDump() {
    return node.lines.stream().filter(l -> l.startsWith("DUMP ")).reduce((a, b) -> b).orElse("none")
        + " events "
        + node.lines.stream().filter(l -> !l.startsWith("DUMP ")).toList();
  }

  @Override
  public void close() {
    node.close();
  }
}
