package nodenogg.sync.server.internal;

import nodenogg.sync.server.AuthRequest;
import nodenogg.sync.server.AuthResult;
import nodenogg.sync.server.SyncServerHooks;

/**
 * The embedder's hooks with the server's own observation around them: authentication outcomes
 * (logged; refusals counted and logged at WARN without the token), documents loaded and unloaded,
 * and which documents each connection used (for its close line; a document stays listed after the
 * connection leaves it). Delegates every call first and observes after, so a hook that throws still
 * throws to the caller (which then denies). Thread-safe as the delegate.
 */
public final class ObservingHooks implements SyncServerHooks {
  private final SyncServerHooks delegate;
  private final Telemetry telemetry;

  public ObservingHooks(SyncServerHooks delegate, Telemetry telemetry) {
    this.delegate = delegate;
    this.telemetry = telemetry;
  }

  static String protocolLabel(AuthRequest.Protocol p) {
    return switch (p) {
      case HOCUSPOCUS -> Telemetry.Protocol.HOCUSPOCUS.label;
      case AUTOMERGE_REPO -> Telemetry.Protocol.AUTOMERGE.label;
      default -> Telemetry.Protocol.Y_WEBSOCKET.label;
    };
  }

  @Override
  public AuthResult authenticate(AuthRequest request) {
    AuthResult r;
    try {
      r = delegate.authenticate(request);
    } catch (RuntimeException e) {
      telemetry.refused(
          "token",
          request.remoteAddress(),
          request.documentName(),
          "the authenticate hook threw (" + e.getClass().getSimpleName() + "), access denied");
      throw e;
    }
    if (r == null || !r.allowed()) {
      boolean presented = request.token() != null && !request.token().isEmpty();
      telemetry.refused(
          "token",
          request.remoteAddress(),
          request.documentName(),
          (presented ? "token not accepted" : "no token presented")
              + " for "
              + protocolLabel(request.protocol())
              + " ("
              + (r == null ? "permission-denied" : r.reason())
              + ")");
    } else {
      telemetry.authenticated(
          protocolLabel(request.protocol()),
          request.documentName(),
          request.remoteAddress(),
          r.readOnly());
    }
    return r;
  }

  @Override
  public void onLoad(String documentName, int storedUpdates) {
    try {
      delegate.onLoad(documentName, storedUpdates);
    } finally {
      telemetry.documentLoaded(documentName, storedUpdates);
    }
  }

  @Override
  public void onChange(String documentName, byte[] update) {
    telemetry.documentChanged(documentName, update.length);
    delegate.onChange(documentName, update);
  }

  @Override
  public void onStore(String documentName, byte[] update) {
    delegate.onStore(documentName, update);
  }

  @Override
  public void onConnect(String documentName, String remoteAddress, boolean readOnly) {
    telemetry.joined(documentName, remoteAddress);
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
    try {
      delegate.onUnload(documentName);
    } finally {
      telemetry.documentUnloaded(documentName);
    }
  }
}
