/** The Microcosm data model and API. {@code nodenogg.microcosm.internal} is not exported. */
module nodenogg.microcosm {
  requires transitive com.fasterxml.jackson.databind;

  exports nodenogg.microcosm;
  exports nodenogg.microcosm.legacy;
}
