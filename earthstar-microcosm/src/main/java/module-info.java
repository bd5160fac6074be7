/** A microcosm kept in an Earthstar share, behind {@code EditableMicrocosmAPI}. */
module nodenogg.earthstar.microcosm {
  requires transitive nodenogg.earthstar;
  requires transitive nodenogg.microcosm;

  exports nodenogg.earthstar.microcosm;
}
