package nodenogg.benchmarks;

import nodenogg.crdt.Doc;
import nodenogg.crdt.Updates;

/** The engine's v2 encoder ({@code Updates.encodeStateAsUpdateV2}), used for the v2 size column. */
final class EngineV2 {
  private EngineV2() {}

  static byte[] encode(Doc doc) {
    return Updates.encodeStateAsUpdateV2(doc);
  }
}
