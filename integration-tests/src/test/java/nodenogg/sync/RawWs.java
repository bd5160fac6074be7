package nodenogg.sync;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A hand-rolled WebSocket client on a plain socket (RFC 6455 framing written out), for tests that
 * act as hostile clients: frames without FIN, floods, clients that never read.
 */
final class RawWs implements AutoCloseable {
  final Socket socket;
  final OutputStream out;
  final DataInputStream in;

  RawWs(int port, String path) throws IOException {
    this(port, path, null);
  }

  /** From a given local address, e.g. 127.0.0.2 to look like another host on a Linux loopback. */
  RawWs(int port, String path, String localAddress) throws IOException {
    socket = new Socket();
    if (localAddress != null) {
      socket.bind(new java.net.InetSocketAddress(localAddress, 0));
    }
    socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 10_000);
    socket.setSoTimeout(10_000);
    out = socket.getOutputStream();
    InputStream raw = socket.getInputStream();
    out.write(
        ("GET "
                + path
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = raw.read();
      if (b < 0) {
        throw new IOException("closed during the handshake: " + head);
      }
      head.append((char) b);
    }
    if (!head.toString().startsWith("HTTP/1.1 101")) {
      throw new IOException("upgrade refused: " + head.toString().split("\r\n")[0]);
    }
    in = new DataInputStream(raw);
  }

  /** One masked frame. */
  static byte[] frame(int opcode, boolean fin, byte[] payload) {
    ByteArrayOutputStream f = new ByteArrayOutputStream(payload.length + 14);
    f.write((fin ? 0x80 : 0) | opcode);
    int n = payload.length;
    if (n < 126) {
      f.write(0x80 | n);
    } else if (n < 65536) {
      f.write(0x80 | 126);
      f.write(n >>> 8);
      f.write(n);
    } else {
      f.write(0x80 | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        f.write((int) ((long) n >>> shift));
      }
    }
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    f.write(mask, 0, 4);
    for (int i = 0; i < n; i++) {
      f.write(payload[i] ^ mask[i & 3]);
    }
    return f.toByteArray();
  }

  void send(int opcode, boolean fin, byte[] payload) throws IOException {
    out.write(frame(opcode, fin, payload));
    out.flush();
  }

  /** Reads the next data message's payload (skipping control frames); null at end of stream. */
  byte[] readMessage() throws IOException {
    while (true) {
      int b0 = in.read();
      if (b0 < 0) {
        return null;
      }
      int b1 = in.readUnsignedByte();
      long len = b1 & 0x7f;
      if (len == 126) {
        len = in.readUnsignedShort();
      } else if (len == 127) {
        len = in.readLong();
      }
      byte[] p = new byte[(int) len];
      in.readFully(p);
      int op = b0 & 0x0f;
      if (op == 1 || op == 2) {
        return p;
      }
      if (op == 8) {
        return null;
      }
    }
  }

  /** Reads frames until a close frame (its code), end of stream (-1), or the timeout (0). */
  int closeCode(int timeoutMillis) {
    try {
      socket.setSoTimeout(timeoutMillis);
      while (true) {
        int b0 = in.read();
        if (b0 < 0) {
          return -1;
        }
        int b1 = in.readUnsignedByte();
        long len = b1 & 0x7f;
        if (len == 126) {
          len = in.readUnsignedShort();
        } else if (len == 127) {
          len = in.readLong();
        }
        byte[] p = new byte[(int) len];
        in.readFully(p);
        if ((b0 & 0x0f) == 8) {
          return p.length >= 2 ? ((p[0] & 0xff) << 8) | (p[1] & 0xff) : 1005;
        }
      }
    } catch (SocketTimeoutException e) {
      return 0;
    } catch (IOException e) {
      return -1;
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closed
    }
  }
}
