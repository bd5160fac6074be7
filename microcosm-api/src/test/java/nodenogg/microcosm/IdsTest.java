package nodenogg.microcosm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Id test vectors of spec §6 (E4/E5 entity.schema, identity.schema, microcosm.schema, uuid tests).
 */
class IdsTest {

  @Test
  void entityIdVectors() {
    assertTrue(EntityId.isValid("ebt4nhr27z8198jp6"));
    for (Object bad :
        new Object[] {
          "invalid",
          "e123",
          "e123456!",
          "123",
          null,
          "a12345678",
          "ebt4nhr27z8198jp",
          "ebt4nhr27z8198jp6x",
          "ebt4nhr27z8198j-6",
          "@bt4nhr27z8198jp6"
        }) {
      assertFalse(EntityId.isValid(bad), String.valueOf(bad));
    }
    String created = EntityId.create();
    assertTrue(created.startsWith("e"));
    assertEquals(17, created.length());
    assertTrue(EntityId.isValid(created));
  }

  @Test
  void identityIdVectors() {
    assertTrue(IdentityId.isValid("@bt4nhr27z8198jp6"));
    for (Object bad :
        new Object[] {
          "invalid",
          "@short",
          "@invalid!",
          "123",
          null,
          "ebt4nhr27z8198jp6",
          "@bt4nhr27z8198jp6a",
          "@bt4nhr27z8198j_6"
        }) {
      assertFalse(IdentityId.isValid(bad), String.valueOf(bad));
    }
    String created = IdentityId.create();
    assertTrue(created.startsWith("@"));
    assertEquals(17, created.length());
    assertTrue(IdentityId.isValid(created));
  }

  @Test
  void generatedIdsAreUniqueAndLowercaseCuidShaped() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String id = MicrocosmId.create();
      assertEquals(16, id.length());
      assertTrue(id.matches("[a-z][0-9a-z]{15}"), id);
      seen.add(id);
    }
    assertEquals(1000, seen.size());
  }

  @Test
  void microcosmIdVectors() {
    assertTrue(MicrocosmId.isValid(MicrocosmId.create()));
    for (String ok : new String[] {"workshop", "abc123", "ABC", "a"}) {
      assertTrue(MicrocosmId.isValid(ok), ok);
    }
    for (Object bad : new Object[] {"", "abc-123", "abc_123", "abc 123", "abc#123", null}) {
      assertFalse(MicrocosmId.isValid(bad), String.valueOf(bad));
    }
    assertFalse(MicrocosmId.isValidE4("ab"));
    assertTrue(MicrocosmId.isValidE4("abc"));
  }

  @Test
  void microcosmIdFromTitle() {
    assertEquals("Workshop", MicrocosmId.create("Workshop"));
    assertEquals("myworkshop2026", MicrocosmId.create("My Workshop-2026!"));
    assertEquals(16, MicrocosmId.create("").length());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> MicrocosmId.create("--"));
    assertTrue(e.getMessage().contains("no ASCII letters or digits"), e.getMessage());
  }

  @Test
  void locationsParseOnlyValidParts() {
    EntityLocation loc = EntityLocation.parse("@bt4nhr27z8198jp6/ebt4nhr27z8198jp6").orElseThrow();
    assertEquals("@bt4nhr27z8198jp6", loc.identityId());
    assertEquals("ebt4nhr27z8198jp6", loc.entityId());
    assertEquals("@bt4nhr27z8198jp6/ebt4nhr27z8198jp6", loc.toString());
    assertTrue(EntityLocation.parse("@bt4nhr27z8198jp6").isEmpty());
    assertTrue(EntityLocation.parse("@short/ebt4nhr27z8198jp6").isEmpty());
    assertTrue(EntityLocation.parse("@bt4nhr27z8198jp6/e1").isEmpty());
    assertTrue(EntityLocation.parse(null).isEmpty());
  }
}
