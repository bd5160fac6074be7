package nodenogg.ymicrocosm;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import nodenogg.microcosm.conformance.MicrocosmConformance;

/** The shared Microcosm conformance suite on the Yjs backend. */
class YMicrocosmConformanceTest extends MicrocosmConformance {
  private static final Map<String, String> IDS =
      Map.of("ada", "@aaaaaaaaaaaaaaa1", "bob", "@bbbbbbbbbbbbbbb2");

  @Override
  protected Peer open(String who) {
    return new Peer(YMicrocosm.inMemory("conformance"), IDS.get(who));
  }

  @Override
  protected void exchange(Peer... peers) {
    for (int i = 0; i < peers.length; i++) {
      for (int j = i + 1; j < peers.length; j++) {
        try (InMemoryLink link =
            InMemoryLink.connect((YMicrocosm) peers[i].api(), (YMicrocosm) peers[j].api())) {
          link.flush();
          link.flush();
        }
      }
    }
  }

  /**
   * An entity is one plain value in its collection's map (the web app's E5 layout): a concurrent
   * move and edit of one note from two devices keep only the later whole value, and HTML is a plain
   * string. Undo and atomic batches are Yjs's own.
   */
  @Override
  protected Set<Limitation> limitations() {
    return EnumSet.of(Limitation.MERGE_CONCURRENT_FIELDS, Limitation.MERGE_CONCURRENT_HTML);
  }
}
