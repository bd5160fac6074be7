package nodenogg.webrtc;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A second JVM on this test's class path (the CLI in its own process), with its output collected
 * line by line.
 */
final class ChildJvm implements AutoCloseable {
  final Process process;
  final List<String> out = new CopyOnWriteArrayList<>();
  final List<String> err = new CopyOnWriteArrayList<>();

  ChildJvm(List<String> jvmOptions, String classPath, String mainClass, String... args)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(
        ProcessHandle.current()
            .info()
            .command()
            .orElse(
                System.getProperty("java.home")
                    + File.separator
                    + "bin"
                    + File.separator
                    + "java"));
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(classPath);
    cmd.add(mainClass);
    cmd.addAll(List.of(args));
    process = new ProcessBuilder(cmd).start();
    pump(process.getInputStream(), out);
    pump(process.getErrorStream(), err);
  }

  /** The CLI ({@code nodenogg.cli.Main}) with {@code args}, on this JVM's class path. */
  static ChildJvm cli(String... args) throws IOException {
    return new ChildJvm(
        List.of(), System.getProperty("java.class.path"), "nodenogg.cli.Main", args);
  }

  private static void pump(java.io.InputStream in, List<String> lines) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  lines.add(line);
                }
              } catch (IOException e) {
                // process gone
              }
            },
            "child-jvm-pump");
    t.setDaemon(true);
    t.start();
  }

  /** Waits for the process to end; returns its exit code. */
  int waitFor(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(
          "child JVM did not end within " + seconds + " s; stderr: " + String.join("\n", err));
    }
    Thread.sleep(100); // let the pumps drain
    return process.exitValue();
  }

  String log() {
    return "stdout:\n" + String.join("\n", out) + "\nstderr:\n" + String.join("\n", err);
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
