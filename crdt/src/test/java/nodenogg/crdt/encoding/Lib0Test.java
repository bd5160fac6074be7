package nodenogg.crdt.encoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * lib0 primitives; expected bytes are the lib0 facts of docs/PROTOCOL.md §1 (the JS that produced
 * them is above them).
 */
class Lib0Test {
  static String hex(byte[] b) {
    StringBuilder sb = new StringBuilder();
    for (byte x : b) {
      sb.append(String.format("%02x", x & 0xFF));
    }
    return sb.toString();
  }

  static byte[] unhex(String h) {
    h = h.replace(" ", "");
    byte[] b = new byte[h.length() / 2];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
    }
    return b;
  }

  // lib0 (node): const e = encoding.createEncoder()
  //   encoding.writeVarUint(e, 300); encoding.writeVarInt(e, -5); encoding.writeVarInt(e, -0)
  //   Buffer.from(encoding.toUint8Array(e)).toString('hex')  // ac024540
  @Test
  void varUintAndVarInt() {
    Lib0Encoder e = new Lib0Encoder();
    e.writeVarUint(300);
    e.writeVarInt(-5);
    e.writeVarInt(0, true);
    assertEquals("ac024540", hex(e.toByteArray()));
    Lib0Decoder d = new Lib0Decoder(e.toByteArray());
    assertEquals(300, d.readVarUint());
    assertEquals(-5, d.readVarInt());
    assertEquals(0, d.readVarInt());
    assertTrue(d.lastVarIntWasNegativeZero());
  }

  @Test
  void largeVarUintRoundTripsUpTo2pow53() {
    long v = (1L << 53) - 1;
    Lib0Encoder e = new Lib0Encoder();
    e.writeVarUint(v);
    assertEquals(v, new Lib0Decoder(e.toByteArray()).readVarUint());
    assertThrows(
        DecodingException.class,
        () -> new Lib0Decoder(unhex("ffffffffffffffffff01")).readVarUint());
  }

  // lib0 (node): const e = encoding.createEncoder(); encoding.writeAny(e, {a: [1, 0.5, 0.1, 5n]})
  //   Buffer.from(encoding.toUint8Array(e)).toString('hex')
  //   // 7601016175047d017c3f0000007b3fb999999999999a7a0000000000000005
  @Test
  void anyExampleFromReference() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("a", Arrays.asList(1, 0.5, 0.1, BigInteger.valueOf(5)));
    Lib0Encoder e = new Lib0Encoder();
    e.writeAny(m);
    assertEquals(
        "7601016175047d017c3f0000007b3fb999999999999a7a0000000000000005", hex(e.toByteArray()));
    Object back = new Lib0Decoder(e.toByteArray()).readAny();
    assertEquals("{a=[1, 0.5, 0.1, 5]}", back.toString());
  }

  @Test
  void numberTyping() {
    Lib0Encoder e = new Lib0Encoder();
    e.writeAny(7);
    e.writeAny(Math.pow(2, 40));
    e.writeAny(-0.0);
    e.writeAny(Double.POSITIVE_INFINITY);
    // lib0 0.2.120 (node): [7, 2 ** 40, -0, Infinity].forEach(v => encoding.writeAny(e, v))  //
    // 7d077c538000007d407c7f800000
    // 2^40 survives float32 and is written as float32 (7c 53800000)
    assertEquals("7d07" + "7c53800000" + "7d40" + "7c7f800000", hex(e.toByteArray()));
    Lib0Decoder d = new Lib0Decoder(e.toByteArray());
    assertEquals(7, d.readAny());
    assertEquals(Math.pow(2, 40), d.readAny());
    Object negZero = d.readAny();
    assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits((Double) negZero));
  }

  @Test
  void objectKeysUseJsOrder() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("b", 1);
    m.put("10", 2);
    m.put("a", 3);
    m.put("2", 4);
    assertEquals(List.of("2", "10", "b", "a"), JsStrings.objectKeys(m));
  }

  @Test
  void loneSurrogatesBecomeReplacementCharacter() {
    Lib0Encoder e = new Lib0Encoder();
    e.writeVarString("a\uD83D");
    assertEquals("0461efbfbd", hex(e.toByteArray()));
  }

  @Test
  void invalidUtf8IsRejectedAndBomKept() {
    DecodingException ex =
        assertThrows(
            DecodingException.class, () -> new Lib0Decoder(unhex("02c328")).readVarString());
    assertEquals(1, ex.offset());
    assertEquals("\uFEFFa", new Lib0Decoder(unhex("04efbbbf61")).readVarString());
  }

  @Test
  void truncatedInputsThrowTypedErrors() {
    assertThrows(DecodingException.class, () -> new Lib0Decoder(unhex("c8c8c8c8")).readVarUint());
    assertThrows(DecodingException.class, () -> new Lib0Decoder(unhex("05616263")).readVarString());
    assertThrows(DecodingException.class, () -> new Lib0Decoder(unhex("7b0000")).readAny());
    assertThrows(DecodingException.class, () -> new Lib0Decoder(unhex("73")).readAny());
    // array claiming 250M elements: no pre-allocation, fails at the end of input
    assertThrows(DecodingException.class, () -> new Lib0Decoder(unhex("75ffffff7a")).readAny());
  }

  @Test
  void deeplyNestedAnyIsRefused() {
    byte[] b = new byte[20001];
    for (int i = 0; i < 20000; i++) {
      b[i] = 117;
      b[++i] = 1;
    }
    b[20000] = 126;
    assertThrows(DecodingException.class, () -> new Lib0Decoder(b).readAny());
  }

  @Test
  void floatsAreBigEndian() {
    Lib0Encoder e = new Lib0Encoder();
    e.writeFloat32(1024.5f);
    e.writeFloat64(0.1);
    assertArrayEquals(unhex("44801000 3fb999999999999a"), e.toByteArray());
  }
}
