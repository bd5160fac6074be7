package nodenogg.webrtc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Headless Chromium pages running the real y-webrtc 10.3.0 (js/webrtc/pages.mjs, driven line by
 * line). Each page is its own origin. {@link #call} runs {@code window.t[fn](...args)} in one page.
 */
final class BrowserPages implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Process process;
  private final BufferedReader out;
  private final Writer in;
  private final File stderr;
  private int nextId;

  BrowserPages(int pages) throws IOException {
    File js = JsEnv.browserJsDir();
    stderr = File.createTempFile("pages-stderr", ".txt");
    process =
        new ProcessBuilder(
                JsEnv.NODE,
                new File(js, "webrtc/pages.mjs").getPath(),
                "--chromium",
                JsEnv.CHROMIUM)
            .directory(new File(js, "webrtc"))
            .redirectError(stderr)
            .start();
    out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    ObjectNode open = JSON.createObjectNode().put("cmd", "open").put("pages", pages);
    send(open, 60);
  }

  private synchronized JsonNode send(ObjectNode command, long timeoutSeconds) throws IOException {
    int id = ++nextId;
    command.put("id", id);
    in.write(JSON.writeValueAsString(command) + "\n");
    in.flush();
    CompletableFuture<String> line =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return out.readLine();
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    String text;
    try {
      text = line.get(timeoutSeconds, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      close();
      throw new AssertionError(
          "page driver did not answer "
              + command
              + " within "
              + timeoutSeconds
              + " s; stderr: "
              + err());
    } catch (Exception e) {
      throw new AssertionError(
          "page driver failed on " + command + ": " + e + "; stderr: " + err());
    }
    if (text == null) {
      throw new AssertionError("page driver exited; stderr: " + err());
    }
    JsonNode answer = JSON.readTree(text);
    if (!answer.path("ok").asBoolean()) {
      throw new AssertionError(
          "page call " + command + " failed: " + answer.path("error").asText());
    }
    return answer.get("value");
  }

  private String err() {
    try {
      return Files.readString(stderr.toPath());
    } catch (IOException e) {
      return "(unreadable)";
    }
  }

  /** Runs {@code window.t[fn](...args)} in page {@code page} and returns its (JSON) result. */
  JsonNode call(int page, String fn, Object... args) throws IOException {
    ObjectNode c = JSON.createObjectNode().put("cmd", "call").put("page", page).put("fn", fn);
    c.set("args", JSON.valueToTree(List.of(args)));
    return send(c, 60);
  }

  /** Polls {@code fn} in {@code page} until its result is truthy (not null/false/0/empty). */
  JsonNode await(String what, int page, long timeoutMillis, String fn, Object... args)
      throws Exception {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (true) {
      JsonNode v = call(page, fn, args);
      boolean truthy =
          v != null
              && !v.isNull()
              && !(v.isBoolean() && !v.asBoolean())
              && !(v.isNumber() && v.asDouble() == 0)
              && !(v.isArray() && v.isEmpty())
              && !(v.isTextual() && v.asText().isEmpty());
      if (truthy) {
        return v;
      }
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError(
            "timed out waiting for " + what + " in page " + page + "; page logs: " + logs());
      }
      Thread.sleep(50);
    }
  }

  String logs() throws IOException {
    return String.valueOf(send(JSON.createObjectNode().put("cmd", "logs"), 10));
  }

  @Override
  public void close() {
    try {
      if (process.isAlive()) {
        in.write("{\"cmd\":\"close\",\"id\":0}\n");
        in.flush();
        process.waitFor(20, TimeUnit.SECONDS);
      }
    } catch (IOException | InterruptedException e) {
      // forced below
    } finally {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      stderr.delete();
    }
  }
}
