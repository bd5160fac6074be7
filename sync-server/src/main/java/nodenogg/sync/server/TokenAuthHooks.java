package nodenogg.sync.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Token checks for {@code ./microcosm serve --token T --readonly-token R}: a client presenting T
 * gets read-write, R read-only, anything else is denied ("permission-denied"). With no read-write
 * token configured every client gets read-write, except that R (if set) still gives read-only.
 * Other hooks are delegated. Thread-safe.
 */
public final class TokenAuthHooks implements SyncServerHooks {
  private final String token;
  private final String readOnlyToken;
  private final SyncServerHooks delegate;

  /**
   * @param token the read-write token, or null for none (every client may write)
   * @param readOnlyToken the read-only token, or null for none
   * @throws IllegalArgumentException when a token is empty or blank (an unset variable would
   *     otherwise let every client in as a writer) or both tokens are the same
   */
  public TokenAuthHooks(String token, String readOnlyToken, SyncServerHooks delegate) {
    this.token = checked(token, "the read-write token");
    this.readOnlyToken = checked(readOnlyToken, "the read-only token");
    if (this.token != null && this.token.equals(this.readOnlyToken)) {
      throw new IllegalArgumentException(
          "the read-write and the read-only token are the same: give them" + " different values");
    }
    this.delegate = delegate == null ? SyncServerHooks.NONE : delegate;
  }

  private static String checked(String s, String what) {
    if (s != null && s.isBlank()) {
      throw new IllegalArgumentException(
          what
              + " is empty (an unset variable?): give a token, or pass"
              + " none (null) to go without one");
    }
    return s;
  }

  private static boolean same(String a, String b) {
    return a != null
        && b != null
        && MessageDigest.isEqual(
            a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public AuthResult authenticate(AuthRequest request) {
    String t = request.token();
    if (same(t, readOnlyToken)) {
      return AuthResult.readOnlyAccess();
    }
    if (token == null || same(t, token)) {
      return delegate.authenticate(request);
    }
    return AuthResult.denied("permission-denied");
  }

  @Override
  public void onLoad(String documentName, int storedUpdates) {
    delegate.onLoad(documentName, storedUpdates);
  }

  @Override
  public void onChange(String documentName, byte[] update) {
    delegate.onChange(documentName, update);
  }

  @Override
  public void onStore(String documentName, byte[] update) {
    delegate.onStore(documentName, update);
  }

  @Override
  public void onConnect(String documentName, String remoteAddress, boolean readOnly) {
    delegate.onConnect(documentName, remoteAddress, readOnly);
  }

  @Override
  public void onDisconnect(String documentName, String remoteAddress) {
    delegate.onDisconnect(documentName, remoteAddress);
  }

  @Override
  public void onStateless(String documentName, String payload) {
    delegate.onStateless(documentName, payload);
  }

  @Override
  public void onUnload(String documentName) {
    delegate.onUnload(documentName);
  }
}
