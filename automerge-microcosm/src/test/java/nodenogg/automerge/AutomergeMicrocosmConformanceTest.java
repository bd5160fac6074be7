package nodenogg.automerge;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import nodenogg.microcosm.conformance.MicrocosmConformance;

/** The shared Microcosm conformance suite on the Automerge backend. */
class AutomergeMicrocosmConformanceTest extends MicrocosmConformance {
  private static final Map<String, String> IDS =
      Map.of("ada", "@aaaaaaaaaaaaaaa1", "bob", "@bbbbbbbbbbbbbbb2");

  @Override
  protected Peer open(String who) {
    return new Peer(AutomergeMicrocosm.inMemory("conformance"), IDS.get(who));
  }

  @Override
  protected void exchange(Peer... peers) {
    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < peers.length; i++) {
        for (int j = i + 1; j < peers.length; j++) {
          InMemorySync.sync(
              ((AutomergeMicrocosm) peers[i].api()).document(),
              ((AutomergeMicrocosm) peers[j].api()).document());
        }
      }
    }
  }

  /**
   * None: every field of an entity is its own key (a concurrent move and edit both survive), note
   * HTML is Automerge text (concurrent edits merge character by character), each edit call is one
   * Automerge change, and undo is built on the history.
   */
  @Override
  protected Set<Limitation> limitations() {
    return EnumSet.noneOf(Limitation.class);
  }
}
