package nodenogg.sync.server.websocket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * RFC 6455 frame rules on the server side, tested on the {@link FrameReader} alone (no socket),
 * every input fed one byte at a time, all at once, and split at random: fragmentation with control
 * frames in between, UTF-8 across fragments, masking, the size limit, close frames, and each
 * refusal with the code the RFC names. The socket tests ({@link WebSocketProtocolTest}) check the
 * same over TCP.
 */
class FrameReaderTest {

  /** Records what the reader decodes, as text lines. */
  static class Recorder implements FrameReader.Callbacks {
    final List<String> events = new ArrayList<>();
    final List<byte[]> binaries = new ArrayList<>();
    boolean reading = true;
    boolean accepting = true;

    @Override
    public void onText(String text) {
      events.add("text " + text);
    }

    @Override
    public void onBinary(byte[] data, int length) {
      byte[] copy = new byte[length];
      System.arraycopy(data, 0, copy, 0, length);
      binaries.add(copy);
      events.add("binary " + length);
    }

    @Override
    public void onPing(byte[] data, int length) {
      events.add("ping " + new String(data, 0, length, StandardCharsets.UTF_8));
    }

    @Override
    public void onPong() {
      events.add("pong");
    }

    @Override
    public void onClose(int code, String reason) {
      events.add("close " + code + " " + reason);
    }

    @Override
    public void onError(int code, String reason) {
      events.add("error " + code);
    }

    @Override
    public boolean reading() {
      return reading;
    }

    @Override
    public boolean acceptingMessages() {
      return accepting;
    }
  }

  private static final Random MASKS = new Random(6455);

  /** A client frame: FIN/RSV/opcode byte as given, masked (or not), any payload length. */
  static byte[] frame(int firstByte, boolean masked, byte[] payload) {
    ByteArrayOutputStream f = new ByteArrayOutputStream();
    f.write(firstByte);
    int n = payload.length;
    int maskBit = masked ? 0x80 : 0;
    if (n < 126) {
      f.write(maskBit | n);
    } else if (n < 65536) {
      f.write(maskBit | 126);
      f.write(n >>> 8);
      f.write(n);
    } else {
      f.write(maskBit | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        f.write((int) ((long) n >>> shift));
      }
    }
    byte[] mask = new byte[4];
    MASKS.nextBytes(mask);
    if (masked) {
      f.write(mask, 0, 4);
    }
    for (int i = 0; i < n; i++) {
      f.write(masked ? payload[i] ^ mask[i % 4] : payload[i]);
    }
    return f.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.write(p, 0, p.length);
    }
    return out.toByteArray();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Feeds {@code input} to fresh readers in three ways (one byte at a time, all at once, random
   * splits) and checks they all see the same events; returns them.
   */
  private static List<String> decode(byte[] input, int maxMessageBytes) {
    List<String> seen = null;
    for (int way = 0; way < 3; way++) {
      Recorder r = new Recorder();
      MemoryBudget budget = new MemoryBudget(1L << 30);
      FrameReader reader = new FrameReader(maxMessageBytes, budget, r);
      if (way == 0) {
        for (int i = 0; i < input.length; i++) {
          reader.read(input, i, i + 1);
        }
      } else if (way == 1) {
        reader.read(input, 0, input.length);
      } else {
        Random split = new Random(input.length);
        for (int i = 0; i < input.length; ) {
          int n = Math.min(input.length - i, 1 + split.nextInt(7));
          reader.read(input, i, i + n);
          i += n;
        }
      }
      reader.stop();
      assertEquals(0, budget.used(), "every charge is returned");
      if (seen == null) {
        seen = r.events;
      } else {
        assertEquals(
            seen, r.events, "the same events however the bytes are split (way " + way + ")");
      }
    }
    return seen;
  }

  @Test
  void fragmentedMessagesAreReassembledWithPingsInBetween() {
    byte[] input =
        concat(
            frame(0x01, true, utf8("hel")), // text, not final
            frame(0x89, true, utf8("p1")), // ping in the middle of a message
            frame(0x00, true, utf8("lo ")), // continuation
            frame(0x8A, true, new byte[0]), // a pong too
            frame(0x80, true, utf8("wörld"))); // final continuation
    assertEquals(List.of("ping p1", "pong", "text hello wörld"), decode(input, 4096));
  }

  @Test
  void aMultiByteCharacterSplitAcrossFragmentsIsValid() {
    byte[] euro = utf8("€");
    byte[] input =
        concat(
            frame(0x01, true, new byte[] {euro[0]}),
            frame(0x80, true, new byte[] {euro[1], euro[2]}));
    assertEquals(List.of("text €"), decode(input, 4096));
  }

  @Test
  void invalidUtf8TextAndCloseReasonsAre1007() {
    assertEquals(
        List.of("error 1007"),
        decode(frame(0x81, true, new byte[] {(byte) 0xC3, (byte) 0x28}), 4096));
    assertEquals(
        List.of("error 1007"),
        decode(frame(0x88, true, new byte[] {0x03, (byte) 0xE8, (byte) 0xC3}), 4096));
  }

  @Test
  void unmaskedReservedAndUnknownFramesAre1002AndNothingAfterIsRead() {
    byte[][] bad = {
      frame(0x82, false, new byte[] {1}), // unmasked client frame
      frame(0xC2, true, new byte[] {1}), // RSV1 without an extension
      frame(0x83, true, new byte[] {1}), // reserved data opcode 3
      frame(0x8B, true, new byte[0]), // reserved control opcode 11
      frame(0x09, true, new byte[0]), // fragmented ping
      frame(0x80, true, new byte[] {1}), // continuation with no message started
      frame(0x88, true, new byte[] {3}), // close with a one-byte payload
      frame(0x88, true, new byte[] {0x03, (byte) 0xED}), // close code 1005 may not be sent
      frame(0x88, true, new byte[] {0x03, (byte) 0xEC}), // close code 1004 is reserved
      frame(0x89, true, new byte[126]), // control frames carry at most 125 bytes
      concat(
          frame(0x01, true, utf8("a")),
          frame(0x81, true, utf8("b"))), // a new message before the end
    };
    byte[] after = frame(0x81, true, utf8("never read"));
    for (int i = 0; i < bad.length; i++) {
      assertEquals(List.of("error 1002"), decode(concat(bad[i], after), 4096), "case " + i);
    }
  }

  @Test
  void aMessageOverTheLimitAcrossFragmentsIs1009() {
    ByteArrayOutputStream input = new ByteArrayOutputStream();
    byte[] part = new byte[100];
    for (int i = 0; i < 40; i++) {
      input.writeBytes(frame(i == 0 ? 0x02 : 0x00, true, part)); // 4,000 bytes, not final
    }
    input.writeBytes(frame(0x80, true, part)); // 4,100 > 4,096
    assertEquals(List.of("error 1009"), decode(input.toByteArray(), 4096));
    assertEquals(
        List.of("error 1009"),
        decode(frame(0x82, true, new byte[4097]), 4096),
        "one frame too big");
  }

  @Test
  void closeFramesCarryTheirCodeAndReason() {
    byte[] body = concat(new byte[] {(byte) (4000 >>> 8), (byte) (4000 & 0xff)}, utf8("bye"));
    assertEquals(List.of("close 4000 bye"), decode(frame(0x88, true, body), 4096));
    assertEquals(
        List.of("close 1005 "), decode(frame(0x88, true, new byte[0]), 4096), "no status code");
  }

  @Test
  void payloadsOfEveryLengthEncodingArriveIntact() {
    Random random = new Random(6455);
    for (int n : new int[] {0, 1, 125, 126, 3000, 65535, 65536, 70000}) {
      byte[] payload = new byte[n];
      random.nextBytes(payload);
      Recorder r = new Recorder();
      FrameReader reader = new FrameReader(1 << 20, new MemoryBudget(1 << 22), r);
      byte[] f = frame(0x82, true, payload);
      for (int i = 0; i < f.length; i++) { // one byte at a time
        reader.read(f, i, i + 1);
      }
      assertEquals(List.of("binary " + n), r.events, "length " + n);
      assertArrayEquals(payload, r.binaries.get(0), "length " + n + " unmasked");
    }
  }

  @Test
  void buffersAreChargedBeforeTheyAreAllocatedAndReturnedAfterDelivery() {
    Recorder r = new Recorder();
    MemoryBudget budget = new MemoryBudget(10_000);
    FrameReader reader = new FrameReader(1 << 20, budget, r);
    byte[] whole = frame(0x82, true, new byte[3000]);
    reader.read(whole, 0, 20); // the header and a few bytes: the frame's declared size is charged
    assertEquals(3000, budget.used());
    assertEquals(3000, reader.heldBytes());
    reader.read(whole, 20, whole.length);
    assertEquals(0, budget.used(), "returned once delivered");
    // a fragmented message: its reassembly buffer grows by charged doubling
    reader.read(frame(0x02, true, new byte[1000]), 0, frame(0x02, true, new byte[1000]).length);
    assertEquals(1000, budget.used());
    byte[] next = frame(0x00, true, new byte[1000]);
    reader.read(next, 0, next.length);
    assertEquals(2000, budget.used());
    byte[] tooMuch = frame(0x00, true, new byte[9000]); // the buffer would grow to 11,000 > 10,000
    reader.read(tooMuch, 0, 14);
    assertEquals(
        List.of("binary 3000", "error 1013"), r.events, "a buffer that does not fit: 1013");
    assertEquals(0, budget.used(), "and everything it held is returned");
    assertTrue(reader.stopped());
  }

  @Test
  void messagesAreDroppedUnreadWhenNotAcceptedAndReadingStopsWhenTheSocketIsGone() {
    Recorder r = new Recorder();
    r.accepting = false; // our close frame is out: data is dropped, not even checked as UTF-8
    MemoryBudget budget = new MemoryBudget(1 << 20);
    FrameReader reader = new FrameReader(4096, budget, r);
    byte[] input =
        concat(
            frame(0x81, true, new byte[] {(byte) 0xC3, (byte) 0x28}),
            frame(0x88, true, new byte[0]));
    reader.read(input, 0, input.length);
    assertEquals(List.of("close 1005 "), r.events);
    assertEquals(0, budget.used());

    Recorder gone =
        new Recorder() {
          @Override
          public void onText(String text) {
            super.onText(text);
            reading = false; // the handler closed the socket during the callback
          }
        };
    FrameReader second = new FrameReader(4096, budget, gone);
    byte[] two = concat(frame(0x81, true, utf8("first")), frame(0x81, true, utf8("second")));
    second.read(two, 0, two.length);
    assertEquals(List.of("text first"), gone.events, "the rest of the input is dropped");
  }

  @Test
  void wordAtATimeUnmaskingEqualsTheRfcDefinitionAtEveryOffsetLengthAndPhase() {
    Random random = new Random(23);
    for (int round = 0; round < 3000; round++) {
      int n = random.nextInt(round < 1000 ? 40 : 300);
      int off = random.nextInt(9);
      int pos = random.nextInt(9);
      int phase = random.nextInt(1000);
      int mask = random.nextInt();
      byte[] src = new byte[off + n + random.nextInt(9)];
      random.nextBytes(src);
      byte[] dst = new byte[pos + n + random.nextInt(9)];
      random.nextBytes(dst);
      byte[] expected = dst.clone();
      byte[] maskBytes = {
        (byte) (mask >>> 24), (byte) (mask >>> 16), (byte) (mask >>> 8), (byte) mask
      };
      for (int i = 0; i < n; i++) { // RFC 6455 5.3: j = i MOD 4 of the position in the payload
        expected[pos + i] = (byte) (src[off + i] ^ maskBytes[(phase + i) % 4]);
      }
      FrameReader.unmask(src, off, dst, pos, n, mask, phase);
      assertArrayEquals(
          expected, dst, "n=" + n + " off=" + off + " pos=" + pos + " phase=" + phase);
    }
  }
}
