package nodenogg.sync.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the lib0 primitives the sync protocols use (varUint, varString, varUint8Array) from one
 * message. Every read checks bounds and throws {@link ProtocolException} with the offset.
 * Not thread-safe: one reader per message.
 */
public final class WireReader {
  private static final long MAX_SAFE_INTEGER = (1L << 53) - 1;
  private final byte[] buf;
  private int pos;
  private final int end;

  public WireReader(byte[] buf) {
    this(buf, 0, buf.length);
  }

  public WireReader(byte[] buf, int offset, int length) {
    this.buf = buf;
    this.pos = offset;
    this.end = offset + length;
  }

  public int position() {
    return pos;
  }

  public boolean hasRemaining() {
    return pos < end;
  }

  public int remaining() {
    return end - pos;
  }

  public int readUint8() {
    if (pos >= end) {
      throw new ProtocolException("unexpected end of message", pos);
    }
    return buf[pos++] & 0xff;
  }

  /** lib0 varUint: 7 bits a byte, low group first; values above 2^53-1 are refused as in lib0. */
  public long readVarUint() {
    int start = pos;
    long num = 0;
    long mult = 1;
    while (true) {
      int b = readUint8();
      num += (b & 0x7f) * mult;
      mult *= 128;
      if (b < 0x80) {
        return num;
      }
      if (num > MAX_SAFE_INTEGER || mult > (1L << 56)) {
        throw new ProtocolException("varUint larger than 2^53-1", start);
      }
    }
  }

  /** A varUint that must fit a non-negative int (lengths, counts). */
  public int readLength() {
    int start = pos;
    long n = readVarUint();
    if (n > remainingCap()) {
      throw new ProtocolException("length " + n + " exceeds the " + remaining() + " bytes left", start);
    }
    return (int) n;
  }

  private long remainingCap() {
    return Math.max(0, end - pos);
  }

  public byte[] readVarUint8Array() {
    int len = readLength();
    byte[] out = Arrays.copyOfRange(buf, pos, pos + len);
    pos += len;
    return out;
  }

  /** A varString, decoded as strict UTF-8 (invalid sequences throw, like lib0's fatal TextDecoder). */
  public String readVarString() {
    int start = pos;
    int len = readLength();
    try {
      String s = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(buf, pos, len)).toString();
      pos += len;
      return s;
    } catch (CharacterCodingException e) {
      throw new ProtocolException("invalid UTF-8 in string", start, e);
    }
  }

  /** The bytes from the current position to the end (consumed). */
  public byte[] readRest() {
    byte[] out = Arrays.copyOfRange(buf, pos, end);
    pos = end;
    return out;
  }
}
