package nodenogg.sync.server.websocket;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Decodes what a WebSocket client sends (RFC 6455 5.2, server side: client frames must be masked;
 * no extensions): bytes in, callbacks out, no socket. Bytes may arrive split anywhere, down to one
 * at a time. It checks every rule a server must (masking, reserved bits and opcodes, control frames
 * final and at most 125 bytes, continuation order, close codes, UTF-8 of text and close reasons,
 * the message size limit), reassembles fragmented messages, and unmasks payloads. A violation is
 * reported once through {@link Callbacks#onError} with the close code the RFC names, and the reader
 * stops.
 *
 * <p>Memory: every data frame's payload and a fragmented message's reassembly buffer are charged to
 * the {@link MemoryBudget} before they are allocated (at the size the frame header declares,
 * growing the reassembly buffer by doubling) and returned once the message is delivered, dropped,
 * or the reader stops; a charge that does not fit is reported as 1013. Control frames (at most 125
 * bytes) are not charged.
 *
 * <p>Not thread-safe: one thread feeds it (the socket's event loop), and callbacks run on that
 * thread.
 */
final class FrameReader {

  /** Where decoded frames go. Called on the thread that called {@link #read}. */
  interface Callbacks {
    /** A complete text message (valid UTF-8). */
    void onText(String text);

    /** A complete binary message; {@code data[0..length)} is valid only during the call. */
    void onBinary(byte[] data, int length);

    /** A ping with its payload ({@code data[0..length)}, valid only during the call). */
    void onPing(byte[] data, int length);

    void onPong();

    /**
     * A close frame: its code ({@link WebSocketCodes#NO_STATUS} when it carried none) and reason.
     */
    void onClose(int code, String reason);

    /**
     * The client broke a rule (or its message does not fit): close with {@code code}. The reader
     * has stopped.
     */
    void onError(int code, String reason);

    /**
     * Whether to go on reading (false drops the rest of the input: the socket is gone or draining).
     */
    boolean reading();

    /**
     * Whether complete messages are still wanted (false drops them unread: our close frame is out).
     */
    boolean acceptingMessages();
  }

  private static final byte[] EMPTY = new byte[0];

  private final int maxMessageBytes;
  private final MemoryBudget budget;
  private final Callbacks callbacks;
  private final byte[] frameHead = new byte[14];
  private int frameHeadLength;
  private int frameHeadNeeded;
  private int opcode;
  private boolean fin;
  private int mask;
  private long payloadLeft;
  private byte[] payload;
  private int payloadPos;
  private int frameStart; // payloadPos at which the current frame's payload began
  private int messageOpcode; // opcode of the fragmented message being assembled, 0 = none
  private byte[] message;
  private int messageLength;
  private long charged; // budget bytes held by payload and message buffers
  private boolean stopped; // an error was reported, or stop() was called: further input is dropped

  FrameReader(int maxMessageBytes, MemoryBudget budget, Callbacks callbacks) {
    this.maxMessageBytes = maxMessageBytes;
    this.budget = budget;
    this.callbacks = callbacks;
  }

  /** Budget bytes this reader holds now. */
  long heldBytes() {
    return charged;
  }

  boolean stopped() {
    return stopped;
  }

  /** Drops a half-received frame or message and returns its charge; further input is ignored. */
  void stop() {
    stopped = true;
    release();
    payload = null;
    payloadLeft = 0;
    message = null;
    messageOpcode = 0;
  }

  /** Decodes {@code b[off..end)}, calling back for every complete frame or message. */
  void read(byte[] b, int off, int end) {
    while (off < end && !stopped) {
      if (payloadLeft > 0) {
        int take = (int) Math.min(payloadLeft, end - off);
        byte[] dst = payload;
        int pos = payloadPos;
        unmask(b, off, dst, pos, take, mask, payloadPos - frameStart);
        off += take;
        payloadPos = pos + take;
        payloadLeft -= take;
        if (payloadLeft == 0) {
          frameComplete();
          if (!callbacks.reading()) {
            return;
          }
        }
        continue;
      }
      frameHead[frameHeadLength++] = b[off++];
      if (frameHeadLength == 2) {
        if ((frameHead[1] & 0x80) == 0) {
          frameHeadLength = 0;
          error(WebSocketCodes.PROTOCOL_ERROR, "client frames must be masked");
          return;
        }
        int len7 = frameHead[1] & 0x7f;
        frameHeadNeeded = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + 4;
      }
      if (frameHeadLength >= 2 && frameHeadLength == frameHeadNeeded) {
        frameHeadLength = 0;
        if (!frameHeader()) {
          return;
        }
        if (payloadLeft == 0) {
          frameComplete();
          if (!callbacks.reading()) {
            return;
          }
        }
      }
    }
  }

  /** Validates a complete frame header and prepares its payload buffer; false if refused. */
  private boolean frameHeader() {
    int b0 = frameHead[0] & 0xff;
    int b1 = frameHead[1] & 0xff;
    fin = (b0 & 0x80) != 0;
    opcode = b0 & 0x0f;
    if ((b0 & 0x70) != 0) {
      return error(
          WebSocketCodes.PROTOCOL_ERROR, "reserved bits set without a negotiated extension");
    }
    int len7 = b1 & 0x7f;
    long length;
    int at;
    if (len7 < 126) {
      length = len7;
      at = 2;
    } else if (len7 == 126) {
      length = ((frameHead[2] & 0xff) << 8) | (frameHead[3] & 0xff);
      at = 4;
    } else {
      length = 0;
      for (int i = 2; i < 10; i++) {
        length = (length << 8) | (frameHead[i] & 0xff);
      }
      if (length < 0) {
        return error(WebSocketCodes.PROTOCOL_ERROR, "frame length out of range");
      }
      at = 10;
    }
    mask =
        ((frameHead[at] & 0xff) << 24)
            | ((frameHead[at + 1] & 0xff) << 16)
            | ((frameHead[at + 2] & 0xff) << 8)
            | (frameHead[at + 3] & 0xff);
    if (WebSocketCodes.isControl(opcode)) {
      if (opcode > WebSocketCodes.OP_PONG) {
        return error(WebSocketCodes.PROTOCOL_ERROR, "unknown opcode " + opcode);
      }
      if (!fin || length > 125) {
        return error(
            WebSocketCodes.PROTOCOL_ERROR, "control frames must be final and at most 125 bytes");
      }
      payload = length == 0 ? EMPTY : new byte[(int) length];
      payloadPos = 0;
      frameStart = 0;
      payloadLeft = length;
      return true;
    }
    if (opcode > WebSocketCodes.OP_BINARY) {
      return error(WebSocketCodes.PROTOCOL_ERROR, "unknown opcode " + opcode);
    }
    if (opcode == WebSocketCodes.OP_CONTINUATION && messageOpcode == 0) {
      return error(
          WebSocketCodes.PROTOCOL_ERROR, "continuation frame without a message to continue");
    }
    if (opcode != WebSocketCodes.OP_CONTINUATION && messageOpcode != 0) {
      return error(
          WebSocketCodes.PROTOCOL_ERROR, "new message before the previous one was finished");
    }
    long total = (opcode == WebSocketCodes.OP_CONTINUATION ? messageLength : 0) + length;
    if (total > maxMessageBytes) {
      return error(
          WebSocketCodes.MESSAGE_TOO_BIG,
          "message too big: limit is " + maxMessageBytes + " bytes");
    }
    if (opcode != WebSocketCodes.OP_CONTINUATION && fin) {
      if (!charge(length)) {
        return overBudget();
      }
      payload = length == 0 ? EMPTY : new byte[(int) length]; // a whole message in one frame
      payloadPos = 0;
    } else {
      if (opcode != WebSocketCodes.OP_CONTINUATION) {
        int capacity = (int) Math.max(256, length);
        if (!charge(capacity)) {
          return overBudget();
        }
        messageOpcode = opcode;
        messageLength = 0;
        message = new byte[capacity];
      } else if (message.length < total) {
        int capacity = (int) Math.min(maxMessageBytes, Math.max(total, 2L * message.length));
        if (!charge(capacity - message.length)) {
          return overBudget();
        }
        message = Arrays.copyOf(message, capacity);
      }
      payload = message;
      payloadPos = messageLength;
    }
    frameStart = payloadPos;
    payloadLeft = length;
    return true;
  }

  private void frameComplete() {
    int op = opcode;
    if (WebSocketCodes.isControl(op)) {
      byte[] data = payload;
      payload = null;
      control(op, data, payloadPos);
      return;
    }
    byte[] data = payload;
    int length;
    int messageOp;
    if (op != WebSocketCodes.OP_CONTINUATION) {
      if (!fin) {
        messageLength = payloadPos;
        payload = null;
        return;
      }
      messageOp = op;
      length = payloadPos;
    } else {
      messageLength = payloadPos;
      if (!fin) {
        payload = null;
        return;
      }
      messageOp = messageOpcode;
      length = messageLength;
      messageOpcode = 0;
      message = null;
      messageLength = 0;
    }
    payload = null;
    try {
      if (!callbacks.acceptingMessages()) {
        return; // after our close frame, data is dropped
      }
      if (messageOp == WebSocketCodes.OP_TEXT) {
        String text;
        try {
          text = decodeUtf8(data, 0, length);
        } catch (CharacterCodingException e) {
          error(WebSocketCodes.INVALID_PAYLOAD, "text message is not valid UTF-8");
          return;
        }
        callbacks.onText(text);
      } else {
        callbacks.onBinary(data, length);
      }
    } finally {
      release(); // the callback has taken what it keeps (and charges that itself)
    }
  }

  private void control(int op, byte[] data, int length) {
    if (op == WebSocketCodes.OP_PONG) {
      callbacks.onPong();
      return;
    }
    if (op == WebSocketCodes.OP_PING) {
      callbacks.onPing(data, length);
      return;
    }
    int code;
    String reason = "";
    if (length == 0) {
      code = WebSocketCodes.NO_STATUS;
    } else if (length == 1) {
      error(WebSocketCodes.PROTOCOL_ERROR, "close frame with a one-byte payload");
      return;
    } else {
      code = ((data[0] & 0xff) << 8) | (data[1] & 0xff);
      if (!WebSocketCodes.isSendable(code)) {
        error(WebSocketCodes.PROTOCOL_ERROR, "invalid close code " + code);
        return;
      }
      try {
        reason = decodeUtf8(data, 2, length - 2);
      } catch (CharacterCodingException e) {
        error(WebSocketCodes.INVALID_PAYLOAD, "close reason is not valid UTF-8");
        return;
      }
    }
    callbacks.onClose(code, reason);
  }

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  /**
   * {@code dst[pos..pos+n) = src[off..off+n) ^ mask}, where the first byte is at {@code phase}
   * bytes into the frame's payload (the mask repeats every 4 bytes, its first byte the most
   * significant). Eight bytes at a time.
   */
  static void unmask(byte[] src, int off, byte[] dst, int pos, int n, int mask, int phase) {
    int m = Integer.rotateLeft(mask, (phase & 3) << 3); // the mask as seen from src[off]
    int i = 0;
    if (n >= 16) {
      long m8 = ((long) m << 32) | (m & 0xffffffffL);
      int words = n & ~7;
      for (; i < words; i += 8) {
        LONGS.set(dst, pos + i, (long) LONGS.get(src, off + i) ^ m8);
      }
    }
    for (; i < n; i++) {
      dst[pos + i] = (byte) (src[off + i] ^ (m >>> (24 - ((i & 3) << 3))));
    }
  }

  private boolean charge(long bytes) {
    if (!budget.tryCharge(bytes)) {
      return false;
    }
    charged += bytes;
    return true;
  }

  private void release() {
    if (charged > 0) {
      budget.release(charged);
      charged = 0;
    }
  }

  private boolean overBudget() {
    return error(
        WebSocketCodes.TRY_AGAIN_LATER, "server busy: memory budget exhausted; retry later");
  }

  /** Stops reading and reports the violation. Always false (for {@code return error(...)}). */
  private boolean error(int code, String reason) {
    stop();
    callbacks.onError(code, reason);
    return false;
  }

  /** Strict UTF-8 (a malformed or unmappable sequence throws), fast for ASCII. */
  static String decodeUtf8(byte[] b, int off, int length) throws CharacterCodingException {
    if (length == 0) {
      return "";
    }
    boolean ascii = true;
    for (int i = off; i < off + length; i++) {
      if (b[i] < 0) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      return new String(b, off, length, StandardCharsets.ISO_8859_1);
    }
    CharBuffer chars =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(b, off, length));
    return chars.toString();
  }
}
