package nodenogg.cli.microcosm;

import java.util.List;
import java.util.Map;
import nodenogg.automerge.AutomergeMicrocosm;
import nodenogg.microcosm.Entity;
import nodenogg.microcosm.InvalidValue;
import nodenogg.microcosm.MicrocosmAPI;

/**
 * {@code --backend automerge} for {@code export} and {@code import}: microcosms in the Automerge
 * layout.
 */
final class AutomergeBackend {
  private AutomergeBackend() {}

  /**
   * Whether {@code bytes} start like an Automerge document (its chunk magic), rather than base64
   * text.
   */
  static boolean isBinary(byte[] bytes) {
    return bytes.length >= 4
        && (bytes[0] & 0xff) == 0x85
        && bytes[1] == 0x6f
        && bytes[2] == 0x4a
        && (bytes[3] & 0xff) == 0x83;
  }

  static MicrocosmAPI open(String microcosm) {
    return AutomergeMicrocosm.inMemory(microcosm);
  }

  static void apply(MicrocosmAPI m, byte[] bytes) {
    ((AutomergeMicrocosm) m).applyChanges(bytes);
  }

  static Map<String, Map<String, Entity>> collections(MicrocosmAPI m) {
    return ((AutomergeMicrocosm) m).collections();
  }

  static List<InvalidValue> invalidValues(MicrocosmAPI m) {
    return ((AutomergeMicrocosm) m).invalidValues();
  }

  /**
   * A saved document holding {@code entities} in {@code identity}'s collection of {@code
   * microcosm}.
   */
  static byte[] save(String microcosm, String identity, List<Entity> entities) {
    try (AutomergeMicrocosm m = AutomergeMicrocosm.inMemory(microcosm)) {
      m.identify(identity);
      m.importEntities(entities);
      return m.save();
    }
  }
}
