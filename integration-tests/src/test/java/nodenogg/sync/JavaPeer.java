package nodenogg.sync;

import java.util.Map;
import java.util.TreeMap;
import nodenogg.crdt.Doc;
import nodenogg.crdt.Json;
import nodenogg.sync.protocol.DocSync;

/**
 * A Java document for interop tests: writes "<name>-<i>" = i into the map "notes", like client.mjs.
 */
final class JavaPeer {
  final Doc doc = new Doc();
  final DocSync sync = new DocSync(doc);

  void write(String name, int count) {
    for (int i = 0; i < count; i++) {
      doc.getMap("notes").set(name + "-" + i, i);
    }
  }

  int size() {
    return doc.getMap("notes").size();
  }

  /** The notes map as JSON with sorted keys (the form client.mjs prints). */
  String json() {
    Map<String, Object> sorted = new TreeMap<>(doc.getMap("notes").toJSON());
    return Json.stringify(sorted);
  }
}
