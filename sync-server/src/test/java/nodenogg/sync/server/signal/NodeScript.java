package nodenogg.sync.server.signal;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Runs a Node script from js/signal with a deadline; skips the test when Node or js is missing. */
final class NodeScript {

  record Result(int exitCode, String stdout, String stderr) {}

  private NodeScript() {}

  static File jsDir() {
    String dir = System.getProperty("nodenogg.js.dir");
    Assumptions.assumeTrue(
        dir != null, "system property nodenogg.js.dir is not set (run through Maven)");
    File js = new File(dir);
    Assumptions.assumeTrue(
        new File(js, "node_modules/y-webrtc").isDirectory(),
        "js/node_modules is not installed at " + js + " (run js/install.sh)");
    Assumptions.assumeTrue(
        new File("/usr/bin/node").canExecute(), "node is not installed at /usr/bin/node");
    return js;
  }

  static Result run(long timeoutSeconds, String script, String... args)
      throws IOException, InterruptedException {
    File js = jsDir();
    List<String> command = new ArrayList<>();
    command.add("/usr/bin/node");
    command.add(new File(js, "signal/" + script).getPath());
    command.addAll(List.of(args));
    File err = File.createTempFile("node-stderr", ".txt");
    try {
      Process process =
          new ProcessBuilder(command).directory(new File(js, "signal")).redirectError(err).start();
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
