package nodenogg.webrtc.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import nodenogg.cli.Command;
import nodenogg.cli.UsageException;
import nodenogg.crdt.Json;
import nodenogg.microcosm.Entity;
import nodenogg.microcosm.EntityEvent;
import nodenogg.microcosm.HtmlData;
import nodenogg.microcosm.Identity;
import nodenogg.microcosm.MicrocosmId;
import nodenogg.microcosm.SchemaProfile;
import nodenogg.webrtc.WebrtcNative;
import nodenogg.webrtc.WebrtcOptions;
import nodenogg.webrtc.WebrtcProvider;
import nodenogg.webrtc.WebrtcTransport;
import nodenogg.ymicrocosm.YMicrocosm;

/**
 * {@code ./microcosm peer --signal ws://HOST:PORT/signal --room ROOM [--password P] [--print]
 * [--note TEXT] [--seconds N]}: joins the y-webrtc room of microcosm {@code ROOM} as a peer (an
 * in-memory microcosm, a fresh identity that shows in the room's presence), optionally adds a note,
 * and with {@code --print} prints every entity change as one JSON line on stdout: {@code
 * {"event":"create"|"update"|"delete","identity":ID,"id":ENTITY_ID,"entity":{...}|null,"local":BOOL}}.
 * Runs for {@code N} seconds, or until interrupted; then leaves the room cleanly. Progress goes to
 * stderr. {@code --signal} may be given more than once. STUN/TURN servers: {@code
 * MICROCOSM_ICE_SERVERS} (comma-separated URLs; none by default, so peers reach each other on
 * loopback and LAN).
 */
public final class PeerCommand implements Command {
  static final String USAGE =
      "./microcosm peer --signal ws://HOST:PORT/signal --room ROOM [--password P] [--print]"
          + " [--note TEXT] [--seconds N]";

  @Override
  public int run(String[] args, InputStream in, PrintStream out, PrintStream err) throws Exception {
    List<String> signal = new ArrayList<>();
    String room = null;
    String password = null;
    boolean print = false;
    String note = null;
    long seconds = -1;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--help", "-h" -> {
          out.println("usage: " + USAGE);
          return 0;
        }
        case "--print" -> print = true;
        case "--signal", "--room", "--password", "--note", "--seconds" -> {
          if (i + 1 >= args.length) {
            throw new UsageException(a + " needs a value; usage: " + USAGE);
          }
          String v = args[++i];
          switch (a) {
            case "--signal" -> signal.add(v);
            case "--room" -> room = v;
            case "--password" -> password = v;
            case "--note" -> note = v;
            default -> {
              try {
                seconds = Long.parseLong(v);
              } catch (NumberFormatException e) {
                seconds = -2;
              }
              if (seconds < 0) {
                throw new UsageException(
                    "--seconds needs a whole number of seconds (0 or more), got '" + v + "'");
              }
            }
          }
        }
        default -> throw new UsageException("unknown option '" + a + "'; usage: " + USAGE);
      }
    }
    if (signal.isEmpty() || room == null) {
      throw new UsageException("--signal and --room are required; usage: " + USAGE);
    }
    if (!MicrocosmId.isValid(room)) {
      throw new UsageException(
          "--room must be a microcosm id (ASCII letters and digits only), got '" + room + "'");
    }
    WebrtcOptions options;
    try {
      options = WebrtcOptions.signaling(signal.toArray(new String[0])).withPassword(password);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    String ice = System.getenv("MICROCOSM_ICE_SERVERS");
    if (ice != null && !ice.isBlank()) {
      options = options.withIceServers(List.of(ice.trim().split("\\s*,\\s*")));
    }
    if (!WebrtcNative.isAvailable()) {
      err.println("microcosm peer: " + WebrtcNative.unavailableReason().orElse(""));
      return 1;
    }
    long startMillis = ManagementFactory.getRuntimeMXBean().getStartTime();

    Identity me = Identity.create("microcosm peer");
    YMicrocosm m = YMicrocosm.inMemory(room);
    CountDownLatch stop = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              stop.countDown();
              m.close();
            },
            "microcosm-peer-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      m.identify(me.id());
      m.join(me);
      if (print) {
        m.subscribe(
            e -> {
              synchronized (out) {
                out.println(jsonLine(e));
                out.flush();
              }
            });
      }
      AtomicReference<WebrtcProvider> provider = new AtomicReference<>();
      m.attach(WebrtcTransport.provider(options, provider::set));
      WebrtcProvider p = provider.get();
      err.println(
          "peer: joined room "
              + room
              + " as "
              + me.id()
              + " (signalling peer id "
              + p.peerId()
              + ") via "
              + String.join(", ", signal)
              + (password != null ? " with a password" : ""));
      p.firstSync()
          .thenAccept(
              peer ->
                  err.println(
                      "peer: synced with peer "
                          + peer
                          + " "
                          + (System.currentTimeMillis() - startMillis)
                          + " ms after the JVM started"));
      p.onPeers(
          c -> {
            for (String r : c.removed()) {
              err.println("peer: peer " + r + " left");
            }
          });
      if (note != null) {
        Entity e = m.create(HtmlData.note(0, 0, note));
        err.println("peer: added note " + e.id());
      }
      if (seconds >= 0) {
        stop.await(seconds, TimeUnit.SECONDS);
      } else {
        stop.await();
      }
    } finally {
      m.close();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // shutting down already
      }
    }
    err.println("peer: left room " + room);
    return 0;
  }

  static String jsonLine(EntityEvent e) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("event", e.kind().name().toLowerCase(java.util.Locale.ROOT));
    line.put("identity", e.location().identityId());
    line.put("id", e.location().entityId());
    line.put("entity", e.entity() == null ? null : SchemaProfile.E5.encodeEntity(e.entity()));
    line.put("local", e.local());
    return Json.stringify(line);
  }
}
