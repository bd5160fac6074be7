package nodenogg.sync.server;

/**
 * The outcome of {@link SyncServerHooks#authenticate}: allowed read-write, allowed read-only, or
 * denied with a reason.
 */
public record AuthResult(boolean allowed, boolean readOnly, String reason) {

  public static AuthResult readWrite() {
    return new AuthResult(true, false, null);
  }

  public static AuthResult readOnlyAccess() {
    return new AuthResult(true, true, null);
  }

  /** Denied; the Hocuspocus client receives PermissionDenied with this reason. */
  public static AuthResult denied(String reason) {
    return new AuthResult(false, false, reason == null ? "permission-denied" : reason);
  }
}
