package nodenogg.benchmarks;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import nodenogg.crdt.Updates;
import nodenogg.sync.protocol.Hocuspocus;
import nodenogg.sync.protocol.SyncProtocol;
import nodenogg.sync.server.websocket.Connection;
import nodenogg.sync.server.websocket.LoopExecutor;
import nodenogg.sync.server.websocket.SharedMessage;
import nodenogg.sync.server.websocket.SocketHandler;
import nodenogg.sync.server.websocket.WebServer;

/**
 * {@code ./microcosm bench relay [--host H] [--port N]}: the floor of the sync benchmark, not a
 * server anyone should run. It speaks just enough of the Hocuspocus protocol for the load generator
 * ({@code js/syncbench/load.mjs}): SyncStep1 is answered with an empty SyncStep2, and the updates
 * that arrive for a document in one event-loop turn are merged at the update level (no document,
 * {@link Updates#mergeUpdates}) and sent as one Update message to every connection of that document
 * — the same batching our server and Hocuspocus do. No CRDT document, no storage, no
 * acknowledgements, no auth. Whatever latency the load generator measures against it is what the
 * machine, the kernel, our WebSocket transport and the load generator cost by themselves.
 */
public final class RelayFloor implements SocketHandler {

  /** One document's connections and the updates waiting for the end of the loop turn. */
  private static final class Room {
    final List<Connection> connections = new CopyOnWriteArrayList<>();
    final List<byte[]> pending = new ArrayList<>();
  }

  private final Map<String, Room> rooms = new ConcurrentHashMap<>();
  private final Executor endOfTurn = new LoopExecutor(Runnable::run);

  /**
   * Starts the relay on {@code host:port} (0: any free port); close the returned server to stop it.
   */
  public static WebServer start(String host, int port) throws java.io.IOException {
    return WebServer.builder().bind(host, port).socket(p -> true, new RelayFloor()).build().start();
  }

  /**
   * Runs the relay until the process is stopped (prints its port); the {@code bench relay} command.
   */
  public static int run(String host, int port) throws Exception {
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
    Hocuspocus.Frame frame = Hocuspocus.decode(bytes);
    if (frame.type() != Hocuspocus.SYNC) {
      return; // auth, awareness, ...: ignored
    }
    String doc = frame.address();
    Room room = rooms.computeIfAbsent(doc, d -> new Room());
    if (connection.attachment() == null) {
      connection.attach(doc);
      room.connections.add(connection);
    }
    SyncProtocol.Message sync = SyncProtocol.read(frame.body());
    if (sync.isStep1()) { // -> an empty Step2
      connection.send(Hocuspocus.syncStep2(doc, new byte[] {0, 0}));
    } else if (sync.type()
        == SyncProtocol.UPDATE) { // merged with this turn's others, then to everyone in the room
      boolean first;
      synchronized (room) {
        room.pending.add(sync.payload());
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
    SharedMessage shared = new SharedMessage(Hocuspocus.syncUpdate(doc, update));
    for (Connection c : room.connections) {
      c.send(shared);
    }
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
