/**
 * A crash-safe local store of Yjs updates on SQLite: {@link nodenogg.persistence.sqlite.SqliteUpdateStore}.
 * Everything in {@code nodenogg.persistence.sqlite.internal} is implementation, not API.
 */
package nodenogg.persistence.sqlite;
