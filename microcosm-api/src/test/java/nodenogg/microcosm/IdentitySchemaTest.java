package nodenogg.microcosm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Identity schema vectors of spec §6 and the awareness presence shapes of §4.4. */
class IdentitySchemaTest {
  static final String ID = "@bt4nhr27z8198jp6";

  @Test
  void identityRoundTripsUnchanged() {
    Map<String, Object> withNick = new LinkedHashMap<>();
    withNick.put("id", ID);
    withNick.put("nickname", "Ada");
    withNick.put("version", "1");
    Identity i = SchemaProfile.E5.decodeIdentity(withNick);
    assertEquals(withNick, SchemaProfile.E5.encodeIdentity(i));
    Map<String, Object> bare = new LinkedHashMap<>();
    bare.put("uuid", ID);
    bare.put("version", "1");
    Identity j = SchemaProfile.E4.decodeIdentity(bare);
    assertNull(j.nickname());
    assertEquals(bare, SchemaProfile.E4.encodeIdentity(j));
  }

  @Test
  void numericNicknameOrBadIdThrows() {
    assertThrows(
        InvalidEntityException.class,
        () -> SchemaProfile.E5.decodeIdentity(Map.of("id", ID, "nickname", 5, "version", "1")));
    assertThrows(
        InvalidEntityException.class,
        () -> SchemaProfile.E5.decodeIdentity(Map.of("id", "@short", "version", "1")));
    assertThrows(InvalidEntityException.class, () -> new Identity("invalid", null));
  }

  @Test
  void presenceShapesPerEra() {
    IdentityWithStatus s = new IdentityWithStatus(new Identity(ID, "Ada"), 1748000000000L, true);
    Map<String, Object> e5 = SchemaProfile.E5.encodePresence(s);
    assertEquals(List.of("identity", "timestamp", "joined"), List.copyOf(e5.keySet()));
    assertEquals(Map.of("id", ID, "nickname", "Ada", "version", "1"), e5.get("identity"));
    assertEquals(s, SchemaProfile.E5.decodePresence(e5));
    Map<String, Object> e4 = SchemaProfile.E4.encodePresence(s);
    assertEquals(
        List.of("uuid", "nickname", "version", "timestamp", "joined"), List.copyOf(e4.keySet()));
    assertEquals(s, SchemaProfile.E5.decodePresenceLenient(e4));
    assertThrows(InvalidEntityException.class, () -> SchemaProfile.E5.decodePresence(e4));
    Map<String, Object> noJoined = new LinkedHashMap<>(e5);
    noJoined.remove("joined");
    assertThrows(InvalidEntityException.class, () -> SchemaProfile.E5.decodePresence(noJoined));
  }
}
