package nodenogg.benchmarks.jmh;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import nodenogg.crdt.Doc;
import nodenogg.crdt.YText;

/** Seeded synthetic editing sessions for the JMH benchmarks (no external data needed). */
final class SyntheticDocs {
  private SyntheticDocs() {}

  /**
   * A text doc after {@code edits} edits (80% typed characters near a moving cursor, 20%
   * deletions), one transaction each; the v1 update of every transaction is added to {@code
   * updates} when non-null.
   */
  static Doc typingSession(int edits, long seed, List<byte[]> updates) {
    SplittableRandom rnd = new SplittableRandom(seed);
    Doc doc = new Doc(new Doc.Options().clientId(1 + rnd.nextInt(1 << 30)));
    if (updates != null) {
      doc.onUpdate((u, origin, tr) -> updates.add(u));
    }
    YText text = doc.getText("text");
    int cursor = 0;
    int length = 0;
    for (int i = 0; i < edits; i++) {
      if (rnd.nextInt(50) == 0) {
        cursor = rnd.nextInt(length + 1);
      }
      final int at = cursor;
      if (length > 0 && at > 0 && rnd.nextInt(5) == 0) {
        doc.transact(tr -> text.delete(at - 1, 1));
        cursor--;
        length--;
      } else {
        final String ch = String.valueOf((char) ('a' + rnd.nextInt(26)));
        doc.transact(tr -> text.insert(at, ch));
        cursor++;
        length++;
      }
    }
    return doc;
  }

  static List<byte[]> typingUpdates(int edits, long seed) {
    List<byte[]> updates = new ArrayList<>(edits);
    typingSession(edits, seed, updates);
    return updates;
  }
}
