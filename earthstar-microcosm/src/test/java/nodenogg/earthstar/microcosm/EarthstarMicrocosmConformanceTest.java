package nodenogg.earthstar.microcosm;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import nodenogg.earthstar.AuthorKeypair;
import nodenogg.earthstar.EarthstarStorage;
import nodenogg.earthstar.ShareKeypair;
import nodenogg.microcosm.conformance.MicrocosmConformance;
import org.junit.jupiter.api.AfterEach;

/** The shared Microcosm conformance suite on the Earthstar backend. */
class EarthstarMicrocosmConformanceTest extends MicrocosmConformance {
  private final ShareKeypair share = ShareKeypair.generate("conformance");
  private final Map<String, AuthorKeypair> authors = new HashMap<>();
  private final Map<EarthstarMicrocosm, EarthstarStorage> storages = new HashMap<>();

  @Override
  protected Peer open(String who) {
    AuthorKeypair a =
        authors.computeIfAbsent(who, w -> AuthorKeypair.generate(w.substring(0, 3) + "x"));
    EarthstarStorage s = EarthstarStorage.inMemory();
    EarthstarMicrocosm m =
        new EarthstarMicrocosm(s.replica(share.shareAddress()), a, share.secret());
    storages.put(m, s);
    return new Peer(m, m.authorIdentityId().orElseThrow());
  }

  @Override
  protected void exchange(Peer... peers) {
    for (Peer a : peers) {
      for (Peer b : peers) {
        if (a != b) {
          LocalSync.copy(
              ((EarthstarMicrocosm) a.api()).replica(), ((EarthstarMicrocosm) b.api()).replica());
        }
      }
    }
  }

  /**
   * Earthstar keeps one version per path and author, newest wins: no history to undo, HTML edits do
   * not merge, and a batch is several documents. Fields are stored apart, so a concurrent move and
   * edit both survive.
   */
  @Override
  protected Set<Limitation> limitations() {
    return EnumSet.of(
        Limitation.UNDO_HISTORY, Limitation.MERGE_CONCURRENT_HTML, Limitation.ATOMIC_BATCHES);
  }

  @AfterEach
  void closeStorages() {
    storages.values().forEach(EarthstarStorage::close);
  }
}
