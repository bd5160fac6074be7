/**
 * The crash-safe {@code UpdateStore} on SQLite. {@code nodenogg.persistence.sqlite.internal} is not
 * exported.
 */
module nodenogg.persistence.sqlite {
  requires transitive nodenogg.persistence;
  requires java.sql;
  requires org.xerial.sqlitejdbc;
  requires org.slf4j;

  exports nodenogg.persistence.sqlite;
}
