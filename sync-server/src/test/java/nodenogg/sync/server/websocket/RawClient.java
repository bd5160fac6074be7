package nodenogg.sync.server.websocket;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/** A deliberately minimal WebSocket/HTTP client over a plain socket, for tests that misbehave. */
final class RawClient implements AutoCloseable {

  final Socket socket;
  final InputStream in;
  final OutputStream out;
  private final Random random = new Random(42);

  RawClient(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(5000);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  void write(String ascii) throws IOException {
    out.write(ascii.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  /** Sends an upgrade request and returns the response head (status line and headers). */
  String upgrade(String path, String origin) throws IOException {
    write(
        "GET "
            + path
            + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
            + (origin == null ? "" : "Origin: " + origin + "\r\n")
            + "\r\n");
    return readHead();
  }

  String readHead() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  /** Reads everything until the server closes the socket. */
  String readAll() throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
  }

  /** Sends one masked frame with the given opcode and payload. */
  void sendFrame(int opcode, byte[] payload) throws IOException {
    out.write(frame(opcode, payload));
    out.flush();
  }

  /** The bytes of one masked frame (to send in parts). */
  byte[] frame(int opcode, byte[] payload) {
    return maskedFrame(random, opcode, payload);
  }

  /**
   * One masked client frame with a mask from {@code random}, encoded by hand per RFC 6455 section
   * 5.2.
   */
  static byte[] maskedFrame(java.util.Random random, int opcode, byte[] payload) {
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.write(0x80 | opcode);
    int n = payload.length;
    if (n < 126) {
      frame.write(0x80 | n);
    } else if (n < 65536) {
      frame.write(0x80 | 126);
      frame.write(n >>> 8);
      frame.write(n);
    } else {
      frame.write(0x80 | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        frame.write((int) ((long) n >>> shift));
      }
    }
    byte[] mask = new byte[4];
    random.nextBytes(mask);
    frame.write(mask, 0, 4);
    for (int i = 0; i < n; i++) {
      frame.write(payload[i] ^ mask[i % 4]);
    }
    return frame.toByteArray();
  }

  /** One received frame: opcode and payload. */
  record Frame(int opcode, byte[] payload) {
    String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    int closeCode() {
      return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
    }
  }

  /** Reads the next frame, or null at end of stream. */
  Frame readFrame() throws IOException {
    DataInputStream data = new DataInputStream(in);
    int b0 = data.read();
    if (b0 < 0) {
      return null;
    }
    int b1 = data.readUnsignedByte();
    long len = b1 & 0x7f;
    if (len == 126) {
      len = data.readUnsignedShort();
    } else if (len == 127) {
      len = data.readLong();
    }
    byte[] payload = new byte[(int) len];
    data.readFully(payload);
    return new Frame(b0 & 0x0f, payload);
  }

  /** Reads frames until a close frame or end of stream; returns the close code, or -1 at EOF. */
  int awaitClose() throws IOException {
    try {
      while (true) {
        Frame f = readFrame();
        if (f == null) {
          return -1;
        }
        if (f.opcode() == 8) {
          return f.closeCode();
        }
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the server did not close the connection in time", e);
    } catch (IOException e) {
      return -1;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
