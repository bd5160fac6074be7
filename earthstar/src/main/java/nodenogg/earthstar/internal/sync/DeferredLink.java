package nodenogg.earthstar.internal.sync;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Link} whose socket arrives later. The client session starts (and may already receive and
 * answer messages) before the socket's opening future has handed it over: what is sent before
 * {@link #attach} is kept, in order, and sent first when the socket arrives; a close before that is
 * applied after those. Nothing is dropped. Thread-safe.
 */
public final class DeferredLink implements Link {
  private Link target;
  private final List<String> pending = new ArrayList<>();
  private boolean closed;
  private int closeCode;
  private String closeReason;

  @Override
  public synchronized void sendText(String text) {
    if (closed) {
      return;
    }
    if (target == null) {
      pending.add(text);
    } else {
      target.sendText(text);
    }
  }

  @Override
  public synchronized void close(int code, String reason) {
    if (closed) {
      return;
    }
    closed = true;
    if (target == null) {
      closeCode = code;
      closeReason = reason;
    } else {
      target.close(code, reason);
    }
  }

  /** Hands over the socket: sends what was queued, in order, then applies an earlier close. */
  public synchronized void attach(Link socket) {
    if (target != null) {
      throw new IllegalStateException("already attached");
    }
    target = socket;
    for (String text : pending) {
      socket.sendText(text);
    }
    pending.clear();
    if (closeReason != null) {
      socket.close(closeCode, closeReason);
      closeReason = null;
    }
  }

  /** The socket never came: drops what was queued. */
  public synchronized void abandon() {
    closed = true;
    pending.clear();
  }
}
