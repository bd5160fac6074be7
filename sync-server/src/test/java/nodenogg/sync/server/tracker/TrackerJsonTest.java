package nodenogg.sync.server.tracker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import nodenogg.crdt.Json;
import nodenogg.crdt.JsonException;
import org.junit.jupiter.api.Test;

/**
 * The tracker's fast JSON codec against the project's JSON reader/writer ({@link Json}, itself
 * checked against Node's JSON.parse/JSON.stringify in crdt's JsonTest): seeded random texts with
 * random spacing, escapes, surrogates, numbers and keys, valid and broken, must read the same and
 * write the same.
 */
class TrackerJsonTest {

  private static final String[] NUMBERS = {
    "0",
    "-0",
    "1",
    "-1",
    "2147483647",
    "2147483648",
    "-2147483648",
    "-2147483649",
    "1.5",
    "1e2",
    "1E+2",
    "1e-7",
    "123456789012345678901234567890",
    "1e400",
    "-1e400",
    "0.1",
    "5e-324",
    "9007199254740993",
    "1.0",
    "-0.0",
    "0e5"
  };

  private static String randomText(Random r, int depth) {
    int kind = depth > 4 ? r.nextInt(4) : r.nextInt(6);
    switch (kind) {
      case 0:
        return NUMBERS[r.nextInt(NUMBERS.length)];
      case 1:
        return randomString(r);
      case 2:
        return new String[] {"true", "false", "null"}[r.nextInt(3)];
      case 3:
        return randomString(r);
      case 4:
        {
          StringBuilder sb = new StringBuilder("[");
          int n = r.nextInt(4);
          for (int i = 0; i < n; i++) {
            sb.append(i > 0 ? "," : "")
                .append(ws(r))
                .append(randomText(r, depth + 1))
                .append(ws(r));
          }
          return sb.append(']').toString();
        }
      default:
        {
          StringBuilder sb = new StringBuilder("{");
          int n = r.nextInt(5);
          for (int i = 0; i < n; i++) {
            String key =
                r.nextInt(4) == 0
                    ? String.valueOf(r.nextInt(12))
                    : r.nextInt(3) == 0 ? "k" : randomString(r);
            if (r.nextInt(6) == 0) {
              key =
                  new String[] {"\"01\"", "\"4294967295\"", "\"4294967294\"", "\"-1\""}
                      [r.nextInt(4)];
            } else if (!key.startsWith("\"")) {
              key = "\"" + key + "\"";
            }
            sb.append(i > 0 ? "," : "")
                .append(ws(r))
                .append(key)
                .append(ws(r))
                .append(':')
                .append(ws(r))
                .append(randomText(r, depth + 1));
          }
          return sb.append(ws(r)).append('}').toString();
        }
    }
  }

  private static String ws(Random r) {
    return r.nextInt(4) == 0 ? new String[] {" ", "\n", "\t\r ", ""}[r.nextInt(4)] : "";
  }

  private static String randomString(Random r) {
    StringBuilder sb = new StringBuilder("\"");
    int n = r.nextInt(12);
    for (int i = 0; i < n; i++) {
      switch (r.nextInt(10)) {
        case 0:
          sb.append("\\").append("\"\\/bfnrt".charAt(r.nextInt(8)));
          break;
        case 1:
          sb.append(String.format("\\u%04x", r.nextInt(0x10000)));
          break;
        case 2:
          sb.append(
              new String[] {"\\ud83d\\ude00", "\\udc00", "\\ud800x", "\ud83d\ude00", "é", "\u2028"}
                  [r.nextInt(6)]);
          break;
        case 3:
          sb.append((char) (0x7f + r.nextInt(0x80)));
          break;
        default:
          sb.append((char) ('a' + r.nextInt(26)));
      }
    }
    return sb.append('"').toString();
  }

  private static String mutate(Random r, String text) {
    if (text.isEmpty()) {
      return "x";
    }
    int at = r.nextInt(text.length());
    switch (r.nextInt(3)) {
      case 0:
        return text.substring(0, at);
      case 1:
        {
          String junk = "\"{}[],:\\x\u0001-0e ";
          return text.substring(0, at) + junk.charAt(r.nextInt(junk.length())) + text.substring(at);
        }
      default:
        return text.substring(0, at) + text.substring(at + 1);
    }
  }

  @Test
  void readsAndWritesAsTheProjectsJsonDoes() throws Exception {
    Random r = new Random(16);
    int valid = 0;
    int broken = 0;
    for (int i = 0; i < 20_000; i++) {
      String text = ws(r) + randomText(r, 0) + ws(r);
      if (i % 3 == 0) {
        text = mutate(r, text);
      }
      Object expected;
      try {
        expected = Json.parse(text);
      } catch (JsonException e) {
        String t = text;
        assertThrows(
            TrackerJson.Malformed.class, () -> TrackerJson.parse(t), "Json refuses " + text);
        broken++;
        continue;
      }
      Object got = TrackerJson.parse(text);
      assertEquals(expected, got, text);
      assertEquals(Json.stringify(expected), TrackerJson.stringify(got), text);
      valid++;
    }
    assertEquals(20_000, valid + broken);
    assertEquals(true, valid > 10_000 && broken > 2_000, valid + " valid, " + broken + " broken");
  }

  /**
   * What browsers send is JSON.stringify output: it is written back by copying, and that copy is
   * exact.
   */
  @Test
  void canonicalTextIsCopiedAndEverythingElseRewritten() throws Exception {
    Random r = new Random(1616);
    int copied = 0;
    int rewritten = 0;
    for (int i = 0; i < 20_000; i++) {
      String text = randomText(r, 0);
      Object parsed;
      try {
        parsed = Json.parse(text);
      } catch (JsonException e) {
        continue;
      }
      String canonical = Json.stringify(parsed);
      for (String t : new String[] {text, canonical}) {
        Object got = TrackerJson.parse(t);
        assertEquals(canonical, TrackerJson.stringify(got), t);
        if (got instanceof TrackerJson.Spanned) {
          boolean fast = ((TrackerJson.Spanned) got).canonical();
          if (fast) {
            assertEquals(canonical, t, "copied only when the text is canonical");
          } else if (t.equals(canonical)) {
            // canonical text takes the slow path only for surrogates and array-index keys
            assertEquals(
                true,
                t.chars().anyMatch(c -> c >= 0xD800 && c <= 0xDFFF)
                    || t.contains("\\ud")
                    || t.matches("(?s).*\"(0|[1-9][0-9]*)\":.*"),
                "canonical, so copied: " + t);
          }
          if (fast) {
            copied++;
          } else {
            rewritten++;
          }
        }
      }
    }
    assertEquals(
        true, copied > 5_000 && rewritten > 1_000, copied + " copied, " + rewritten + " rewritten");
  }

  @Test
  void refusesDeepNesting() {
    String deep = "[".repeat(TrackerJson.MAX_DEPTH + 1) + "]".repeat(TrackerJson.MAX_DEPTH + 1);
    TrackerJson.Malformed e =
        assertThrows(TrackerJson.Malformed.class, () -> TrackerJson.parse(deep));
    assertEquals(
        "at position " + TrackerJson.MAX_DEPTH + ": expected at most 64 nested arrays and objects",
        e.getMessage());
  }
}
