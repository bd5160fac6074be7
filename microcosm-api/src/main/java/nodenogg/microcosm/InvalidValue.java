package nodenogg.microcosm;

/**
 * A stored value a reader skipped because it does not follow the schema (for example written by
 * another era of the web app, or damaged). Reported to listeners, never thrown at callers.
 *
 * @param collection the root map it was found in (an identity id)
 * @param key its key in that map
 * @param reason why it was skipped
 */
public record InvalidValue(String collection, String key, String reason) {}
