package nodenogg.cli.bench;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import nodenogg.crdt.encoding.Lib0Decoder;
import nodenogg.crdt.encoding.Lib0Encoder;
import nodenogg.sync.server.websocket.Connection;
import nodenogg.sync.server.websocket.SharedMessage;
import nodenogg.sync.server.websocket.SocketHandler;
import nodenogg.sync.server.websocket.WebServer;

/**
 * {@code ./microcosm bench relay [--host H] [--port N]}: the floor of the sync benchmark, not a server
 * anyone should run. It speaks just enough of the Hocuspocus protocol for the load generator
 * ({@code js/syncbench/load.mjs}): SyncStep1 is answered with an empty SyncStep2, and every Update
 * message is forwarded, bytes unchanged, to every connection of the same document. No CRDT, no
 * storage, no acknowledgements, no auth. Whatever latency the load generator measures against it is
 * what the machine, the kernel, our WebSocket transport and the load generator cost by themselves.
 */
final class RelayFloor implements SocketHandler {

  private final Map<String, List<Connection>> rooms = new ConcurrentHashMap<>();

  /** Starts a relay; close the returned server to stop it. */
  static WebServer start(String host, int port) throws java.io.IOException {
    return WebServer.builder().bind(host, port).socket(p -> true, new RelayFloor()).build().start();
  }

  static int run(String host, int port) throws Exception {
    try (WebServer server = start(host, port)) {
      System.out.println("PORT " + server.port());
      System.out.flush();
      Thread.currentThread().join();
    }
    return 0;
  }

  @Override
  public void onOpen(Connection connection) {}

  @Override
  public void onBinary(Connection connection, ByteBuffer message) {
    byte[] bytes = new byte[message.remaining()];
    message.get(bytes);
    Lib0Decoder in = new Lib0Decoder(bytes);
    String doc = in.readVarString();
    int type = (int) in.readVarUint();
    if (type != 0) {
      return; // auth, awareness, ...: ignored
    }
    List<Connection> room = rooms.computeIfAbsent(doc, d -> new CopyOnWriteArrayList<>());
    if (connection.attachment() == null) {
      connection.attach(doc);
      room.add(connection);
    }
    int sub = (int) in.readVarUint();
    if (sub == 0) { // SyncStep1 -> empty SyncStep2
      Lib0Encoder out = new Lib0Encoder();
      out.writeVarString(doc);
      out.writeVarUint(0);
      out.writeVarUint(1);
      out.writeVarUint8Array(new byte[] {0, 0});
      connection.send(out.toByteArray());
    } else if (sub == 2) { // Update -> everyone in the room, as received
      SharedMessage shared = new SharedMessage(bytes);
      for (Connection c : room) {
        c.send(shared);
      }
    }
  }

  @Override
  public void onClose(Connection connection, int code, String reason, boolean remote) {
    Object doc = connection.attachment();
    if (doc != null) {
      List<Connection> room = rooms.get(doc);
      if (room != null) {
        room.remove(connection);
      }
    }
  }
}
