package nodenogg.crdt;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import nodenogg.crdt.encoding.JsStrings;
import nodenogg.crdt.encoding.Undefined;

/**
 * JS {@code JSON.stringify} / {@code JSON.parse} over the engine's value model (see docs/ENGINE-API.md).
 * Numbers print exactly as JS prints them ({@code 1e+21}, {@code 0.1}, {@code 5e-7}, {@code -0 -> 0}).
 * Stateless, thread-safe.
 */
public final class Json {
    private Json() {
    }

    /** JS {@code JSON.stringify(value)}; returns {@code "undefined"} for a top-level undefined (as Yjs writes it). */
    public static String stringify(Object value) {
        StringBuilder sb = new StringBuilder();
        if (!write(sb, value)) {
            return "undefined";
        }
        return sb.toString();
    }

    /** JS {@code Number.prototype.toString()} of a double. */
    public static String numberToString(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        if (d == 0) {
            return "0";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e21 && Math.abs(d) < 9.007199254740992E15) {
            return Long.toString((long) d);
        }
        String sign = d < 0 ? "-" : "";
        double a = Math.abs(d);
        // shortest round-tripping digits
        String digits = null;
        int exp = 0;
        for (int p = 1; p <= 17; p++) {
            String e = String.format(Locale.ROOT, "%." + (p - 1) + "e", a);
            if (Double.parseDouble(e) == a) {
                int ei = e.indexOf('e');
                digits = e.substring(0, ei).replace(".", "");
                exp = Integer.parseInt(e.substring(ei + 1));
                break;
            }
        }
        if (digits == null) {
            BigDecimal bd = new BigDecimal(a).round(new java.math.MathContext(17));
            digits = bd.unscaledValue().toString();
            exp = digits.length() - 1 - bd.scale();
        }
        // strip trailing zeros
        int k = digits.length();
        while (k > 1 && digits.charAt(k - 1) == '0') {
            k--;
        }
        digits = digits.substring(0, k);
        int n = exp + 1; // position of the decimal point
        StringBuilder sb = new StringBuilder(sign);
        if (k <= n && n <= 21) {
            sb.append(digits);
            for (int i = 0; i < n - k; i++) {
                sb.append('0');
            }
        } else if (0 < n && n <= 21) {
            sb.append(digits, 0, n).append('.').append(digits, n, k);
        } else if (-6 < n && n <= 0) {
            sb.append("0.");
            for (int i = 0; i < -n; i++) {
                sb.append('0');
            }
            sb.append(digits);
        } else {
            sb.append(digits.charAt(0));
            if (k > 1) {
                sb.append('.').append(digits, 1, k);
            }
            sb.append('e').append(n - 1 >= 0 ? "+" : "-").append(Math.abs(n - 1));
        }
        return sb.toString();
    }

    private static boolean write(StringBuilder sb, Object v) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof Undefined) {
            return false;
        } else if (v instanceof String) {
            quote(sb, (String) v);
        } else if (v instanceof Boolean) {
            sb.append(v);
        } else if (v instanceof BigInteger) {
            throw new IllegalArgumentException("Do not know how to serialize a BigInt");
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            sb.append(((Number) v).longValue());
        } else if (v instanceof Number) {
            double d = ((Number) v).doubleValue();
            sb.append(Double.isNaN(d) || Double.isInfinite(d) ? "null" : numberToString(d));
        } else if (v instanceof byte[]) {
            byte[] b = (byte[]) v;
            sb.append('{');
            for (int i = 0; i < b.length; i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append('"').append(i).append("\":").append(b[i] & 0xFF);
            }
            sb.append('}');
        } else if (v instanceof List) {
            sb.append('[');
            boolean first = true;
            for (Object o : (List<?>) v) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                if (!write(sb, o)) {
                    sb.append("null");
                }
            }
            sb.append(']');
        } else if (v instanceof Map) {
            Map<?, ?> m = (Map<?, ?>) v;
            sb.append('{');
            boolean first = true;
            for (String k : JsStrings.objectKeys(m)) {
                Object o = m.get(k);
                if (o instanceof Undefined) {
                    continue;
                }
                if (!first) {
                    sb.append(',');
                }
                first = false;
                quote(sb, k);
                sb.append(':');
                write(sb, o);
            }
            sb.append('}');
        } else if (v instanceof AbstractType) {
            return write(sb, ((AbstractType<?>) v).toJSON());
        } else {
            quote(sb, v.toString());
        }
        return true;
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\b': sb.append("\\b"); break;
                case '\f': sb.append("\\f"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                        sb.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        sb.append('"');
    }

    /** JS {@code JSON.parse}: objects become insertion-ordered maps, integral numbers within int range Integer, others Double. */
    public static Object parse(String text) {
        Parser p = new Parser(text);
        p.ws();
        Object v = p.value(0);
        p.ws();
        if (p.i != text.length()) {
            throw p.err("end of JSON text");
        }
        return v;
    }

    private static final class Parser {
        final String s;
        int i;

        Parser(String s) {
            this.s = s;
        }

        IllegalArgumentException err(String expected) {
            return new IllegalArgumentException("Invalid JSON at position " + i + ": expected " + expected);
        }

        void ws() {
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                    i++;
                } else {
                    break;
                }
            }
        }

        Object value(int depth) {
            if (depth > 1000) {
                throw err("nesting depth <= 1000");
            }
            if (i >= s.length()) {
                throw err("a value");
            }
            char c = s.charAt(i);
            switch (c) {
                case '{': {
                    i++;
                    Map<String, Object> m = new LinkedHashMap<>();
                    ws();
                    if (i < s.length() && s.charAt(i) == '}') {
                        i++;
                        return m;
                    }
                    while (true) {
                        ws();
                        if (i >= s.length() || s.charAt(i) != '"') {
                            throw err("string key");
                        }
                        String k = string();
                        ws();
                        expect(':');
                        ws();
                        m.put(k, value(depth + 1));
                        ws();
                        if (i < s.length() && s.charAt(i) == ',') {
                            i++;
                            continue;
                        }
                        expect('}');
                        return m;
                    }
                }
                case '[': {
                    i++;
                    List<Object> l = new ArrayList<>();
                    ws();
                    if (i < s.length() && s.charAt(i) == ']') {
                        i++;
                        return l;
                    }
                    while (true) {
                        ws();
                        l.add(value(depth + 1));
                        ws();
                        if (i < s.length() && s.charAt(i) == ',') {
                            i++;
                            continue;
                        }
                        expect(']');
                        return l;
                    }
                }
                case '"':
                    return string();
                case 't':
                    lit("true");
                    return Boolean.TRUE;
                case 'f':
                    lit("false");
                    return Boolean.FALSE;
                case 'n':
                    lit("null");
                    return null;
                default:
                    return number();
            }
        }

        void expect(char c) {
            if (i >= s.length() || s.charAt(i) != c) {
                throw err("'" + c + "'");
            }
            i++;
        }

        void lit(String w) {
            if (!s.startsWith(w, i)) {
                throw err(w);
            }
            i += w.length();
        }

        String string() {
            i++;
            StringBuilder sb = new StringBuilder();
            while (true) {
                if (i >= s.length()) {
                    throw err("closing quote");
                }
                char c = s.charAt(i++);
                if (c == '"') {
                    return sb.toString();
                }
                if (c < 0x20) {
                    throw err("no control character in string");
                }
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                if (i >= s.length()) {
                    throw err("escape");
                }
                char e = s.charAt(i++);
                switch (e) {
                    case '"': sb.append('"'); break;
                    case '\\': sb.append('\\'); break;
                    case '/': sb.append('/'); break;
                    case 'b': sb.append('\b'); break;
                    case 'f': sb.append('\f'); break;
                    case 'n': sb.append('\n'); break;
                    case 'r': sb.append('\r'); break;
                    case 't': sb.append('\t'); break;
                    case 'u':
                        if (i + 4 > s.length()) {
                            throw err("4 hex digits");
                        }
                        try {
                            sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        } catch (NumberFormatException ex) {
                            throw err("4 hex digits");
                        }
                        i += 4;
                        break;
                    default:
                        throw err("valid escape");
                }
            }
        }

        Object number() {
            int st = i;
            if (i < s.length() && s.charAt(i) == '-') {
                i++;
            }
            if (i >= s.length() || !Character.isDigit(s.charAt(i))) {
                throw err("a value");
            }
            if (s.charAt(i) == '0') {
                i++;
            } else {
                while (i < s.length() && Character.isDigit(s.charAt(i))) {
                    i++;
                }
            }
            if (i < s.length() && s.charAt(i) == '.') {
                i++;
                int d = i;
                while (i < s.length() && Character.isDigit(s.charAt(i))) {
                    i++;
                }
                if (d == i) {
                    throw err("digit");
                }
            }
            if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
                i++;
                if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                    i++;
                }
                int d = i;
                while (i < s.length() && Character.isDigit(s.charAt(i))) {
                    i++;
                }
                if (d == i) {
                    throw err("digit");
                }
            }
            double v = Double.parseDouble(s.substring(st, i));
            if (v == Math.rint(v) && Math.abs(v) <= Integer.MAX_VALUE && !(v == 0 && 1 / v < 0)) {
                return (int) v;
            }
            return v;
        }
    }
}
