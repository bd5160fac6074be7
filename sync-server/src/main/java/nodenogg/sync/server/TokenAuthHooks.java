package nodenogg.sync.server;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;

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

  public TokenAuthHooks(String token, String readOnlyToken, SyncServerHooks delegate) {
    this.token = emptyToNull(token);
    this.readOnlyToken = emptyToNull(readOnlyToken);
    this.delegate = delegate == null ? SyncServerHooks.NONE : delegate;
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static boolean same(String a, String b) {
    return a != null && b != null
        && MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
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
