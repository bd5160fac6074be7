package nodenogg.sync.server.websocket;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Answers a plain (non-upgrade) HTTP request that {@link WebServer} routes to it by path. */
@FunctionalInterface
public interface HttpHandler {

  Response handle(String method, String path, Map<String, String> headers);

  /** An HTTP response; small bodies only (status pages, health checks). */
  record Response(int status, String contentType, byte[] body) {
    public static Response json(int status, String json) {
      return new Response(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }
  }
}
