/**
 * Our WebSocket server (RFC 6455 on java.nio, no library): {@code WebServer} accepts connections on
 * one port, answers plain HTTP GETs (status pages), applies the origin allow-list and size limits,
 * and routes each connection by path to a {@link nodenogg.sync.server.websocket.SocketHandler}.
 * Protocol code (Hocuspocus, y-websocket, y-webrtc signalling) sees only {@link
 * nodenogg.sync.server.websocket.Connection}.
 *
 * <p>Inside: {@code SocketServer} listens, accepts, routes request heads, keeps the {@link
 * nodenogg.sync.server.websocket.MemoryBudget} and the out-of-memory policy; {@code IoLoop}s run
 * the sockets; each {@code AcceptedSocket} (one TCP socket, its {@code SocketState}) reads its
 * request head, decodes frames with a {@code FrameReader} (bytes in, callbacks out; testable
 * without a socket) and sends through a {@code FrameWriter} (the output queue); opcodes and close
 * codes live in {@link nodenogg.sync.server.websocket.WebSocketCodes}.
 *
 * <p>Contract for {@code WebServer} (owned by the signalling work; the sync server uses it): a
 * builder taking the bind address/port, routes {@code socket(pathPredicate, SocketHandler)} and
 * {@code http(path, HttpHandler)}, an allowed-origins list (empty = allow all; a disallowed Origin
 * gets 403 on upgrade and on HTTP), max message bytes (1009 close), max outgoing backlog per
 * connection, WebSocket ping interval (30 s; a connection that misses its pong is closed), idle
 * timeout; {@code start()}, {@code port()} (the bound port, for port 0), and {@code close()}
 * (AutoCloseable, graceful).
 */
package nodenogg.sync.server.websocket;
