package nodenogg.cli.bench;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import nodenogg.crdt.Updates;
import nodenogg.crdt.encoding.Lib0Decoder;
import nodenogg.crdt.encoding.Lib0Encoder;
import nodenogg.sync.server.websocket.Connection;
import nodenogg.sync.server.websocket.LoopExecutor;
import nodenogg.sync.server.websocket.SharedMessage;
import nodenogg.sync.server.websocket.SocketHandler;
import nodenogg.sync.server.websocket.WebServer;

/**
 * {@code ./microcosm bench relay [--host H] [--port N]}: the floor of the sync benchmark, not a server
 * anyone should run. It speaks just enough of the Hocuspocus protocol for the load generator
 * ({@code js/syncbench/load.mjs}): SyncStep1 is answered with an empty SyncStep2, and the updates
 * that arrive for a document in one event-loop turn are merged at the update level (no document,
 * {@link Updates#mergeUpdates}) and sent as one Update message to every connection of that document
 * — the same batching our server and Hocuspocus do. No CRDT document, no storage, no
 * acknowledgements, no auth. Whatever latency the load generator measures against it is what the
 * machine, the kernel, our WebSocket transport and the load generator cost by themselves.
 */
final class RelayFloor implements SocketHandler {

  /** One document's connections and the updates waiting for the end of the loop turn. */
  private static final class Room {
    final List<Connection> connections = new CopyOnWriteArrayList<>();
    final List<byte[]> pending = new ArrayList<>();
  }

  private final Map<String, Room> rooms = new ConcurrentHashMap<>();
  private final Executor endOfTurn = new LoopExecutor(Runnable::run);

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
    Room room = rooms.computeIfAbsent(doc, d -> new Room());
    if (connection.attachment() == null) {
      connection.attach(doc);
      room.connections.add(connection);
    }
    int sub = (int) in.readVarUint();
    if (sub == 0) { // SyncStep1 -> empty SyncStep2
      connection.send(syncMessage(doc, 1, new byte[] {0, 0}));
    } else if (sub == 2) { // Update -> merged with this turn's others, then to everyone in the room
      byte[] update = in.readVarUint8Array();
      boolean first;
      synchronized (room) {
        room.pending.add(update);
        first = room.pending.size() == 1;
      }
      if (first) {
        endOfTurn.execute(() -> flush(doc, room));
      }
    }
  }

  private static void flush(String doc, Room room) {
    List<byte[]> batch;
    synchronized (room) {
      batch = new ArrayList<>(room.pending);
      room.pending.clear();
    }
    byte[] update = batch.size() == 1 ? batch.get(0) : Updates.mergeUpdates(batch);
    SharedMessage shared = new SharedMessage(syncMessage(doc, 2, update));
    for (Connection c : room.connections) {
      c.send(shared);
    }
  }

  private static byte[] syncMessage(String doc, int sub, byte[] payload) {
    Lib0Encoder out = new Lib0Encoder();
    out.writeVarString(doc);
    out.writeVarUint(0);
    out.writeVarUint(sub);
    out.writeVarUint8Array(payload);
    return out.toByteArray();
  }

  @Override
  public void onClose(Connection connection, int code, String reason, boolean remote) {
    Object doc = connection.attachment();
    if (doc != null) {
      Room room = rooms.get(doc);
      if (room != null) {
        room.connections.remove(connection);
      }
    }
  }
}
