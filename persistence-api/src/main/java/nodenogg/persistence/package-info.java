/**
 * Where documents keep their updates: the {@link nodenogg.persistence.UpdateStore} interface
 * (asynchronous, durable appends; loading, compaction, listing), the {@link
 * nodenogg.persistence.UpdateFormat} SPI for the few format-specific parts (checking an update
 * exactly as the document engine does, what a log covers, merging a log), an {@link
 * nodenogg.persistence.InMemoryUpdateStore}, and typed errors rooted at {@link
 * nodenogg.persistence.StoreException} ({@link nodenogg.persistence.InvalidUpdateException} for a
 * refused input, distinct from failures of the store).
 *
 * <p>Backends: {@code persistence-sqlite} (crash-safe, embedded; what {@code ./microcosm serve}
 * uses). A new backend (e.g. PostgreSQL) implements {@code UpdateStore} for any format and passes
 * the contract tests of this module's test-jar ({@code UpdateStoreContract}); see {@link
 * nodenogg.persistence.UpdateStore}. Formats: {@link nodenogg.persistence.yjs.YjsFormat} and {@link
 * nodenogg.persistence.UpdateFormat#opaque()}; a new format (e.g. Automerge) implements {@code
 * UpdateFormat} and works with every backend; see {@link nodenogg.persistence.UpdateFormat}.
 */
package nodenogg.persistence;
