package nodenogg.crdt.testing;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * One long-lived Node process running {@code js/oracle/oracle.mjs} with the real Yjs (see that file
 * for the commands). Start one per test class ({@link #startOrSkip()} in {@code @BeforeAll}), close
 * it in {@code @AfterAll}. Requests are JSON lines; {@link #call} sends one and waits for its
 * answer.
 *
 * <p>Not thread-safe: use from one thread at a time (calls are synchronized as a safety net).
 */
public final class NodeOracle implements AutoCloseable {
  private final Process process;
  private final BufferedWriter in;
  private final BufferedReader out;
  private final StringBuilder stderr = new StringBuilder();
  private long nextId = 1;

  private NodeOracle(Process process) {
    this.process = process;
    this.in =
        new BufferedWriter(
            new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
    this.out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    Thread t = new Thread(() -> drain(process.getErrorStream()), "node-oracle-stderr");
    t.setDaemon(true);
    t.start();
  }

  /** The js directory (holding node_modules): {@link NodeJs#jsDir()}. */
  public static Path jsDir() {
    return NodeJs.jsDir();
  }

  /** The node executable, or null when there is none. */
  public static String nodeBinary() {
    return NodeJs.findNode();
  }

  /** Whether node and js/node_modules/yjs are there. */
  public static boolean available() {
    return nodeBinary() != null
        && Files.isDirectory(jsDir().resolve("node_modules").resolve("yjs"))
        && Files.exists(jsDir().resolve("oracle").resolve("oracle.mjs"));
  }

  /**
   * Starts the oracle, or skips the calling test (JUnit assumption) when node or the npm packages
   * are missing.
   */
  public static NodeOracle startOrSkip() {
    Assumptions.assumeTrue(
        available(),
        "Node oracle unavailable: need node on PATH and yjs in "
            + jsDir()
            + "/node_modules (run `npm ci` in js/, or set -Dnodenogg.js.dir)");
    try {
      ProcessBuilder pb =
          new ProcessBuilder(
              nodeBinary(), jsDir().resolve("oracle").resolve("oracle.mjs").toString());
      pb.directory(jsDir().toFile());
      NodeOracle o = new NodeOracle(pb.start());
      o.call("ping", Map.of());
      return o;
    } catch (IOException e) {
      throw new IllegalStateException("could not start node oracle", e);
    }
  }

  /**
   * Sends one command; returns its result or throws {@link OracleException} carrying the JS error.
   */
  @SuppressWarnings("unchecked")
  public synchronized Object call(String cmd, Map<String, ?> args) {
    Map<String, Object> req = new LinkedHashMap<>(args);
    long id = nextId++;
    req.put("id", id);
    req.put("cmd", cmd);
    try {
      in.write(MiniJson.write(req));
      in.write('\n');
      in.flush();
      String line = out.readLine();
      if (line == null)
        throw new IllegalStateException("node oracle exited; stderr: " + stderrText());
      Map<String, Object> resp = (Map<String, Object>) MiniJson.parse(line);
      if (!Long.valueOf(id).equals(resp.get("id")))
        throw new IllegalStateException("oracle answered out of order: " + line);
      if (!Boolean.TRUE.equals(resp.get("ok")))
        throw new OracleException(String.valueOf(resp.get("error")));
      return resp.get("result");
    } catch (IOException e) {
      throw new IllegalStateException("node oracle I/O failed; stderr: " + stderrText(), e);
    }
  }

  @SuppressWarnings("unchecked")
  public Map<String, Object> callMap(String cmd, Map<String, ?> args) {
    return (Map<String, Object>) call(cmd, args);
  }

  /** A seeded random session; see js/oracle/session.mjs for the options. */
  public Map<String, Object> session(Map<String, ?> options) {
    return callMap("session", options);
  }

  /**
   * Applies base64 updates to a fresh Yjs doc; returns json/typed/deltas/sv/update/pending/events.
   */
  public Map<String, Object> apply(List<byte[]> updates, boolean gc, List<List<String>> roots) {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("updates", b64List(updates));
    a.put("gc", gc);
    if (roots != null) a.put("roots", roots);
    return callMap("apply", a);
  }

  public static List<Object> b64List(List<byte[]> updates) {
    List<Object> l = new ArrayList<>();
    for (byte[] u : updates) l.add(Base64.getEncoder().encodeToString(u));
    return l;
  }

  public static byte[] unb64(Object s) {
    return Base64.getDecoder().decode((String) s);
  }

  private void drain(InputStream s) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(s, StandardCharsets.UTF_8))) {
      String l;
      while ((l = r.readLine()) != null) {
        synchronized (stderr) {
          if (stderr.length() < 20_000) stderr.append(l).append('\n');
        }
      }
    } catch (IOException ignored) {
      // process gone
    }
  }

  private String stderrText() {
    synchronized (stderr) {
      return stderr.toString();
    }
  }

  @Override
  public void close() {
    try {
      in.close();
      if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
    } catch (IOException | InterruptedException e) {
      process.destroyForcibly();
      if (e instanceof InterruptedException) Thread.currentThread().interrupt();
    }
  }

  /** An error raised inside the oracle (a JS exception), with its message and first stack lines. */
  public static final class OracleException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OracleException(String m) {
      super(m);
    }
  }
}
