package nodenogg.persistence.postgres.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import java.util.zip.CRC32;
import nodenogg.persistence.StoreException;
import org.postgresql.Driver;

/**
 * How the store reaches PostgreSQL: one JDBC URL and its properties, new connections on demand, and
 * the classification of errors into "the database is unreachable, wait and retry" and "this
 * statement failed". No pool library: the store keeps one writer connection and a handful of read
 * connections of its own, and must decide itself when a connection is dead (an outage is waited
 * out, not reported per borrowed connection).
 */
public final class Db {

  private final String url;
  private final Properties props;
  private final String displayUrl;

  public Db(String url, Properties extra, String applicationName) {
    if (url == null || !url.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException(
          "expected a PostgreSQL JDBC URL (jdbc:postgresql://HOST:PORT/DATABASE), got "
              + (url == null ? "null" : "'" + redact(url) + "'"));
    }
    this.url = url;
    this.displayUrl = redact(url);
    this.props = new Properties();
    props.setProperty("ApplicationName", applicationName);
    props.setProperty("connectTimeout", "5");
    props.setProperty("socketTimeout", "60");
    props.setProperty("tcpKeepAlive", "true");
    props.setProperty("reWriteBatchedInserts", "true");
    props.putAll(extra);
  }

  /** The URL without a password, for messages and logs. */
  public String displayUrl() {
    return displayUrl;
  }

  static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^&]*", "$1***")
        .replaceAll("//([^/@:]+):[^/@]*@", "//$1:***@");
  }

  /** A new connection in auto-commit mode. */
  public Connection connect() throws SQLException {
    Connection c = new Driver().connect(url, props);
    if (c == null) {
      throw new SQLException("the PostgreSQL driver does not accept " + displayUrl, "08001");
    }
    return c;
  }

  /**
   * True when {@code e} means the connection or the server is gone or not accepting work (the
   * statement may be retried on a new connection later): SQLState class 08 (connection exception),
   * 57P01-57P03 (admin shutdown, crash shutdown, cannot connect now), 53300 (too many connections).
   */
  public static boolean isUnreachable(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException) {
        String state = ((SQLException) t).getSQLState();
        if (state != null
            && (state.startsWith("08")
                || state.equals("57P01")
                || state.equals("57P02")
                || state.equals("57P03")
                || state.equals("53300"))) {
          return true;
        }
      }
      if (t instanceof java.io.IOException) {
        return true;
      }
    }
    return false;
  }

  /** True for a deadlock or serialization failure: the transaction may simply run again. */
  public static boolean isTransient(SQLException e) {
    String state = e.getSQLState();
    return "40P01".equals(state) || "40001".equals(state);
  }

  /** A store failure naming the database and what to do. */
  StoreException failure(String what, SQLException e) {
    if (isUnreachable(e)) {
      return new StoreException(
          what
              + ": PostgreSQL at "
              + displayUrl
              + " is unreachable ("
              + e.getMessage()
              + "); check that it runs and accepts connections",
          e);
    }
    return new StoreException(what + " (PostgreSQL at " + displayUrl + "): " + e.getMessage(), e);
  }

  static long crc(byte[] data) {
    CRC32 c = new CRC32();
    c.update(data);
    return c.getValue();
  }

  static void closeQuietly(AutoCloseable c) {
    if (c != null) {
      try {
        c.close();
      } catch (Exception ignored) {
        // closing
      }
    }
  }
}
