package nodenogg.persistence.sqlite;

import java.util.List;
import java.util.Map;

/**
 * Result of {@link SqliteUpdateStore#check()}.
 *
 * @param integrity         the lines printed by SQLite's {@code PRAGMA integrity_check}; {@code ["ok"]} when the file is sound
 * @param documentsChecked  how many documents were read back in full
 * @param damagedDocuments  document name to the reason it could not be read (empty when all are readable)
 */
public record CheckReport(List<String> integrity, int documentsChecked, Map<String, String> damagedDocuments) {

  public CheckReport {
    integrity = List.copyOf(integrity);
    damagedDocuments = Map.copyOf(damagedDocuments);
  }

  /** True when SQLite reports the file sound and every document reads back. */
  public boolean ok() {
    return integrity.equals(List.of("ok")) && damagedDocuments.isEmpty();
  }
}
