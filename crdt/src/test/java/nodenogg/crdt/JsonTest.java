package nodenogg.crdt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nodenogg.crdt.encoding.Undefined;
import org.junit.jupiter.api.Test;

/** JS JSON.stringify / Number#toString facts (as printed by Node 20). */
class JsonTest {
  @Test
  void numbersPrintLikeJs() {
    assertEquals("1e+21", Json.numberToString(1e21));
    assertEquals("100000000000000000000", Json.numberToString(1e20));
    assertEquals("0.1", Json.numberToString(0.1));
    assertEquals("5e-7", Json.numberToString(5e-7));
    assertEquals("0.000001", Json.numberToString(1e-6));
    assertEquals("0", Json.numberToString(-0.0));
    assertEquals("0.30000000000000004", Json.numberToString(0.1 + 0.2));
    assertEquals("1.7976931348623157e+308", Json.numberToString(Double.MAX_VALUE));
    assertEquals("5e-324", Json.numberToString(Double.MIN_VALUE));
    assertEquals("123.456", Json.numberToString(123.456));
    assertEquals("-1.5", Json.numberToString(-1.5));
    assertEquals("9007199254740992", Json.numberToString(9007199254740992.0));
    assertEquals("1.2345678901234568e+25", Json.numberToString(12345678901234567890123456.0));
  }

  @Test
  void stringifyValues() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("b", Arrays.asList(1, null, Undefined.INSTANCE, Double.NaN, "q\"\n\u0001"));
    m.put("1", true);
    m.put("u", Undefined.INSTANCE);
    assertEquals("{\"1\":true,\"b\":[1,null,null,null,\"q\\\"\\n\\u0001\"]}", Json.stringify(m));
    assertEquals("\"\\ud800\"", Json.stringify("\uD800"));
  }

  @Test
  void parse() {
    assertEquals(
        Arrays.asList(1, 0.5, "x", null, true), Json.parse(" [1, 0.5, \"x\", null, true] "));
    assertEquals("{\"a\":{\"b\":[]}}", Json.stringify(Json.parse("{\"a\":{\"b\":[]}}")));
    assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":}"));
    assertThrows(IllegalArgumentException.class, () -> Json.parse("[1,]"));
  }

  // The expected values below were printed by Node 20.20 (JSON.stringify / JSON.parse /
  // Object.keys)
  // on 2026-11-26, e.g. node -e 'console.log(JSON.stringify(JSON.parse("[9007199254740993]")))'.

  @Test
  void negativeZero() {
    // JSON.stringify(-0) === "0"; Object.is(JSON.parse("-0"), -0) === true
    assertEquals("0", Json.stringify(-0.0));
    assertEquals("[0]", Json.stringify(Arrays.asList(-0.0)));
    Object z = Json.parse("-0");
    assertTrue(z instanceof Double && 1 / (Double) z < 0, "JSON.parse(\"-0\") is -0, got " + z);
    assertEquals("0", Json.stringify(Json.parse("-0.0")));
    assertEquals(0, Json.parse("0"));
  }

  @Test
  void keyOrderIsJsObjectKeysOrder() {
    // Object.keys(JSON.parse(text)) is 1,2,4294967294,b,a,01,4294967295 (a repeated key keeps its
    // place)
    String text =
        "{\"b\":1,\"2\":2,\"a\":3,\"1\":4,\"01\":5,\"4294967295\":6,\"4294967294\":7,\"b\":8}";
    Map<?, ?> m = (Map<?, ?>) Json.parse(text);
    assertEquals(
        Arrays.asList("1", "2", "4294967294", "b", "a", "01", "4294967295"),
        new ArrayList<>(m.keySet()));
    assertEquals(8, m.get("b"));
    assertEquals(
        "{\"1\":4,\"2\":2,\"4294967294\":7,\"b\":8,\"a\":3,\"01\":5,\"4294967295\":6}",
        Json.stringify(m));
    Map<String, Object> ins = new LinkedHashMap<>();
    ins.put("z", 1);
    ins.put("a", 2);
    ins.put("10", 3);
    ins.put("9", 4);
    assertEquals("{\"9\":4,\"10\":3,\"z\":1,\"a\":2}", Json.stringify(ins));
    assertThrows(JsonException.class, () -> Json.stringify(Map.of(1, "x")));
  }

  @Test
  void integersBeyondTwoToThe53() {
    // JSON.stringify(JSON.parse("[9007199254740993,9007199254740995,18446744073709551615,-9007199254740993,1e400]"))
    assertEquals(
        "[9007199254740992,9007199254740996,18446744073709552000,-9007199254740992,null]",
        Json.stringify(
            Json.parse(
                "[9007199254740993,9007199254740995,18446744073709551615,-9007199254740993,1e400]")));
    // a long is a JS number: JSON.stringify(9223372036854775807) and JSON.stringify(2**53+2)
    assertEquals("9223372036854776000", Json.stringify(Long.MAX_VALUE));
    assertEquals("9007199254740994", Json.stringify(9007199254740994L));
    assertEquals("9007199254740992", Json.stringify(9007199254740993L));
    assertEquals("123456789012345680000", Json.stringify(123456789012345678901.0));
    assertEquals(2147483647, Json.parse("2147483647"));
    assertEquals(2147483648.0, Json.parse("2147483648"));
    // JSON.stringify(1n) throws TypeError: a bigint has no JSON form
    assertThrows(JsonException.class, () -> Json.stringify(BigInteger.ONE));
  }

  @Test
  void loneSurrogates() {
    // JSON.stringify("\ud800"), ("a\udc00b"), ("\ud83d\ude00"), ("\udc00\ud800")
    assertEquals("\"\\ud800\"", Json.stringify("\uD800"));
    assertEquals("\"a\\udc00b\"", Json.stringify("a\uDC00b"));
    assertEquals("\"\uD83D\uDE00\"", Json.stringify("\uD83D\uDE00"));
    assertEquals("\"\\udc00\\ud800\"", Json.stringify("\uDC00\uD800"));
    // JSON.parse('"\\ud800x\\udc00"') has length 3 with code units d800 x dc00
    assertEquals("\uD800x\uDC00", Json.parse("\"\\ud800x\\udc00\""));
    assertEquals("[\"\uD83D\uDE00\"]", Json.stringify(Json.parse("[\"\\uD83D\\uDE00\"]")));
    assertThrows(JsonException.class, () -> Json.parse("\"\\u+123\""));
  }

  @Test
  void deepNestingIsRefusedWithATypedError() {
    // Node has no fixed limit (it fails with a RangeError past its stack); we refuse past
    // MAX_DEPTH.
    String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
    assertEquals(ok, Json.stringify(Json.parse(ok)));
    String deep = "[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1);
    JsonException e = assertThrows(JsonException.class, () -> Json.parse(deep));
    assertEquals(Json.MAX_DEPTH, e.position());
    assertTrue(e.getMessage().contains("nested"), e.getMessage());
    String deepObj = "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000);
    assertThrows(JsonException.class, () -> Json.parse(deepObj));
    List<Object> cyclic = new ArrayList<>();
    cyclic.add(cyclic);
    JsonException c = assertThrows(JsonException.class, () -> Json.stringify(cyclic));
    assertEquals(-1, c.position());
    assertThrows(
        JsonException.class,
        () -> Json.stringify(wrap(Json.parse(ok))),
        "one level more than MAX_DEPTH");
  }

  private static List<Object> wrap(Object v) {
    List<Object> l = new ArrayList<>();
    l.add(v);
    return l;
  }

  @Test
  void nonJsonValuesAreRefused() {
    assertThrows(JsonException.class, () -> Json.stringify(new Object()));
    JsonException e = assertThrows(JsonException.class, () -> Json.parse("{\"a\":1,}"));
    assertEquals("Invalid JSON at position 7: expected string key", e.getMessage());
  }
}
