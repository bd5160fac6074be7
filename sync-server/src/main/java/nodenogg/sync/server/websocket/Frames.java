package nodenogg.sync.server.websocket;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Server-to-client WebSocket frames (RFC 6455 5.2: final, unmasked) and handshake helpers.
 * Stateless.
 */
final class Frames {

  private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  private Frames() {}

  /** A final frame with the opcode and payload bytes, ready to write. */
  static ByteBuffer data(int opcode, byte[] payload, int off, int length) {
    int head = length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
    byte[] f = new byte[head + length];
    f[0] = (byte) (0x80 | opcode);
    if (length < 126) {
      f[1] = (byte) length;
    } else if (length <= 0xFFFF) {
      f[1] = 126;
      f[2] = (byte) (length >>> 8);
      f[3] = (byte) length;
    } else {
      f[1] = 127;
      long len = length;
      for (int i = 0; i < 8; i++) {
        f[2 + i] = (byte) (len >>> (56 - 8 * i));
      }
    }
    System.arraycopy(payload, off, f, head, length);
    return ByteBuffer.wrap(f);
  }

  /** A close frame; code -1 sends an empty payload (answering a close that carried no code). */
  static ByteBuffer close(int code, String reason) {
    if (code < 0) {
      return data(8, new byte[0], 0, 0);
    }
    byte[] text = fitCloseReason(reason).getBytes(StandardCharsets.UTF_8);
    byte[] body = new byte[2 + text.length];
    body[0] = (byte) (code >>> 8);
    body[1] = (byte) code;
    System.arraycopy(text, 0, body, 2, text.length);
    return data(8, body, 0, body.length);
  }

  /** A close frame's reason must fit in 123 UTF-8 bytes (RFC 6455 5.5); longer ones are cut. */
  static String fitCloseReason(String reason) {
    if (reason == null) {
      return "";
    }
    if (reason.length() <= 41) {
      return reason; // 41 chars * 3 bytes < 123
    }
    StringBuilder out = new StringBuilder();
    int bytes = 0;
    for (int i = 0; i < reason.length(); ) {
      int cp = reason.codePointAt(i);
      int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (bytes + n > 123) {
        break;
      }
      out.appendCodePoint(cp);
      bytes += n;
      i += Character.charCount(cp);
    }
    return out.toString();
  }

  /** The Sec-WebSocket-Accept value for a client's key (RFC 6455 4.2.2). */
  static String acceptKey(String key) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      byte[] digest = sha1.digest((key + ACCEPT_GUID).getBytes(StandardCharsets.ISO_8859_1));
      return Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(
          "this JVM has no SHA-1, which every Java SE platform must have", e);
    }
  }

  /** True when the key is base64 for 16 bytes, as RFC 6455 4.1 requires. */
  static boolean validKey(String key) {
    if (key == null || key.length() != 24) {
      return false;
    }
    try {
      return Base64.getDecoder().decode(key).length == 16;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The 101 response completing an upgrade. */
  static ByteBuffer switchingProtocols(String key) {
    String head =
        "HTTP/1.1 101 Switching Protocols\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: "
            + acceptKey(key)
            + "\r\n\r\n";
    return ByteBuffer.wrap(head.getBytes(StandardCharsets.ISO_8859_1));
  }
}
