package nodenogg.sync.server.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The allow-list fails closed: every entry is an origin, or building the server fails saying what
 * to write.
 */
class OriginPolicyTest {

  private static String refused(String origin) {
    return assertThrows(IllegalArgumentException.class, () -> new OriginPolicy(List.of(origin)))
        .getMessage();
  }

  @Test
  void entriesThatAreNotOriginsAreRefusedNotDropped() {
    assertTrue(refused("nodenogg.in").contains("e.g. https://nodenogg.in"));
    assertTrue(refused("*").contains("wildcards are not supported"));
    assertTrue(refused("https://*.nodenogg.in").contains("wildcards are not supported"));
    assertTrue(refused("").contains("blank"));
    assertTrue(refused("https://nodenogg.in/app").contains("write https://nodenogg.in"));
    assertTrue(refused("https://nodenogg.in?x=1").contains("write https://nodenogg.in"));
    assertTrue(refused("https://user@nodenogg.in").contains("write https://nodenogg.in"));
    assertTrue(refused("https://nodenogg.in:http").contains("port"));
    assertTrue(refused("https://").contains("not an origin"));
    assertTrue(refused("://nodenogg.in").contains("needs a scheme"));
    assertThrows(
        IllegalArgumentException.class,
        () -> WebServer.builder().allowedOrigins(List.of("nodenogg.in")));
  }

  @Test
  void originsMatchIgnoringCaseAndTrailingSlash() {
    OriginPolicy p =
        new OriginPolicy(
            List.of("https://NodeNogg.in/", "http://localhost:5173", "tauri://localhost"));
    assertTrue(p.allows("https://nodenogg.in"));
    assertTrue(p.allows("http://localhost:5173"));
    assertTrue(p.allows("tauri://localhost"));
    assertTrue(p.allows(null), "no Origin header: not a browser");
    assertFalse(p.allows("https://evil.example"));
    assertFalse(p.allows("http://localhost:5174"));
    assertTrue(
        new OriginPolicy(List.of()).allows("https://evil.example"),
        "an empty list (the default) allows all");
  }

  @Test
  void commandLineListsFailClosed() {
    assertEquals(
        List.of("https://a.example", "https://b.example:8443"),
        OriginPolicy.parseList(" https://a.example ,https://b.example:8443", "--allowed-origins"));
    String empty =
        assertThrows(IllegalArgumentException.class, () -> OriginPolicy.parseList("", "--x"))
            .getMessage();
    assertTrue(empty.startsWith("--x is empty"), empty);
    String bad =
        assertThrows(
                IllegalArgumentException.class,
                () -> OriginPolicy.parseList("https://a.example,b.example", "--x"))
            .getMessage();
    assertTrue(bad.startsWith("--x: 'b.example' is not an origin"), bad);
  }
}
