package nodenogg.sync.server.websocket;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Serializes plain HTTP responses; every response closes the connection. Stateless. */
final class HttpReply {

  private HttpReply() {}

  static ByteBuffer render(
      int status,
      String contentType,
      byte[] body,
      boolean withBody,
      String allowOrigin,
      String extraHeaders) {
    StringBuilder head = new StringBuilder(160);
    head.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
    head.append("Content-Type: ")
        .append(contentType == null ? "application/octet-stream" : contentType)
        .append("\r\n");
    head.append("Content-Length: ").append(body.length).append("\r\n");
    head.append("Cache-Control: no-store\r\n");
    if (allowOrigin != null) {
      head.append("Access-Control-Allow-Origin: ").append(allowOrigin).append("\r\n");
      head.append("Vary: Origin\r\n");
    }
    if (extraHeaders != null) {
      head.append(extraHeaders);
    }
    head.append("Connection: close\r\n\r\n");
    byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
    int bodyLength = withBody ? body.length : 0;
    ByteBuffer out = ByteBuffer.allocate(headBytes.length + bodyLength);
    out.put(headBytes);
    if (withBody) {
      out.put(body);
    }
    out.flip();
    return out;
  }

  static ByteBuffer text(int status, String message, String allowOrigin) {
    return render(
        status,
        "text/plain; charset=utf-8",
        (message + "\n").getBytes(StandardCharsets.UTF_8),
        true,
        allowOrigin,
        null);
  }

  static String reason(int status) {
    switch (status) {
      case 200:
        return "OK";
      case 204:
        return "No Content";
      case 400:
        return "Bad Request";
      case 401:
        return "Unauthorized";
      case 403:
        return "Forbidden";
      case 404:
        return "Not Found";
      case 405:
        return "Method Not Allowed";
      case 426:
        return "Upgrade Required";
      case 429:
        return "Too Many Requests";
      case 431:
        return "Request Header Fields Too Large";
      case 500:
        return "Internal Server Error";
      case 503:
        return "Service Unavailable";
      default:
        return status < 400 ? "OK" : "Error";
    }
  }
}
