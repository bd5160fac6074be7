package nodenogg.cli.log;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.slf4j.event.KeyValuePair;
import org.slf4j.event.Level;

/**
 * The log writer behind {@code ./microcosm}'s SLF4J loggers: one line per event, as text or JSON
 * lines ({@code --log-format}), filtered by level ({@code --log-level}). Configuration can change
 * at any time (loggers read it on every call). Thread-safe: a line is written with one {@code
 * println}.
 */
public final class CliLogging {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static volatile LogConfig config = LogConfig.defaults();

  private CliLogging() {}

  public static void configure(LogConfig c) {
    config = c;
  }

  public static LogConfig config() {
    return config;
  }

  static boolean enabled(String logger, Level level) {
    return level.toInt() >= config.levelOf(logger).toInt();
  }

  /** Writes one event (already known to be enabled). */
  static void write(
      long millis,
      Level level,
      String logger,
      String thread,
      String message,
      List<KeyValuePair> pairs,
      Throwable error) {
    LogConfig c = config;
    String line =
        c.format() == LogConfig.Format.JSON
            ? json(millis, level, logger, thread, message, pairs, error)
            : text(millis, level, logger, message, pairs, error);
    (c.out() != null ? c.out() : System.err).println(line);
  }

  static String text(
      long millis,
      Level level,
      String logger,
      String message,
      List<KeyValuePair> pairs,
      Throwable error) {
    StringBuilder b = new StringBuilder(160);
    b.append(Instant.ofEpochMilli(millis)).append(' ');
    String l = level.toString();
    b.append(l).append(" ".repeat(Math.max(1, 6 - l.length())));
    b.append(logger.substring(logger.lastIndexOf('.') + 1)).append(": ").append(message);
    if (pairs != null) {
      for (KeyValuePair p : pairs) {
        b.append(' ').append(p.key).append('=').append(textValue(p.value));
      }
    }
    if (error != null) {
      StringWriter w = new StringWriter();
      error.printStackTrace(new PrintWriter(w));
      b.append(System.lineSeparator()).append(w.toString().stripTrailing());
    }
    return b.toString();
  }

  private static String textValue(Object v) {
    if (v instanceof Collection<?> c) {
      StringBuilder b = new StringBuilder("[");
      for (Object o : c) {
        if (b.length() > 1) {
          b.append(',');
        }
        b.append(o);
      }
      return b.append(']').toString();
    }
    String s = String.valueOf(v);
    if (s.isEmpty() || s.chars().anyMatch(ch -> ch == ' ' || ch == '"' || ch == '=' || ch < 0x20)) {
      return JSON.getNodeFactory().textNode(s).toString(); // quoted and escaped
    }
    return s;
  }

  static String json(
      long millis,
      Level level,
      String logger,
      String thread,
      String message,
      List<KeyValuePair> pairs,
      Throwable error) {
    ObjectNode o = JSON.createObjectNode();
    o.put("time", Instant.ofEpochMilli(millis).toString());
    o.put("level", level.toString());
    o.put("logger", logger);
    o.put("thread", thread);
    o.put("message", message);
    if (pairs != null) {
      for (KeyValuePair p : pairs) {
        String key =
            switch (p.key) {
              case "time", "level", "logger", "thread", "message", "error" -> "kv_" + p.key;
              default -> p.key;
            };
        o.set(
            key,
            JSON.valueToTree(
                p.value instanceof Map
                        || p.value instanceof Collection
                        || p.value instanceof Number
                        || p.value instanceof Boolean
                        || p.value == null
                    ? p.value
                    : String.valueOf(p.value)));
      }
    }
    if (error != null) {
      ObjectNode e = o.putObject("error");
      e.put("type", error.getClass().getName());
      e.put("message", String.valueOf(error.getMessage()));
      StringWriter w = new StringWriter();
      error.printStackTrace(new PrintWriter(w));
      e.put("stack", w.toString());
    }
    return o.toString();
  }
}
