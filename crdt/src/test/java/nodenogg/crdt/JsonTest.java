package nodenogg.crdt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.LinkedHashMap;
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
        assertEquals(Arrays.asList(1, 0.5, "x", null, true), Json.parse(" [1, 0.5, \"x\", null, true] "));
        assertEquals("{\"a\":{\"b\":[]}}", Json.stringify(Json.parse("{\"a\":{\"b\":[]}}")));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":}"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[1,]"));
    }
}
