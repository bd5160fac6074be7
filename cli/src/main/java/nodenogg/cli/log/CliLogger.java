package nodenogg.cli.log;

import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.event.LoggingEvent;
import org.slf4j.helpers.AbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.LoggingEventAware;

/** One named logger; writes through {@link CliLogging}. Thread-safe. */
final class CliLogger extends AbstractLogger implements LoggingEventAware {
  private static final long serialVersionUID = 1L;

  CliLogger(String name) {
    this.name = name;
  }

  @Override
  protected String getFullyQualifiedCallerName() {
    return null;
  }

  @Override
  protected void handleNormalizedLoggingCall(
      Level level, Marker marker, String pattern, Object[] args, Throwable throwable) {
    CliLogging.write(
        System.currentTimeMillis(),
        level,
        name,
        Thread.currentThread().getName(),
        MessageFormatter.basicArrayFormat(pattern, args),
        null,
        throwable);
  }

  /**
   * The fluent API ({@code atInfo().addKeyValue(..).log(..)}): key-value pairs are kept as fields.
   */
  @Override
  public void log(LoggingEvent event) {
    if (!CliLogging.enabled(name, event.getLevel())) {
      return;
    }
    Object[] args = event.getArgumentArray();
    Throwable t = event.getThrowable();
    if (t == null
        && args != null
        && args.length > 0
        && args[args.length - 1] instanceof Throwable last) {
      t = last;
    }
    long ts = event.getTimeStamp() > 0 ? event.getTimeStamp() : System.currentTimeMillis();
    CliLogging.write(
        ts,
        event.getLevel(),
        name,
        Thread.currentThread().getName(),
        MessageFormatter.basicArrayFormat(event.getMessage(), args),
        event.getKeyValuePairs(),
        t);
  }

  @Override
  public boolean isTraceEnabled() {
    return CliLogging.enabled(name, Level.TRACE);
  }

  @Override
  public boolean isTraceEnabled(Marker marker) {
    return isTraceEnabled();
  }

  @Override
  public boolean isDebugEnabled() {
    return CliLogging.enabled(name, Level.DEBUG);
  }

  @Override
  public boolean isDebugEnabled(Marker marker) {
    return isDebugEnabled();
  }

  @Override
  public boolean isInfoEnabled() {
    return CliLogging.enabled(name, Level.INFO);
  }

  @Override
  public boolean isInfoEnabled(Marker marker) {
    return isInfoEnabled();
  }

  @Override
  public boolean isWarnEnabled() {
    return CliLogging.enabled(name, Level.WARN);
  }

  @Override
  public boolean isWarnEnabled(Marker marker) {
    return isWarnEnabled();
  }

  @Override
  public boolean isErrorEnabled() {
    return CliLogging.enabled(name, Level.ERROR);
  }

  @Override
  public boolean isErrorEnabled(Marker marker) {
    return isErrorEnabled();
  }
}
