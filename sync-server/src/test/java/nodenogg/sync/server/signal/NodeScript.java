package nodenogg.sync.server.signal;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import nodenogg.crdt.testing.NodeJs;

/**
 * Runs a Node script from js/signal with a deadline; skips the test when Node or js is missing.
 * Started through {@link NodeJs}.
 */
final class NodeScript {

  record Result(int exitCode, String stdout, String stderr) {}

  private NodeScript() {}

  static File jsDir() {
    File js = NodeJs.folder("", "node_modules/y-webrtc").toFile();
    NodeJs.node();
    return js;
  }

  static Result run(long timeoutSeconds, String script, String... args)
      throws IOException, InterruptedException {
    File js = jsDir();
    File err = File.createTempFile("node-stderr", ".txt");
    try {
      Process process =
          NodeJs.start(
              new File(js, "signal").toPath(),
              new File(js, "signal/" + script).toPath(),
              Map.of(),
              err.toPath(),
              args);
      process.getOutputStream().close();
      byte[] out;
      try {
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
          process.descendants().forEach(ProcessHandle::destroyForcibly);
          process.destroyForcibly();
          throw new AssertionError(
              script
                  + " did not finish within "
                  + timeoutSeconds
                  + " s; stderr: "
                  + new String(
                      java.nio.file.Files.readAllBytes(err.toPath()), StandardCharsets.UTF_8));
        }
        out = process.getInputStream().readAllBytes();
      } finally {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
      return new Result(
          process.exitValue(),
          new String(out, StandardCharsets.UTF_8).trim(),
          new String(java.nio.file.Files.readAllBytes(err.toPath()), StandardCharsets.UTF_8));
    } finally {
      err.delete();
    }
  }
}
