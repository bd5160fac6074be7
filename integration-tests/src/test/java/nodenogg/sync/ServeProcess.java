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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./microcosm serve} in a child JVM (same classpath as the tests), for kill -9 and SIGTERM
 * tests.
 */
final class ServeProcess implements AutoCloseable {
  private static final Pattern READY = Pattern.compile("listening on [^:]+:(\\d+)");
  final Process process;
  final List<String> lines = new CopyOnWriteArrayList<>();

  ServeProcess(Path data, Path log, String... extra) throws IOException {
    this(java.util.Map.of(), log, withDefaults(data, extra));
  }

  private static List<String> withDefaults(Path data, String... extra) {
    List<String> args =
        new ArrayList<>(List.of("--host", "127.0.0.1", "--port", "0", "--data", data.toString()));
    args.addAll(List.of(extra));
    return args;
  }

  /**
   * {@code serve} with exactly these arguments and these environment variables added (stderr to
   * {@code log}).
   */
  ServeProcess(java.util.Map<String, String> env, Path log, List<String> args) throws IOException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m"));
    String extraJvm =
        System.getProperty("nodenogg.serve.jvmopts"); // e.g. GC logging, for diagnosis
    if (extraJvm != null && !extraJvm.isBlank()) {
      cmd.addAll(List.of(extraJvm.trim().split("\\s+")));
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "nodenogg.cli.Main", "serve"));
    cmd.addAll(args);
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
    for (String v :
        List.of(
            "PORT",
            "HOST",
            "ALLOWED_DOMAINS",
            "THROTTLE_CONNECTIONS",
            "THROTTLE_BAN_TIME",
            "LOG")) {
      pb.environment().remove(v); // only what the test sets
    }
    pb.environment().putAll(env);
    process = pb.start();
    Thread t =
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
                // ended
              }
            },
            "serve-stdout");
    t.setDaemon(true);
    t.start();
  }

  int awaitPort() {
    Await.until(
        () -> "serve prints its port; got " + lines,
        30_000,
        () -> lines.stream().anyMatch(l -> READY.matcher(l).find()) || !process.isAlive());
    for (String l : lines) {
      Matcher m = READY.matcher(l);
      if (m.find()) {
        return Integer.parseInt(m.group(1));
      }
    }
    throw new AssertionError(
        "serve exited (" + process.exitValue() + ") without a ready line: " + lines);
  }

  void kill9() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(Await.scaled(10_000), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("serve did not die after SIGKILL");
    }
  }

  /** SIGTERM; returns the exit code. */
  int terminate() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(Await.scaled(30_000), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(
          "serve did not stop within " + Await.scaled(30_000) + " ms of SIGTERM");
    }
    return process.exitValue();
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
