package nodenogg.persistence.sqlite.internal;

import java.sql.SQLException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * SQLite failures told apart by their result code (sqlite.org {@code rescode.html}), never by
 * message text. Extended codes carry the primary code in their low 8 bits.
 */
final class SqliteErrors {
  private SqliteErrors() {}

  /** The primary result code of {@code e}, or -1 if it did not come from SQLite. */
  static int primary(SQLException e) {
    if (e instanceof SQLiteException) {
      return ((SQLiteException) e).getResultCode().code & 0xff;
    }
    return -1;
  }

  /**
   * The file itself is damaged or not a database ({@code SQLITE_CORRUPT}, {@code SQLITE_NOTADB}).
   */
  static boolean isCorruption(SQLException e) {
    int p = primary(e);
    return p == SQLiteErrorCode.SQLITE_CORRUPT.code || p == SQLiteErrorCode.SQLITE_NOTADB.code;
  }

  /**
   * The generic {@code SQLITE_ERROR}: an SQL statement that is wrong in the current state, e.g.
   * {@code BEGIN} while a transaction is open or {@code ROLLBACK} when none is. I/O, full disk and
   * lock failures have codes of their own.
   */
  static boolean isStatementError(SQLException e) {
    return primary(e) == SQLiteErrorCode.SQLITE_ERROR.code;
  }
}
