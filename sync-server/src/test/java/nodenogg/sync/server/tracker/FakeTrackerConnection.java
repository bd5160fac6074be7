package nodenogg.sync.server.tracker;

import java.util.Map;

/**
 * A Connection without a socket, for driving TrackerHandler directly; keeps only the last text
 * sent.
 */
final class FakeTrackerConnection implements nodenogg.sync.server.websocket.Connection {
  private Object attachment;
  volatile String last;
  volatile int sent;
  volatile int closeCode;

  @Override
  public String path() {
    return "/announce";
  }

  @Override
  public String query() {
    return "";
  }

  @Override
  public Map<String, String> headers() {
    return Map.of();
  }

  @Override
  public String remoteAddress() {
    return "127.0.0.1:1";
  }

  @Override
  public void send(byte[] message) {
    sent++;
  }

  @Override
  public void send(String message) {
    last = message;
    sent++;
  }

  @Override
  public void close(int code, String reason) {
    if (closeCode == 0) {
      closeCode = code;
    }
  }

  @Override
  public boolean isOpen() {
    return closeCode == 0;
  }

  @Override
  public long bufferedBytes() {
    return 0;
  }

  @Override
  public Object attachment() {
    return attachment;
  }

  @Override
  public void attach(Object attachment) {
    this.attachment = attachment;
  }
}
