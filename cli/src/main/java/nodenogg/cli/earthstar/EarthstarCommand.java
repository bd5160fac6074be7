package nodenogg.cli.earthstar;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import nodenogg.cli.Command;
import nodenogg.cli.UsageException;
import nodenogg.earthstar.Addresses;
import nodenogg.earthstar.AuthorKeypair;
import nodenogg.earthstar.EarthstarPeer;
import nodenogg.earthstar.EarthstarStorage;
import nodenogg.earthstar.EsDocument;
import nodenogg.earthstar.Query;
import nodenogg.earthstar.Replica;
import nodenogg.earthstar.ShareKeypair;
import nodenogg.earthstar.SyncHandle;
import nodenogg.earthstar.SyncLimits;
import nodenogg.earthstar.SyncMode;
import nodenogg.earthstar.internal.Utf8;
import nodenogg.earthstar.microcosm.EarthstarMicrocosm;
import nodenogg.microcosm.Entities;
import nodenogg.microcosm.Entity;
import nodenogg.microcosm.EntityLocation;
import nodenogg.microcosm.HtmlData;
import nodenogg.microcosm.MicrocosmJson;

/**
 * {@code ./microcosm earthstar keygen|sync|ls}: Earthstar keys, syncing a local replica, listing
 * documents.
 */
public final class EarthstarCommand implements Command {
  static final String USAGE =
      "usage: microcosm earthstar keygen --author NAME | keygen --share NAME\n"
          + "       microcosm earthstar sync URL --share FILE [--author FILE] [--data DIR] [--note TEXT] [--print]"
          + " [--continuous] [--seconds N]\n"
          + "       microcosm earthstar ls --data DIR --share ADDRESS\n"
          + "  keygen prints the JSON earthstar's Crypto.generateAuthorKeypair / generateShareKeypair return.\n"
          + "  sync   syncs a replica of the share in FILE ({\"shareAddress\",\"secret\"?} or an address) with an Earthstar\n"
          + "         server (http://HOST:PORT/earthstar/ for ./microcosm serve); SQLite under --data, memory without;\n"
          + "         --note adds a note to the microcosm as the author in --author (needs the share secret);\n"
          + "         --print prints the microcosm's entities as JSON lines; --continuous keeps syncing (--seconds N, or\n"
          + "         until Ctrl-C). Earthstar has no read access control: whoever knows the share address can read it.\n"
          + "  ls     lists the stored documents of a share: path, author, timestamp (microseconds), bytes.";
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public int run(String[] args, InputStream in, PrintStream out, PrintStream err) throws Exception {
    if (args.length == 0
        || args[0].equals("--help")
        || args[0].equals("-h")
        || args[0].equals("help")) {
      throw new UsageException(USAGE);
    }
    Map<String, String> o = options(args, 1);
    switch (args[0]) {
      case "keygen" -> keygen(o, out);
      case "sync" -> {
        return sync(args, out, err);
      }
      case "ls" -> ls(o, out);
      default -> throw new UsageException("unknown earthstar command '" + args[0] + "'; " + USAGE);
    }
    return 0;
  }

  private static Map<String, String> options(String[] args, int from) {
    Map<String, String> o = new java.util.LinkedHashMap<>();
    for (int i = from; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        o.put("", a);
        continue;
      }
      if (a.equals("--print") || a.equals("--continuous")) {
        o.put(a, "true");
        continue;
      }
      if (i + 1 >= args.length) {
        throw new UsageException("option " + a + " needs a value; " + USAGE);
      }
      o.put(a, args[++i]);
    }
    return o;
  }

  private static void keygen(Map<String, String> o, PrintStream out) {
    try {
      if (o.containsKey("--author")) {
        out.println(AuthorKeypair.generate(o.get("--author")).toJson());
      } else if (o.containsKey("--share")) {
        out.println(ShareKeypair.generate(o.get("--share")).toJson());
      } else {
        throw new UsageException(
            "keygen needs --author NAME (4 characters a-z0-9) or --share NAME; " + USAGE);
      }
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  private static JsonNode readJson(String file, String what) {
    try {
      return JSON.readTree(Files.readString(Path.of(file)));
    } catch (IOException e) {
      throw new UsageException("cannot read the " + what + " file " + file + ": " + e.getMessage());
    }
  }

  /** The share of FILE: a keypair object or a bare address (JSON string or plain text). */
  static ShareKeypair share(String file) {
    String text;
    try {
      text = Files.readString(Path.of(file)).trim();
    } catch (IOException e) {
      throw new UsageException("cannot read the share file " + file + ": " + e.getMessage());
    }
    String address;
    String secret = null;
    if (text.startsWith("{")) {
      JsonNode n = readJson(file, "share");
      address = n.path("shareAddress").asText(null);
      secret = n.path("secret").asText(null);
    } else {
      address = text.startsWith("\"") ? text.substring(1, text.length() - 1) : text;
    }
    String problem = Addresses.checkShare(address);
    if (problem != null) {
      throw new UsageException(file + ": no valid share address (" + problem + ")");
    }
    ShareKeypair k = new ShareKeypair(address, secret == null ? "" : secret);
    if (secret != null && k.check() != null) {
      throw new UsageException(file + ": " + k.check());
    }
    return k;
  }

  static AuthorKeypair author(String file) {
    JsonNode n = readJson(file, "author");
    AuthorKeypair k = new AuthorKeypair(n.path("address").asText(""), n.path("secret").asText(""));
    String problem = k.check();
    if (problem != null) {
      throw new UsageException(file + ": not an author keypair: " + problem);
    }
    return k;
  }

  private static int sync(String[] args, PrintStream out, PrintStream err) throws Exception {
    if (args.length < 2 || args[1].startsWith("--")) {
      throw new UsageException("sync needs a server URL; " + USAGE);
    }
    String url = args[1];
    Map<String, String> o = options(args, 2);
    if (!o.containsKey("--share")) {
      throw new UsageException("sync needs --share FILE; " + USAGE);
    }
    ShareKeypair share = share(o.get("--share"));
    AuthorKeypair author = o.containsKey("--author") ? author(o.get("--author")) : null;
    String note = o.get("--note");
    if (note != null && (author == null || share.secret().isEmpty())) {
      throw new UsageException(
          "--note needs --author FILE and the share secret in the --share file");
    }
    boolean continuous = o.containsKey("--continuous");
    long seconds = 0;
    if (o.containsKey("--seconds")) {
      try {
        seconds = Long.parseLong(o.get("--seconds"));
      } catch (NumberFormatException e) {
        throw new UsageException("--seconds must be a number, got '" + o.get("--seconds") + "'");
      }
    }
    try (EarthstarStorage storage =
            o.containsKey("--data")
                ? EarthstarStorage.open(Path.of(o.get("--data")))
                : EarthstarStorage.inMemory();
        EarthstarPeer peer =
            new EarthstarPeer(storage, List.of(share.shareAddress()), SyncLimits.defaults())) {
      Replica replica = peer.replica(share.shareAddress());
      if (note != null) {
        try (EarthstarMicrocosm m = new EarthstarMicrocosm(replica, author, share.secret())) {
          m.identify(m.authorIdentityId().orElseThrow());
          Entity e = m.create(HtmlData.note(0, 0, note));
          err.println("microcosm earthstar: added note " + e.id() + " as " + e.identityId());
        }
      }
      int before = replica.size();
      SyncHandle h = peer.sync(url, continuous ? SyncMode.CONTINUOUS : SyncMode.ONCE);
      if (continuous) {
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
        CompletableFuture<Void> done = h.done();
        done.whenComplete((v, t) -> stop.countDown());
        if (seconds > 0) {
          stop.await(seconds, TimeUnit.SECONDS);
        } else {
          stop.await();
        }
        if (done.isCompletedExceptionally()) {
          err.println("microcosm earthstar: the sync ended: " + cause(done));
        }
        h.cancel();
      } else {
        String failure = awaitOnce(h, url);
        if (failure != null) {
          err.println("microcosm earthstar: sync with " + url + " failed: " + failure);
          return 1;
        }
      }
      storage.flush().get(60, TimeUnit.SECONDS);
      err.println(
          "microcosm earthstar: synced "
              + share.shareAddress()
              + " with "
              + url
              + ": "
              + replica.size()
              + " documents ("
              + (replica.size() - before)
              + " new)");
      if (o.containsKey("--print")) {
        try (EarthstarMicrocosm m = new EarthstarMicrocosm(replica, null, null)) {
          for (Map.Entry<EntityLocation, Entity> e : m.entities().entrySet()) {
            out.println(entityJson(e.getValue()));
          }
        }
      }
    }
    return 0;
  }

  /**
   * Gives up on a once sync after this long without progress (heartbeats alone are not progress).
   */
  static final long STALL_MILLIS = 60_000;

  private static final long ONCE_LIMIT_MILLIS = 30 * 60_000L;

  /**
   * Waits for a once sync: null when it finished, else why not. Bounded by inactivity ({@link
   * #STALL_MILLIS} without a message other than a heartbeat, a transfer or a commit) and by 30
   * minutes in all.
   */
  static String awaitOnce(SyncHandle h, String url) throws InterruptedException {
    long start = System.nanoTime();
    while (true) {
      try {
        h.done().get(200, TimeUnit.MILLISECONDS);
        return null;
      } catch (java.util.concurrent.ExecutionException e) {
        return e.getCause().getMessage();
      } catch (java.util.concurrent.TimeoutException e) {
        long idle = h.millisWithoutProgress();
        if (idle >= STALL_MILLIS) {
          h.cancel();
          return "no progress from "
              + url
              + " for "
              + idle / 1000
              + " s (connected, but nothing but heartbeats);"
              + " try again, and check the server's log";
        }
        if ((System.nanoTime() - start) / 1_000_000 > ONCE_LIMIT_MILLIS) {
          h.cancel();
          return "not finished after " + ONCE_LIMIT_MILLIS / 60_000 + " minutes";
        }
      }
    }
  }

  private static String cause(CompletableFuture<Void> f) {
    try {
      f.join();
      return "";
    } catch (Exception e) {
      return e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
    }
  }

  /** One entity as a JSON line: {@code {"identityId","id","created","lastEdited","data"}}. */
  static String entityJson(Entity e) {
    ObjectNode n = JSON.createObjectNode();
    n.put("identityId", e.identityId());
    n.put("id", e.id());
    n.put("created", e.created());
    n.put("lastEdited", e.lastEdited());
    n.set("data", MicrocosmJson.toNode(Entities.dataAsMap(e.data())));
    return n.toString();
  }

  private static void ls(Map<String, String> o, PrintStream out) {
    if (!o.containsKey("--data") || !o.containsKey("--share")) {
      throw new UsageException("ls needs --data DIR and --share ADDRESS; " + USAGE);
    }
    String share = o.get("--share");
    String problem = Addresses.checkShare(share);
    if (problem != null) {
      throw new UsageException("--share: " + problem);
    }
    Path dir = Path.of(o.get("--data"));
    if (!Files.isRegularFile(dir.resolve("earthstar.db"))) {
      throw new UsageException(
          "no Earthstar store in " + dir + " (expected " + dir.resolve("earthstar.db") + ")");
    }
    try (EarthstarStorage storage = EarthstarStorage.open(dir)) {
      for (EsDocument d : storage.replica(share).query(Query.all())) {
        long bytes = Utf8.length(d.text()) + (d.hasAttachment() ? d.attachmentSize() : 0);
        out.println(d.path() + "\t" + d.author() + "\t" + d.timestamp() + "\t" + bytes);
      }
    }
    out.flush();
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
