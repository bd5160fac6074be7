package nodenogg.sync.server.tracker;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs a Node script from js/torrent with a deadline; skips the test when Node or the packages are
 * missing.
 */
final class TorrentNode {

  record Result(int exitCode, String stdout, String stderr) {}

  private TorrentNode() {}

  static File dir() {
    String js = System.getProperty("nodenogg.js.dir");
    Assumptions.assumeTrue(
        js != null, "system property nodenogg.js.dir is not set (run through Maven)");
    File dir = new File(js, "torrent");
    Assumptions.assumeTrue(
        new File(dir, "node_modules/bittorrent-tracker").isDirectory()
            && new File(dir, "node_modules/@trystero-p2p/torrent").isDirectory(),
        "js/torrent/node_modules is not installed (run js/install.sh)");
    Assumptions.assumeTrue(
        new File("/usr/bin/node").canExecute(), "node is not installed at /usr/bin/node");
    return dir;
  }

  static Result run(long timeoutSeconds, String script, String... args) throws Exception {
    File dir = dir();
    List<String> command =
        new ArrayList<>(List.of("/usr/bin/node", new File(dir, script).getPath()));
    command.addAll(List.of(args));
    File err = File.createTempFile("torrent-node", ".err");
    try {
      Process process = new ProcessBuilder(command).directory(dir).redirectError(err).start();
      process.getOutputStream().close();
      byte[] out;
      try {
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
          throw new AssertionError(
              script
                  + " did not finish within "
                  + timeoutSeconds
                  + " s; stderr: "
                  + Files.readString(err.toPath()));
        }
        out = process.getInputStream().readAllBytes();
      } finally {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
      return new Result(
          process.exitValue(),
          new String(out, StandardCharsets.UTF_8).trim(),
          Files.readString(err.toPath()));
    } finally {
      err.delete();
    }
  }
}
