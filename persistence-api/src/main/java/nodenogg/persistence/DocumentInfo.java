package nodenogg.persistence;

/**
 * What the store knows about one document without reading its updates.
 *
 * @param name the document name (e.g. a microcosm id)
 * @param updateCount rows in the document's update log (1 right after compaction)
 * @param updateBytes total size of those rows in bytes
 */
public record DocumentInfo(String name, long updateCount, long updateBytes) {}
