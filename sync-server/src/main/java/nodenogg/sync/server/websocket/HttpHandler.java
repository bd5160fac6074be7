package nodenogg.sync.server.websocket;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Answers a plain (non-upgrade) HTTP request that {@link WebServer} routes to it by path. */
@FunctionalInterface
public interface HttpHandler {

  Response handle(String method, String path, Map<String, String> headers);

  /**
   * The full request; the server calls this one. By default it calls {@link #handle(String, String,
   * Map)}; handlers that need the query string or the remote address override it.
   */
  default Response handle(Request request) {
    return handle(request.method(), request.path(), request.headers());
  }

  /**
   * A plain HTTP request (no body: the server reads request heads only).
   *
   * @param path the path without the query string, not URL-decoded
   * @param query the raw query string without '?', or ""
   * @param headers names lower-cased
   * @param remoteAddress the socket's {@code host:port}
   */
  record Request(
      String method,
      String path,
      String query,
      Map<String, String> headers,
      String remoteAddress) {}

  /**
   * An HTTP response; bodies are sent from memory (status pages, health checks, small downloads).
   * {@code headers} are extra response headers (for example {@code Content-Disposition}, {@code
   * WWW-Authenticate}); names and values must not contain CR or LF.
   */
  record Response(int status, String contentType, byte[] body, Map<String, String> headers) {
    public Response {
      headers = headers == null ? Map.of() : Map.copyOf(headers);
      for (Map.Entry<String, String> h : headers.entrySet()) {
        if (h.getKey().matches(".*[\\r\\n:].*") || h.getValue().matches("(?s).*[\\r\\n].*")) {
          throw new IllegalArgumentException(
              "header " + h.getKey() + " contains a line break or colon");
        }
      }
    }

    public Response(int status, String contentType, byte[] body) {
      this(status, contentType, body, Map.of());
    }

    public static Response json(int status, String json) {
      return new Response(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    public static Response text(int status, String text) {
      return new Response(
          status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    /** This response with one more header. */
    public Response withHeader(String name, String value) {
      Map<String, String> h = new LinkedHashMap<>(headers);
      h.put(name, value);
      return new Response(status, contentType, body, h);
    }
  }
}
