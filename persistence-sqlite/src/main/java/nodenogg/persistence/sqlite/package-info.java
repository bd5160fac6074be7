/**
 * A crash-safe SQLite backend of the {@link nodenogg.persistence.UpdateStore} interface: {@link
 * nodenogg.persistence.sqlite.SqliteUpdateStore}. Everything in {@code
 * nodenogg.persistence.sqlite.internal} is implementation, not API.
 */
package nodenogg.persistence.sqlite;
