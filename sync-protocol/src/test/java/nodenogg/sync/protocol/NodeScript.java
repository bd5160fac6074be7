package nodenogg.sync.protocol;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs a Node script from {@code js/sync/} with stdin and returns stdout; skips when Node is
 * missing.
 */
public final class NodeScript {
  private NodeScript() {}

  public static Path jsDir() {
    String dir = System.getProperty("nodenogg.js.dir");
    Assumptions.assumeTrue(
        dir != null, "system property nodenogg.js.dir is not set: run through Maven");
    Path p = Path.of(dir);
    Assumptions.assumeTrue(
        Files.isDirectory(p.resolve("node_modules/y-protocols")),
        "js/node_modules is missing (run npm install in js/): skipping the Node oracle test");
    Assumptions.assumeTrue(
        new File("/usr/bin/node").canExecute() || onPath("node"), "node is not installed");
    return p;
  }

  private static boolean onPath(String exe) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String d : path.split(File.pathSeparator)) {
      if (new File(d, exe).canExecute()) {
        return true;
      }
    }
    return false;
  }

  public static String run(String script, String stdin) throws IOException, InterruptedException {
    Path js = jsDir();
    Process p =
        new ProcessBuilder("node", js.resolve("sync").resolve(script).toString())
            .directory(js.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try {
      try (OutputStream o = p.getOutputStream()) {
        o.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (InputStream in = p.getInputStream()) {
        in.transferTo(out);
      }
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        throw new IOException("node " + script + " did not finish in 60 s");
      }
      if (p.exitValue() != 0) {
        throw new IOException("node " + script + " exited with " + p.exitValue());
      }
      return out.toString(StandardCharsets.UTF_8);
    } finally {
      p.destroyForcibly();
    }
  }
}
