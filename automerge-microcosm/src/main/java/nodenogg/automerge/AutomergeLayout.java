package nodenogg.automerge;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import nodenogg.automerge.repo.DocumentIds;
import nodenogg.microcosm.MicrocosmId;

/**
 * Names of the Automerge microcosm layout (version {@value #VERSION}), described in full in {@code
 * docs/automerge-layout.md}. Root keys: {@value #KIND_KEY} = {@value #KIND}, {@value #VERSION_KEY}
 * = {@value #VERSION}, {@value #MICROCOSM_ID_KEY}; one key {@code @identity} = {@code true} per
 * registered identity; one key {@code @identity/entity} per entity (a map). Thread-safe (constants
 * and pure functions).
 */
public final class AutomergeLayout {
  private AutomergeLayout() {}

  /** Root key saying what the document is. */
  public static final String KIND_KEY = "nodenogg";

  /** Its value. */
  public static final String KIND = "microcosm";

  /** Root key of the layout's version (an integer). */
  public static final String VERSION_KEY = "layout_version";

  /** The layout version this code writes and reads. */
  public static final int VERSION = 1;

  /** Root key of the microcosm id (a string). */
  public static final String MICROCOSM_ID_KEY = "microcosm_id";

  /** What the document id of a microcosm is derived from: this prefix plus the microcosm id. */
  public static final String DOCUMENT_ID_SEED = "nodenogg.in/microcosm/";

  /**
   * The automerge-repo document id of microcosm {@code microcosmId}: the first 16 bytes of
   * SHA-256({@value #DOCUMENT_ID_SEED} + id, UTF-8) marked as a version 8 (custom) UUID (byte 6
   * high nibble 8, byte 8 top bits 10, so automerge-repo 1.x accepts it too), base58check-encoded
   * as automerge-repo encodes document ids. Every peer that knows the microcosm id finds the same
   * document ({@code automerge:<id>}).
   */
  public static String documentId(String microcosmId) {
    MicrocosmId.require(microcosmId);
    try {
      byte[] h =
          MessageDigest.getInstance("SHA-256")
              .digest((DOCUMENT_ID_SEED + microcosmId).getBytes(StandardCharsets.UTF_8));
      return DocumentIds.encode(DocumentIds.asUuid(Arrays.copyOf(h, 16), 8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }

  /** {@code automerge:} + {@link #documentId}. */
  public static String url(String microcosmId) {
    return DocumentIds.URL_PREFIX + documentId(microcosmId);
  }
}
