package nodenogg.sync.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Token checks fail closed: an empty token is a configuration error, never "no token". */
class TokenAuthHooksTest {

  private static AuthRequest request(String token) {
    return new AuthRequest(
        "doc", token, Map.of(), "", "127.0.0.1:1", AuthRequest.Protocol.HOCUSPOCUS);
  }

  @Test
  void anEmptyTokenIsRefusedInsteadOfLettingEveryoneWrite() {
    // issue 12 finding 6: --token "" (an unset variable) accepted any token as read-write
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> new TokenAuthHooks("", null, null))
            .getMessage()
            .contains("empty"));
    assertThrows(IllegalArgumentException.class, () -> new TokenAuthHooks("rw", " ", null));
    assertThrows(IllegalArgumentException.class, () -> new TokenAuthHooks("same", "same", null));

    TokenAuthHooks hooks = new TokenAuthHooks("rw", "ro", null);
    assertFalse(hooks.authenticate(request("")).allowed());
    assertFalse(hooks.authenticate(request("other")).allowed());
    assertTrue(
        hooks.authenticate(request("rw")).allowed()
            && !hooks.authenticate(request("rw")).readOnly());
    assertTrue(hooks.authenticate(request("ro")).readOnly());
    assertTrue(
        new TokenAuthHooks(null, null, null).authenticate(request("anything")).allowed(),
        "no token configured: every client writes, as documented");
  }
}
