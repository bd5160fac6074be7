/**
 * The nodenogg.in Microcosm model and API, independent of any CRDT: {@link
 * nodenogg.microcosm.MicrocosmAPI} (read) and {@link nodenogg.microcosm.EditableMicrocosmAPI}
 * (edit), the entity records ({@link nodenogg.microcosm.Entity}, {@link
 * nodenogg.microcosm.HtmlData}, {@link nodenogg.microcosm.ConnectionData}, {@link
 * nodenogg.microcosm.EmojiData}), identities, id generators/validators and the era codecs ({@link
 * nodenogg.microcosm.SchemaProfile}). See {@code microcosm-api/README.md}.
 */
package nodenogg.microcosm;
