package nodenogg.microcosm.legacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The E1–E3 id vectors of microcosm-spec.md §6. */
class LegacyIdsTest {

  @Test
  void e3Ids() {
    assertTrue(LegacyIds.isValidE3IdentityId("@" + "a1B2c3D4e5".repeat(3) + "f6G7h"));
    assertFalse(LegacyIds.isValidE3IdentityId("@teststring"));
    assertTrue(LegacyIds.isValidE3EntityId("efs0s9fd0"));
    for (String bad : new String[] {"e_0", "eteststring", "@teststring"}) {
      assertFalse(LegacyIds.isValidE3EntityId(bad), bad);
    }
    assertTrue(LegacyIds.isValidE3IdentityId(LegacyIds.createE3IdentityId()));
    // before 45500b38 identity ids had 36 characters after '@'; readable, but not the later guard
    String early = "@" + "a1B2c3D4e5".repeat(3) + "f6G7h8";
    assertFalse(LegacyIds.isValidE3IdentityId(early));
    assertTrue(LegacyIds.isValidEarlyE3IdentityId(early));
    assertTrue(LegacyIds.isReadableE3IdentityId(early));
    assertTrue(LegacyIds.isReadableE3IdentityId(LegacyIds.createE3IdentityId()));
    for (String bad :
        new String[] {
          "@teststring", "@" + "a".repeat(37), "@" + "a".repeat(34) + "!", null, "@bt4nhr27z8198jp6"
        }) {
      assertFalse(LegacyIds.isReadableE3IdentityId(bad), String.valueOf(bad));
    }
    assertTrue(LegacyIds.isValidE3EntityId(LegacyIds.createE3EntityId()));
  }

  @Test
  void e2E3MicrocosmIds() {
    for (String ok :
        new String[] {
          "validinput_1234567890123456", "a_123456789012345", "a".repeat(29) + "_" + "b".repeat(30)
        }) {
      assertTrue(LegacyIds.isValidE2MicrocosmId(ok), ok);
    }
    for (String bad :
        new String[] {
          "valid-input_1234567890123456",
          "valid.input_1234567890123456",
          "validinput1234567890123456",
          "a".repeat(30) + "_" + "b".repeat(30),
          "short_id"
        }) {
      assertFalse(LegacyIds.isValidE2MicrocosmId(bad), bad);
    }
  }

  @Test
  void e2Creation() {
    assertEquals(45, LegacyIds.createE2IdentityId().length());
    assertTrue(LegacyIds.isValidE2IdentityId(LegacyIds.createE2IdentityId()));
    assertEquals(41, LegacyIds.createE2NodeId().length());
    assertTrue(LegacyIds.isValidE2NodeId(LegacyIds.createE2NodeId()));
    // createIdentityID('teststring') = 'identity_teststring', which E2's own validator rejects
    assertFalse(LegacyIds.isValidE2IdentityId("identity_teststring"));
    assertEquals(8, LegacyIds.createE2Password(8).length());
    String m = LegacyIds.createE2MicrocosmId(null);
    assertTrue(m.startsWith("untitled_"), m);
    assertTrue(m.length() >= 16 && m.length() <= 60);
    assertTrue(LegacyIds.isValidE2MicrocosmId(m));
    String long_ = LegacyIds.createE2MicrocosmId("x".repeat(100));
    assertEquals(60, long_.length());
    assertTrue(LegacyIds.isValidE2MicrocosmId(long_));
  }

  @Test
  void e2Parse() {
    LegacyIds.MicrocosmTitleId p = LegacyIds.parseE2MicrocosmId("validinput_1234567890123456");
    assertEquals("validinput", p.title());
    assertEquals("1234567890123456", p.id());
    for (String bad :
        new String[] {"nounderscore1234567", "short_id", "a".repeat(40) + "_" + "b".repeat(30)}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> LegacyIds.parseE2MicrocosmId(bad));
      assertEquals("Invalid MicrocosmID: " + bad, e.getMessage());
    }
  }

  @Test
  void e1UriSanitiserAndValidator() {
    assertEquals("my.great.microcosm", LegacyIds.sanitiseE1Uri("My Great_Microcosm"));
    assertEquals("a.b", LegacyIds.sanitiseE1Uri("a - b"));
    assertEquals("a.b", LegacyIds.sanitiseE1Uri("a..b"));
    assertEquals("ab", LegacyIds.sanitiseE1Uri(".a#b."));
    assertTrue(LegacyIds.isValidE1Uri("my.great.microcosm"));
    for (String bad : new String[] {"", "My.Uri", "a..b", ".a", "a.", "a b"}) {
      assertFalse(LegacyIds.isValidE1Uri(bad), bad);
    }
  }
}
