package nodenogg.persistence;

import java.util.List;
import java.util.Map;

/**
 * Result of {@link UpdateStore#check()}.
 *
 * @param integrity what the backend's own check of its storage printed (SQLite: the lines of {@code
 *     PRAGMA integrity_check}); {@code ["ok"]} when the storage is sound
 * @param documentsChecked how many documents were read back in full
 * @param damagedDocuments document name to the reason it could not be read (empty when all are
 *     readable)
 */
public record CheckReport(
    List<String> integrity, int documentsChecked, Map<String, String> damagedDocuments) {

  public CheckReport {
    integrity = List.copyOf(integrity);
    damagedDocuments = Map.copyOf(damagedDocuments);
  }

  /** True when the storage is sound and every document reads back. */
  public boolean ok() {
    return integrity.equals(List.of("ok")) && damagedDocuments.isEmpty();
  }
}
