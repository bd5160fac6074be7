package nodenogg.cli.log;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.event.Level;

/**
 * How {@code ./microcosm} writes its logs: the lowest level written (per logger name prefix, the
 * longest prefix wins, else the root level), the format ({@code text} or {@code json} lines) and
 * the stream ({@code null}: the process's current {@code System.err}, looked up for every line as
 * slf4j-simple does, so a redirected stderr gets the lines). Immutable; {@link
 * CliLogging#configure} swaps the whole configuration at once.
 */
public record LogConfig(Level root, Format format, PrintStream out, Map<String, Level> levels) {

  /** Line formats. */
  public enum Format {
    /** {@code 2026-01-02T03:04:05.678Z INFO activity: connection opened protocol=hocuspocus ...} */
    TEXT,
    /**
     * One JSON object per line: {@code time, level, logger, thread, message}, the key-value pairs,
     * {@code error}.
     */
    JSON;

    public static Format parse(String s) {
      try {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("log format must be text or json, got '" + s + "'");
      }
    }
  }

  public LogConfig {
    levels = Map.copyOf(levels);
  }

  /** INFO, text, the current stderr. */
  public static LogConfig defaults() {
    return new LogConfig(Level.INFO, Format.TEXT, null, Map.of());
  }

  /** Parses {@code error|warn|info|debug|trace} (any case). */
  public static Level parseLevel(String s) {
    try {
      return Level.valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "log level must be one of error, warn, info, debug, trace; got '" + s + "'");
    }
  }

  /** The lowest level written for a logger name. */
  public Level levelOf(String logger) {
    String best = null;
    for (String prefix : new TreeMap<>(levels).keySet()) {
      if ((logger.equals(prefix) || logger.startsWith(prefix + "."))
          && (best == null || prefix.length() > best.length())) {
        best = prefix;
      }
    }
    return best == null ? root : levels.get(best);
  }

  public LogConfig withRoot(Level level) {
    return new LogConfig(level, format, out, levels);
  }

  public LogConfig withFormat(Format f) {
    return new LogConfig(root, f, out, levels);
  }

  public LogConfig withOut(PrintStream stream) {
    return new LogConfig(root, format, stream, levels);
  }

  /** This configuration with {@code logger} (and the loggers under it) at {@code level}. */
  public LogConfig withLevel(String logger, Level level) {
    Map<String, Level> m = new TreeMap<>(levels);
    m.put(logger, level);
    return new LogConfig(root, format, out, m);
  }
}
