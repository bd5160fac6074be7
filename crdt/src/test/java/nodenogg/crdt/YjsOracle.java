package nodenogg.crdt;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import nodenogg.crdt.testing.NodeJs;

/**
 * One long-lived node process running js/oracle/v2-oracle.mjs (real yjs 13.6.33): JSON request per
 * line, JSON answer per line. Used by the v2 / update-function / snapshot tests; one per test
 * class.
 */
final class YjsOracle implements AutoCloseable {
  private final Process process;
  private final OutputStream in;
  private final BufferedReader out;
  private final File err;

  static boolean available() {
    return NodeReplayTest.nodeAvailable()
        && new File(NodeReplayTest.jsDir(), "oracle/v2-oracle.mjs").isFile();
  }

  static String skipReason() {
    return "node, js/node_modules/yjs or js/oracle/v2-oracle.mjs missing: Yjs differential checks skipped";
  }

  YjsOracle() throws Exception {
    err = File.createTempFile("yjs-oracle", ".err");
    ProcessBuilder pb =
        new ProcessBuilder(NodeJs.node(), "oracle/v2-oracle.mjs").directory(NodeReplayTest.jsDir());
    pb.redirectError(err);
    process = pb.start();
    in = process.getOutputStream();
    out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  /** Sends a request; returns its result, or throws with the JS error. */
  @SuppressWarnings("unchecked")
  synchronized Object call(Map<String, Object> request) throws Exception {
    in.write((Json.stringify(request) + "\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
    String line = out.readLine();
    if (line == null) {
      throw new IllegalStateException(
          "Yjs oracle died: " + java.nio.file.Files.readString(err.toPath()));
    }
    Map<String, Object> res = (Map<String, Object>) Json.parse(line);
    if (!Boolean.TRUE.equals(res.get("ok"))) {
      throw new YjsError(String.valueOf(res.get("error")));
    }
    return res.get("result");
  }

  /** The JS side threw. */
  static final class YjsError extends Exception {
    private static final long serialVersionUID = 1L;

    YjsError(String m) {
      super(m);
    }
  }

  @Override
  public void close() throws Exception {
    in.close();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
    err.delete();
  }
}
