package nodenogg.sync.server.websocket;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The head of one HTTP/1.x request (request line and headers), parsed from raw bytes before the
 * WebSocket library sees them. Immutable.
 */
final class HttpHead {

  /** Signals a request head that cannot be parsed; the server answers 400. */
  static final class MalformedException extends Exception {
    MalformedException(String message) {
      super(message);
    }
  }

  final String method;
  final String path;
  final String query;
  final Map<String, String> headers;

  private HttpHead(String method, String path, String query, Map<String, String> headers) {
    this.method = method;
    this.path = path;
    this.query = query;
    this.headers = headers;
  }

  /**
   * Index just past the blank line that ends the head ({@code \r\n\r\n}), or -1 when the head is
   * not complete within {@code length} bytes.
   */
  static int endOfHead(byte[] bytes, int length) {
    for (int i = 3; i < length; i++) {
      if (bytes[i] == '\n'
          && bytes[i - 1] == '\r'
          && bytes[i - 2] == '\n'
          && bytes[i - 3] == '\r') {
        return i + 1;
      }
    }
    return -1;
  }

  static HttpHead parse(byte[] bytes, int headLength) throws MalformedException {
    String text = new String(bytes, 0, headLength, StandardCharsets.ISO_8859_1);
    String[] lines = text.split("\r\n");
    if (lines.length == 0) {
      throw new MalformedException("empty request");
    }
    String[] requestLine = lines[0].split(" ");
    if (requestLine.length != 3 || !requestLine[2].startsWith("HTTP/1.")) {
      throw new MalformedException("bad request line");
    }
    String method = requestLine[0];
    for (int i = 0; i < method.length(); i++) {
      char c = method.charAt(i);
      if (c < 'A' || c > 'Z') {
        throw new MalformedException("bad method");
      }
    }
    String target = requestLine[1];
    if (target.startsWith("http://") || target.startsWith("https://")) {
      int slash = target.indexOf('/', target.indexOf("//") + 2);
      target = slash < 0 ? "/" : target.substring(slash);
    }
    if (!target.startsWith("/")) {
      throw new MalformedException("bad request target");
    }
    int q = target.indexOf('?');
    String path = q < 0 ? target : target.substring(0, q);
    String query = q < 0 ? "" : target.substring(q + 1);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i];
      if (line.isEmpty()) {
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new MalformedException("bad header line");
      }
      String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).trim();
      headers.merge(name, value, (a, b) -> a + ", " + b);
    }
    return new HttpHead(method, path, query, Collections.unmodifiableMap(headers));
  }

  /** True when this is a WebSocket upgrade request (Upgrade: websocket). */
  boolean isUpgrade() {
    String upgrade = headers.get("upgrade");
    return upgrade != null && upgrade.toLowerCase(Locale.ROOT).contains("websocket");
  }

  String origin() {
    return headers.get("origin");
  }
}
