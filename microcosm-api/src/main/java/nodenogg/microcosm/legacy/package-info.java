/**
 * Rules of the older nodenogg.in eras (E1–E3), for recognising and importing old documents: id
 * rules ({@link nodenogg.microcosm.legacy.LegacyIds}) and the read-only E3 entity model with its
 * mapping to current entities ({@link nodenogg.microcosm.legacy.E3Entities}, {@link
 * nodenogg.microcosm.legacy.E3ToE5}).
 */
package nodenogg.microcosm.legacy;
