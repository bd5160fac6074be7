package nodenogg.ymicrocosm.export;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.function.Function;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JavaScript string and date behaviour the web app's export code relies on, in Java: regular
 * expressions written with JS's {@code \s} and {@code .} (which differ from Java's), global replace
 * with a literal result, {@code String.prototype.trim} and {@code Date.prototype.toISOString}.
 * Stateless.
 */
final class Js {
  /** JS {@code \s}: the ECMAScript WhiteSpace and LineTerminator code points. */
  static final String S =
      "[\\t\\n\\u000B\\f\\r \\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000\\uFEFF]";

  /** JS {@code .} without the s flag: anything but a line terminator. */
  static final String DOT = "[^\\n\\r\\u2028\\u2029]";

  /** JS {@code \w}: ASCII word characters (Java's default {@code \w} is the same set). */
  static final String W = "[A-Za-z0-9_]";

  private Js() {}

  /**
   * A pattern with JS's {@code i} flag (ASCII case folding, as JS without {@code u} does for these
   * patterns).
   */
  static Pattern ci(String regex) {
    return Pattern.compile(regex, Pattern.CASE_INSENSITIVE);
  }

  /** {@code s.replace(/re/g, f)}: every match replaced by f's result, taken literally. */
  static String replaceAll(String s, Pattern p, Function<MatchResult, String> f) {
    Matcher m = p.matcher(s);
    return m.replaceAll(r -> Matcher.quoteReplacement(f.apply(r)));
  }

  /** {@code s.replace(/re/g, literal)} for a replacement without {@code $} patterns. */
  static String replaceAll(String s, Pattern p, String literal) {
    return p.matcher(s).replaceAll(Matcher.quoteReplacement(literal));
  }

  private static final Pattern TRIM = Pattern.compile("^" + S + "+|" + S + "+\\z");

  /** {@code String.prototype.trim}. */
  static String trim(String s) {
    return TRIM.matcher(s).replaceAll("");
  }

  /** Largest time value a JS Date holds (ms from the epoch, either way). */
  static final double MAX_TIME = 8.64e15;

  /**
   * {@code new Date(ms).toISOString()}: {@code YYYY-MM-DDTHH:mm:ss.sssZ}, years outside 0..9999 as
   * a signed six-digit year.
   *
   * @throws IllegalArgumentException ("Invalid time value", JS's RangeError) beyond ±8.64e15 ms
   */
  static String isoString(double ms) {
    if (!(Math.abs(ms) <= MAX_TIME)) {
      throw new IllegalArgumentException("Invalid time value");
    }
    long t = (long) ms; // TimeClip: toward zero
    ZonedDateTime d = Instant.ofEpochMilli(t).atZone(ZoneOffset.UTC);
    int y = d.getYear();
    String year =
        y >= 0 && y <= 9999
            ? String.format("%04d", y)
            : (y < 0 ? "-" : "+") + String.format("%06d", Math.abs(y));
    return String.format(
        "%s-%02d-%02dT%02d:%02d:%02d.%03dZ",
        year,
        d.getMonthValue(),
        d.getDayOfMonth(),
        d.getHour(),
        d.getMinute(),
        d.getSecond(),
        d.getNano() / 1_000_000);
  }

  /** {@code new Date(ms).toISOString().split('T')[0]}. */
  static String isoDate(double ms) {
    String s = isoString(ms);
    return s.substring(0, s.indexOf('T'));
  }

  /** JS truthiness of an optional string field: present and not empty. */
  static boolean truthy(String s) {
    return s != null && !s.isEmpty();
  }
}
