package nodenogg.earthstar.internal.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeferredLinkTest {

  /** Records what reaches the socket, sends and closes in one list, in order. */
  private static final class Recorder implements Link {
    final List<String> seen = new ArrayList<>();

    @Override
    public synchronized void sendText(String text) {
      seen.add(text);
    }

    @Override
    public synchronized void close(int code, String reason) {
      seen.add("close " + code + " " + reason);
    }
  }

  @Test
  void whatIsSentBeforeTheSocketArrivesIsSentFirstAndInOrder() {
    DeferredLink link = new DeferredLink();
    link.sendText("DISCLOSE");
    link.sendText("RANGE_MSG 1");
    link.sendText("RANGE_MSG 2");
    Recorder socket = new Recorder();
    link.attach(socket);
    link.sendText("WANT");
    assertEquals(List.of("DISCLOSE", "RANGE_MSG 1", "RANGE_MSG 2", "WANT"), socket.seen);
  }

  @Test
  void aCloseBeforeTheSocketArrivesIsAppliedAfterWhatWasQueued() {
    DeferredLink link = new DeferredLink();
    link.sendText("SYNCER_FULFILLED");
    link.close(1000, "sync complete");
    link.sendText("too late");
    link.close(1008, "twice");
    Recorder socket = new Recorder();
    link.attach(socket);
    link.sendText("after");
    assertEquals(List.of("SYNCER_FULFILLED", "close 1000 sync complete"), socket.seen);
  }

  @Test
  void anAbandonedLinkSendsNothing() {
    DeferredLink link = new DeferredLink();
    link.sendText("DISCLOSE");
    link.abandon();
    link.sendText("x");
    link.close(1000, "x");
    assertEquals(List.of(), new Recorder().seen);
  }
}
